import Foundation
import Testing

@testable import LTTensor

/// Inputs that crashed a reader, allocated far more than the file justified, or hung,
/// each found by `make fuzz TARGET=files` (fuzz/Sources/FileFuzzHarness) or by review
/// of the readers, and what the reader must do instead: load, or throw a TensorError
/// naming the file.
@Suite struct FileFuzzRegressionTests {
  static func npy(_ header: String, data: [UInt8] = []) -> [UInt8] {
    NPYTests.npy(Array(header.utf8), data: 0) + data
  }

  @Test func aZeroLengthAxisDoesNotHideAnOverflowingShape() throws {
    // (0, 2^40, 2^40) has no elements, but its strides and its Fortran-order transpose
    // multiply the other lengths: refused as NumPy does ("array is too big").
    for order in ["False", "True"] {
      let b = Self.npy("{'descr': '<f4', 'fortran_order': \(order), 'shape': (0, 1099511627776, 1099511627776), }")
      expectError("is too large") { _ = try Tensor(npyData: Data(b)) }
    }
    #expect(throws: TensorError.self) { try Tensor.zeros([0, 1 << 40, 1 << 40]) }
    #expect(try Tensor.zeros([0, 1 << 20, 1 << 20]).shape == [0, 1 << 20, 1 << 20])
  }

  @Test func anEmptyTensorWithAHugeAxisPrintsWithoutListingIt() throws {
    let b = Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 0), }")
    let t = try Tensor(npyData: Data(b))
    #expect(t.shape == [1 << 40, 0])
    #expect(t.description == "tensor([], shape: (1099511627776, 0), dtype: float32)")
    #expect(try Tensor.zeros([3, 0]).description == "tensor([], shape: (3, 0), dtype: float32)")
  }

  @Test func boolBytesOtherThanZeroAndOneReadAsTrue() throws {
    // NumPy writes 0/1, but any nonzero byte means true; astype read the raw byte.
    let b = Self.npy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", data: [0, 2, 255])
    let t = try Tensor(npyData: Data(b))
    #expect(try t.astype(.int32).toInt32s() == [0, 1, 1])
    #expect(try t.sum() == 2)
    let s = try Tensor.loadSafetensors(Self.safetensors(#"{"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}"#, bytes: [3, 0]))
    #expect(try #require(s["m"]).astype(.int32).toInt32s() == [1, 0])
  }

  @Test func aHugeWholeNumberLabelIsAnErrorNotMillionsOfClasses() throws {
    let p = try writeBytes(Array("a,label\n1,0\n2,2000000000\n".utf8), "labels.csv")
    expectError(":3: label 2000000000 is too large for a class index (at most 16777215)") {
      _ = try Tensor.loadCSV(p, label: .name("label"))
    }
    let ok = try writeBytes(Array("a,label\n1,0\n2,3\n".utf8), "labels.csv")
    #expect(try Tensor.loadCSV(ok, label: .name("label")).classes == ["0", "1", "2", "3"])
  }
}

extension FileFuzzRegressionTests {
  static func safetensors(_ json: String, data: Int = 0, bytes: [UInt8] = []) throws -> String {
    let j = Array(json.utf8)
    let len = (0..<8).map { UInt8((j.count >> (8 * $0)) & 0xFF) }
    return try writeBytes(len + j + [UInt8](repeating: 0, count: data) + bytes, "x.safetensors")
  }

  @Test func safetensorsSizesMustBeWholeNumbersInRange() throws {
    // NSNumber.intValue truncated 1.5 and wrapped 2^64 - 1; each is now malformed.
    for shape in ["[1e300]", "[-1]", "[1.5]", "[18446744073709551615]", "[\"2\"]", "[null]"] {
      expectError("tensor 'w' has a malformed shape") {
        _ = try Tensor.loadSafetensors(Self.safetensors(#"{"w":{"dtype":"F32","shape":"# + shape + #","data_offsets":[0,8]}}"#, data: 8))
      }
    }
    for offsets in ["[0,1e300]", "[-8,0]", "[0.5,8.5]", "[0,18446744073709551615]", "[8,0]"] {
      expectError("tensor 'w' has malformed data_offsets") {
        _ = try Tensor.loadSafetensors(Self.safetensors(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":"# + offsets + "}}", data: 8))
      }
    }
    let ok = try Tensor.loadSafetensors(Self.safetensors(#"{"w":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}"#, data: 8))
    #expect(ok["w"]?.shape == [2])
  }
}

@Suite struct ArchiveFuzzTests {
  @Test func declaredSizesDoNotDecideTheAllocation() throws {
    // Found by the fuzzer: one npz member declaring 2.5 GB (and another also lying
    // about its compressed size, 3.1 GB) in a 593-byte file made the reader reserve
    // that much before reading a byte. The reservation is now bounded by what the
    // file can expand to; both are corrupt members (the CRC or the data disagree).
    for name in ["npz-declared-size-2550136832.npz", "npz-compressed-size-lies.npz"] {
      let p = try fixturePath("fuzz/" + name)
      expectError("'\(p)[") { _ = try Tensor.loadNPZ(p) }
    }
  }

  @Test func corruptedNPZFilesAreErrorsNotCrashes() throws {
    let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixturePath("deflated.npz"))))
    var g = RandomGenerator(seed: 5)
    let p = tempPath("fuzz.npz")
    for _ in 0..<150 {
      var b = good
      for _ in 0..<(1 + Int(g.nextInt(below: 6))) {
        b[Int(g.nextInt(below: UInt64(b.count)))] = UInt8(truncatingIfNeeded: g.next())
      }
      if g.nextInt(below: 4) == 0 { b = Array(b.prefix(Int(g.nextInt(below: UInt64(b.count))))) }
      try Data(b).write(to: URL(fileURLWithPath: p))
      do { _ = try Tensor.loadNPZ(p) } catch is TensorError {}
    }
  }
}
