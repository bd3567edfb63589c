// Little-endian primitives behind LTLearn's binary codec (Codec.swift).
//
// Every read is bounds-checked, and every length field is checked against the bytes left
// before anything is allocated, so a truncated or corrupt file gives a `LearnError` naming
// the byte offset, never a trap and never a huge allocation from a lying length.

/// Appends values in the codec's byte order (little-endian; floats as their bit patterns,
/// so NaN payloads and signed zeros survive).
struct ByteWriter {
  var bytes: [UInt8] = []

  mutating func u8(_ v: UInt8) { bytes.append(v) }
  mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
  mutating func u32(_ v: UInt32) {
    for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
  }
  mutating func u64(_ v: UInt64) {
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
  }
  mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
  mutating func f32(_ v: Float) { u32(v.bitPattern) }
  mutating func f64(_ v: Double) { u64(v.bitPattern) }
  mutating func string(_ s: String) {
    let utf8 = Array(s.utf8)
    int(utf8.count)
    bytes.append(contentsOf: utf8)
  }

  /// A count, then the floats' bytes in one copy on little-endian machines.
  mutating func floats(_ a: [Float]) {
    int(a.count)
    #if _endian(little)
      a.withUnsafeBytes { bytes.append(contentsOf: $0) }
    #else
      for v in a { f32(v) }
    #endif
  }
  mutating func doubles(_ a: [Double]) {
    int(a.count)
    for v in a { f64(v) }
  }
  mutating func ints(_ a: [Int]) {
    int(a.count)
    for v in a { int(v) }
  }
  mutating func int32s(_ a: [Int32]) {
    int(a.count)
    for v in a { u32(UInt32(bitPattern: v)) }
  }
  mutating func strings(_ a: [String]) {
    int(a.count)
    for s in a { string(s) }
  }
  /// A presence byte, then the value if present.
  mutating func optional<T>(_ v: T?, _ write: (inout ByteWriter, T) -> Void) {
    bool(v != nil)
    if let v { write(&self, v) }
  }
}

/// Reads what `ByteWriter` wrote; `what` names the object in error messages.
struct ByteReader {
  let bytes: [UInt8]
  let what: String
  private(set) var offset = 0

  init(_ bytes: [UInt8], what: String) {
    self.bytes = bytes
    self.what = what
  }

  var remaining: Int { bytes.count - offset }

  func error(_ message: String, at position: Int? = nil) -> LearnError {
    LearnError("corrupt \(what) data at byte \(position ?? offset) of \(bytes.count): \(message)")
  }

  private mutating func take(_ n: Int) throws -> Int {
    guard n >= 0, n <= remaining else {
      throw error("truncated (needs \(n) more bytes, \(remaining) left)")
    }
    defer { offset += n }
    return offset
  }

  mutating func u8() throws -> UInt8 { bytes[try take(1)] }
  mutating func bool() throws -> Bool {
    let at = offset
    switch try u8() {
    case 0: return false
    case 1: return true
    case let b: throw error("a flag must be 0 or 1, found \(b)", at: at)
    }
  }
  mutating func u32() throws -> UInt32 {
    let start = try take(4)
    var v: UInt32 = 0
    for i in 0..<4 { v |= UInt32(bytes[start + i]) << (8 * UInt32(i)) }
    return v
  }
  mutating func u64() throws -> UInt64 {
    let start = try take(8)
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(bytes[start + i]) << (8 * UInt64(i)) }
    return v
  }
  mutating func int() throws -> Int { Int(Int64(bitPattern: try u64())) }
  mutating func f32() throws -> Float { Float(bitPattern: try u32()) }
  mutating func f64() throws -> Double { Double(bitPattern: try u64()) }

  /// A whole number in `range`; `name` says what it is in the error.
  mutating func int(in range: ClosedRange<Int>, _ name: String) throws -> Int {
    let at = offset
    let v = try int()
    guard range.contains(v) else {
      throw error("\(name) \(v) is outside \(range.lowerBound)...\(range.upperBound)", at: at)
    }
    return v
  }

  /// A count of elements that each take at least `size` bytes: checked against the bytes
  /// left, so a lying count fails here instead of allocating.
  mutating func count(elementSize size: Int) throws -> Int {
    let at = offset
    let n = try int()
    guard n >= 0, n <= remaining / max(size, 1) else {
      throw error("a count of \(n) items does not fit in the \(remaining) bytes left", at: at)
    }
    return n
  }

  mutating func string() throws -> String {
    let n = try count(elementSize: 1)
    let start = try take(n)
    return String(decoding: bytes[start..<(start + n)], as: UTF8.self)
  }

  mutating func floats(count n: Int) throws -> [Float] {
    guard n >= 0, n <= remaining / 4 else {
      throw error("\(n) floats do not fit in the \(remaining) bytes left")
    }
    let start = try take(4 * n)
    #if _endian(little)
      var out = [Float](repeating: 0, count: n)
      out.withUnsafeMutableBytes { dst in
        bytes.withUnsafeBytes { src in
          dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[start..<(start + 4 * n)]))
        }
      }
      return out
    #else
      return (0..<n).map { i in
        var v: UInt32 = 0
        for b in 0..<4 { v |= UInt32(bytes[start + 4 * i + b]) << (8 * UInt32(b)) }
        return Float(bitPattern: v)
      }
    #endif
  }
  mutating func floats() throws -> [Float] { try floats(count: try count(elementSize: 4)) }
  mutating func doubles() throws -> [Double] {
    let n = try count(elementSize: 8)
    var out: [Double] = []
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(try f64()) }
    return out
  }
  mutating func ints() throws -> [Int] {
    let n = try count(elementSize: 8)
    var out: [Int] = []
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(try int()) }
    return out
  }
  mutating func int32s() throws -> [Int32] {
    let n = try count(elementSize: 4)
    var out: [Int32] = []
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(Int32(bitPattern: try u32())) }
    return out
  }
  mutating func strings() throws -> [String] {
    let n = try count(elementSize: 8)
    var out: [String] = []
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(try string()) }
    return out
  }
  mutating func optional<T>(_ read: (inout ByteReader) throws -> T) throws -> T? {
    try bool() ? try read(&self) : nil
  }

  /// Throws unless every byte was read.
  func finish() throws {
    if remaining != 0 { throw error("\(remaining) unexpected bytes after the end") }
  }
}
