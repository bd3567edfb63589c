import Testing

@testable import LTBytes

/// LTBytes' primitives: exact round trips, and a truncated, lying or corrupt input always
/// an error made by the owner's error maker, never a trap or an allocation.
@Suite struct ByteCodecTests {
  struct Failure: Error, Equatable { let message: String }

  func reader(_ bytes: [UInt8]) -> ByteReader { ByteReader(bytes, what: "test") { Failure(message: $0) } }

  func expectFailure(_ fragment: String, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) {
    do {
      try body()
      Issue.record("expected an error containing \"\(fragment)\"", sourceLocation: sourceLocation)
    } catch let f as Failure {
      #expect(f.message.contains(fragment), "message was: \(f.message)", sourceLocation: sourceLocation)
    } catch {
      Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test func everyPrimitiveRoundTripsExactly() throws {
    var w = ByteWriter(magic: "LTXX", kind: 7, version: 3)
    w.u8(250); w.bool(true); w.u32(0xDEAD_BEEF); w.u64(.max); w.int(-42)
    w.f32(-0.0); w.f64(.nan); w.string("naïve ∑"); w.bytes([1, 2, 3])
    w.floats([1.5, .infinity, -Float.leastNonzeroMagnitude]); w.doubles([-0.0, 1e300])
    w.ints([Int.min, 0, Int.max]); w.int32s([Int32.min, -1]); w.strings(["", "a"])
    w.optional(Int?.none) { $0.int($1) }; w.optional(Int?.some(9)) { $0.int($1) }
    var r = reader(w.bytes)
    try r.header(magic: "LTXX", library: "Test", kind: 7, kindName: "thing", version: 3)
    #expect(try r.u8() == 250 && r.bool() == true && r.u32() == 0xDEAD_BEEF && r.u64() == .max)
    #expect(try r.int() == -42)
    #expect(try r.f32().bitPattern == (-0.0 as Float).bitPattern)
    #expect(try r.f64().isNaN)
    #expect(try r.string() == "naïve ∑")
    #expect(Array(try r.lengthPrefixed()) == [1, 2, 3])
    #expect(try r.floats().map(\.bitPattern) == [1.5, .infinity, -Float.leastNonzeroMagnitude].map(\.bitPattern))
    #expect(try r.doubles().map(\.bitPattern) == [-0.0, 1e300].map(\.bitPattern))
    #expect(try r.ints() == [Int.min, 0, Int.max])
    #expect(try r.int32s() == [Int32.min, -1])
    #expect(try r.strings() == ["", "a"])
    #expect(try r.optional { try $0.int() } == nil)
    #expect(try r.optional { try $0.int() } == 9)
    try r.finish()
  }

  /// The layout is little-endian whatever the machine: the bytes are fixed.
  @Test func theLayoutIsLittleEndian() {
    var w = ByteWriter()
    w.u32(0x0102_0304); w.int(1); w.f32(1)
    #expect(w.bytes == [4, 3, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x3F])
  }

  @Test func headersAreChecked() {
    let good = ByteWriter(magic: "LTXX", kind: 1, version: 2).bytes
    expectFailure("corrupt test data at byte 0 of 6: not Test codec data (bad magic)") {
      var r = reader(Array("nope!!".utf8))
      try r.header(magic: "LTXX", library: "Test", kind: 1, kindName: "thing", version: 2)
    }
    expectFailure("at byte 4 of 6: holds kind 1, not a widget (5)") {
      var r = reader(good)
      try r.header(magic: "LTXX", library: "Test", kind: 5, kindName: "widget", version: 2)
    }
    expectFailure("at byte 5 of 6: format version 2; this ltnb reads 9") {
      var r = reader(good)
      try r.header(magic: "LTXX", library: "Test", kind: 1, kindName: "thing", version: 9)
    }
  }

  @Test func lyingLengthsTruncationsAndBadFlagsAreErrors() {
    var w = ByteWriter()
    w.int(1 << 60)
    for read in [{ (r: inout ByteReader) in _ = try r.floats() }, { _ = try $0.doubles() },
                 { _ = try $0.string() }, { _ = try $0.strings() }, { _ = try $0.int32s() }] {
      expectFailure("does not fit") { var r = reader(w.bytes); try read(&r) }
    }
    expectFailure("truncated (needs 8 more bytes, 3 left)") { var r = reader([1, 2, 3]); _ = try r.int() }
    expectFailure("a flag must be 0 or 1, found 2") { var r = reader([2]); _ = try r.bool() }
    expectFailure("2 unexpected bytes after the end") { try reader([0, 0]).finish() }
    expectFailure("width 5 is outside 0...3") {
      var v = ByteWriter()
      v.int(5)
      var r = reader(v.bytes)
      _ = try r.int(in: 0...3, "width")
    }
  }

  /// Every prefix of a valid encoding fails cleanly; the error maker sees the offset.
  @Test func everyTruncationIsAnError() {
    var w = ByteWriter()
    w.strings(["alpha", "beta"]); w.floats([1, 2, 3]); w.doubles([4])
    for n in 0..<w.bytes.count {
      var r = ByteReader(Array(w.bytes[0..<n])) { msg, at, size in
        #expect(at <= size)
        return Failure(message: msg)
      }
      #expect(throws: Failure.self) {
        _ = try r.strings(); _ = try r.floats(); _ = try r.doubles()
        try r.finish()
      }
    }
  }
}
