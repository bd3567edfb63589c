import Foundation
import Testing

@testable import LTTensor

/// A fresh path in a per-test temporary folder.
func tempPath(_ name: String) -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lttensor-tests-\(getpid())")
  try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir.appendingPathComponent(UUID().uuidString + "-" + name).path
}

func writeBytes(_ bytes: [UInt8], _ name: String) throws -> String {
  let p = tempPath(name)
  try Data(bytes).write(to: URL(fileURLWithPath: p))
  return p
}

@Suite struct NPYTests {
  @Test func readsEveryDtypeAndLayoutNumPyWrites() throws {
    let fortran = try fixture("fmt_f8_fortran")
    #expect(fortran.shape == [3, 5])
    #expect(fortran.dtype == .float64)
    let f16 = try fixture("fmt_f2")
    #expect(f16.dtype == .float32)
    #expect(f16.toDoubles()[0...2] == [0.5, -2, 65504])
    #expect(Swift.abs(f16.toDoubles()[3] - 1.1920928955078125e-07) < 1e-12)
    #expect(try fixture("fmt_be_f4").toDoubles() == [0, 1, 2, 3, 4, 5])
    #expect(try fixture("fmt_i8").toInt32s() == [1, -2, 3_000_000])
    #expect(try fixture("fmt_u1").toInt32s() == [0, 255, 7])
    #expect(try fixture("fmt_b1").toBools() == [true, false, true])
  }

  @Test func roundTripsAndMatchesNumPysBytes() throws {
    let a = try fixture("in_a")
    let p = tempPath("a.npy")
    try a.saveNPY(p)
    #expect(try Tensor.loadNPY(p).equal(a))
    #expect(try Data(contentsOf: URL(fileURLWithPath: p)) == Data(contentsOf: URL(fileURLWithPath: fixturePath("in_a.npy"))))
    for t in [try Tensor.arange(6).reshape([2, 3]).T, try Tensor(int32s: [1, 2], shape: [2]), try Tensor(bools: [true], shape: [1]),
              Tensor(scalar: 2.5, dtype: .float64)] {
      try t.saveNPY(p)
      let back = try Tensor.loadNPY(p)
      #expect(back.equal(t) && back.dtype == t.dtype)
    }
  }

  @Test func memoryMappedLoadReadsLazilyAndReducesInChunks() throws {
    let t = try sample([1000, 33])
    let p = tempPath("big.npy")
    try t.saveNPY(p)
    let m = try Tensor.loadNPY(p, mmap: true)
    #expect(m.isMemoryMapped)
    #expect(m.equal(t))
    let total = try m.reduceChunks(rows: 64, initial: 0.0) { acc, block in acc + (try block.sum()) }
    #expect(Swift.abs(total - (try t.sum())) < 1e-3)
    expectError("cannot memory-map dtype '>f4'") { _ = try Tensor.loadNPY(fixturePath("fmt_be_f4.npy"), mmap: true) }
  }

  static let header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }".utf8)
  static func npy(_ dict: [UInt8], data: Int) -> [UInt8] {
    var h = dict + [UInt8](repeating: 0x20, count: (64 - (10 + dict.count + 1) % 64) % 64) + [0x0A]
    h = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h
    return h + [UInt8](repeating: 0, count: data)
  }

  @Test func badFilesAreClearErrorsNamingFileAndOffset() throws {
    let good = Self.npy(Self.header, data: 24)
    #expect(try Tensor.loadNPY(writeBytes(good, "ok.npy")).shape == [2, 3])
    expectError("is truncated: header says shape (2, 3) of '<f4' = 24 bytes at offset 128, but the file has 20") {
      _ = try Tensor.loadNPY(writeBytes(Array(good.prefix(148)), "short.npy"))
    }
    expectError("wrong magic at offset 0") { _ = try Tensor.loadNPY(writeBytes(Array("PK\u{3}\u{4}hello world".utf8), "zip.npy")) }
    expectError("is not a .npy file") { _ = try Tensor.loadNPY(writeBytes([0x93, 0x4E], "tiny.npy")) }
    expectError("goes past the end of the file") {
      var lying = good
      lying[8] = 0xFF
      lying[9] = 0x7F
      _ = try Tensor.loadNPY(writeBytes(lying, "lying.npy"))
    }
    expectError("unsupported dtype '<c8'") { _ = try Tensor.loadNPY(fixturePath("fmt_c8.npy")) }
    expectError("unsupported dtype") {
      _ = try Tensor.loadNPY(writeBytes(Self.npy(Array("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }".utf8), data: 8), "rec.npy"))
    }
    expectError("too large") {
      _ = try Tensor.loadNPY(writeBytes(Self.npy(Array("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }".utf8), data: 8), "huge.npy"))
    }
    expectError("malformed shape") {
      _ = try Tensor.loadNPY(writeBytes(Self.npy(Array("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }".utf8), data: 8), "neg.npy"))
    }
    expectError("value 5000000000 at element 1 does not fit in int32") {
      let big = Self.npy(Array("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }".utf8), data: 0)
        + [1, 0, 0, 0, 0, 0, 0, 0] + [0x00, 0xF2, 0x05, 0x2A, 0x01, 0, 0, 0]
      _ = try Tensor.loadNPY(writeBytes(big, "i8.npy"))
    }
    expectError("cannot open '/nonexistent/x.npy'") { _ = try Tensor.loadNPY("/nonexistent/x.npy") }
  }

  @Test func fuzzedHeadersNeverCrash() throws {
    // Deterministic mutation fuzzing of a valid file: every outcome must be a
    // tensor or a TensorError.
    let good = Self.npy(Self.header, data: 24)
    var g = RandomGenerator(seed: 99)
    let p = tempPath("fuzz.npy")
    for _ in 0..<300 {
      var b = good
      for _ in 0..<(1 + Int(g.nextInt(below: 4))) {
        b[Int(g.nextInt(below: UInt64(b.count)))] = UInt8(truncatingIfNeeded: g.next())
      }
      if g.nextInt(below: 4) == 0 { b = Array(b.prefix(Int(g.nextInt(below: UInt64(b.count))))) }
      try Data(b).write(to: URL(fileURLWithPath: p))
      do { _ = try Tensor.loadNPY(p) } catch is TensorError {}
    }
  }
}

@Suite struct ArchiveTests {
  @Test func readsStoredAndDeflatedNPZ() throws {
    for name in ["stored.npz", "deflated.npz"] {
      let z = try Tensor.loadNPZ(fixturePath(name))
      #expect(z.names == ["x", "labels"])
      #expect(try #require(z["x"]).equal(try fixture("in_a")))
      #expect(try #require(z["labels"]).equal(try fixture("in_labels")))
    }
  }

  @Test func npzRoundTripsInOrder() throws {
    let p = tempPath("out.npz")
    let items = NamedTensors([("b", try Tensor.arange(5)), ("a", try Tensor(int32s: [1, 2], shape: [2]))])
    for compressed in [false, true] {
      try Tensor.saveNPZ(items, to: p, compressed: compressed)
      let back = try Tensor.loadNPZ(p)
      #expect(back.names == ["b", "a"])
      #expect(try #require(back["a"]).equal(try Tensor(int32s: [1, 2], shape: [2])))
    }
    expectError("is not an .npz file") { _ = try Tensor.loadNPZ(fixturePath("in_a.npy")) }
  }

  @Test func readsSafetensors() throws {
    let s = try Tensor.loadSafetensors(fixturePath("model.safetensors"))
    #expect(s.names == ["w", "h", "d", "i", "j", "mask"])
    let a = try fixture("in_a")
    #expect(try #require(s["w"]).equal(a))
    expectClose(try #require(s["h"]), a, rtol: 1e-3, atol: 1e-3)
    #expect(try #require(s["d"]).dtype == .float64)
    #expect(try #require(s["i"]).equal(try fixture("in_labels")))
    #expect(try #require(s["j"]).dtype == .int32)
    #expect(try #require(s["mask"]).equal(try a.compare(.gt, 0)))
  }

  @Test func badSafetensorsAreErrors() throws {
    func file(_ json: String, data: Int) throws -> String {
      let j = Array(json.utf8)
      var len = [UInt8](repeating: 0, count: 8)
      for i in 0..<8 { len[i] = UInt8((j.count >> (8 * i)) & 0xFF) }
      return try writeBytes(len + j + [UInt8](repeating: 0, count: data), "x.safetensors")
    }
    expectError("needs 24 bytes but data_offsets give 20") {
      _ = try Tensor.loadSafetensors(file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}"#, data: 24))
    }
    expectError("is truncated: tensor 'w' ends at data offset 24") {
      _ = try Tensor.loadSafetensors(file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#, data: 10))
    }
    expectError("unsupported dtype 'BF16'") {
      _ = try Tensor.loadSafetensors(file(#"{"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"#, data: 4))
    }
    expectError("not a JSON object") { _ = try Tensor.loadSafetensors(file("{nope", data: 0)) }
    expectError("goes past the end") { _ = try Tensor.loadSafetensors(writeBytes([255, 255, 0, 0, 0, 0, 0, 0, 1], "big.safetensors")) }
  }
}

@Suite struct CSVTests {
  @Test func readsQuotedFieldsMissingValuesAndLabels() throws {
    let t = try Tensor.loadCSV(fixturePath("table.csv"), label: .name("label"), columns: ["x", "y"])
    #expect(t.columns == ["x", "y"])
    #expect(t.features.shape == [3, 2])
    let v = t.features.toDoubles()
    #expect(v[0] == 1.5 && v[1] == 2 && v[2].isNaN && v[3] == 3.25 && v[5] == 400)
    #expect(t.classes == ["cat", "dog"])
    #expect(t.labels?.toInt32s() == [0, 1, 0])
    let byIndex = try Tensor.loadCSV(fixturePath("table.csv"), label: .index(-1), columns: ["y"])
    #expect(byIndex.labels?.toInt32s() == [0, 1, 0])
    let records = try parseCSV("a,\"b, \"\"c\"\"\"\r\n1,2\n", path: "x")
    #expect(records.map(\.fields) == [["a", "b, \"c\""], ["1", "2"]])
  }

  @Test func readsUTF8ByteOrderMarkAndLineNumbersInsideQuotes() throws {
    // The parser works on bytes: multi-byte names survive, a BOM is dropped, a newline
    // inside quotes still counts for the line numbers of later rows.
    let p = try writeBytes([0xEF, 0xBB, 0xBF] + Array("température,\"é\nx\"\n1,2\n3\n".utf8), "utf8.csv")
    expectError(":4: row has 1 fields, expected 2") { _ = try Tensor.loadCSV(p) }
    let ok = try writeBytes([0xEF, 0xBB, 0xBF] + Array("température,\"é\r\nx\"\r\n1,2\r\n".utf8), "utf8.csv")
    #expect(try Tensor.loadCSV(ok).columns == ["température", "é\r\nx"])
  }

  @Test func errorsNameTheLine() throws {
    expectError("ragged.csv':3: row has 1 fields, expected 2") { _ = try Tensor.loadCSV(fixturePath("ragged.csv")) }
    expectError(":2: column 'name': cannot read 'a, quoted' as a number") { _ = try Tensor.loadCSV(fixturePath("table.csv"), label: .name("label")) }
    expectError("no column named 'z'") { _ = try Tensor.loadCSV(fixturePath("table.csv"), label: .name("z")) }
  }

  @Test func roundTrips() throws {
    let p = tempPath("t.csv")
    let x = try Tensor([1.5, .nan, 3, 4], shape: [2, 2])
    try x.saveCSV(p, header: ["a", "b,c"], labels: Tensor(int32s: [2, 0], shape: [2]))
    let back = try Tensor.loadCSV(p, label: .name("label"))
    #expect(back.columns == ["a", "b,c"])
    #expect(back.labels?.toInt32s() == [2, 0])
    let v = back.features.toDoubles()
    #expect(v[0] == 1.5 && v[1].isNaN && v[3] == 4)
  }
}
