/// Reads what `ByteWriter` wrote. Every read is bounds-checked, and every length field is
/// checked against the bytes left before anything is allocated, so a truncated or corrupt
/// input is an error naming the byte offset, never a trap and never a huge allocation
/// from a lying length.
///
/// Errors are made by the codec that owns the reader (`makeError`), so each layer throws
/// its own error type with its own wording: the reader supplies the message, the offset
/// and the size of the input.
public struct ByteReader: Sendable {
  public typealias ErrorMaker = @Sendable (_ message: String, _ offset: Int, _ size: Int) -> any Error

  public let bytes: [UInt8]
  public private(set) var offset = 0
  let makeError: ErrorMaker

  public init(_ bytes: [UInt8], error makeError: @escaping ErrorMaker) {
    self.bytes = bytes
    self.makeError = makeError
  }

  /// A reader whose errors read "corrupt WHAT data at byte N of SIZE: message".
  public init(_ bytes: [UInt8], what: String, error wrap: @escaping @Sendable (String) -> any Error) {
    self.init(bytes) { message, at, size in wrap("corrupt \(what) data at byte \(at) of \(size): \(message)") }
  }

  /// Checks a header written by `ByteWriter(magic:kind:version:)`; `library` and
  /// `kindName` name what was expected in the errors.
  public mutating func header(
    magic: String, library: String, kind: UInt8, kindName: String, version: UInt8
  ) throws {
    for m in Array(magic.utf8) {
      guard try u8() == m else { throw error("not \(library) codec data (bad magic)", at: 0) }
    }
    let at = offset
    let k = try u8()
    guard k == kind else { throw error("holds kind \(k), not a \(kindName) (\(kind))", at: at) }
    let v = try u8()
    guard v == version else { throw error("format version \(v); this ltnb reads \(version)", at: at + 1) }
  }

  public var remaining: Int { bytes.count - offset }

  public func error(_ message: String, at position: Int? = nil) -> any Error {
    makeError(message, position ?? offset, bytes.count)
  }

  /// Advances past `n` bytes and returns where they start.
  mutating func take(_ n: Int) throws -> Int {
    guard n >= 0, n <= remaining else {
      throw error("truncated (needs \(n) more bytes, \(remaining) left)")
    }
    defer { offset += n }
    return offset
  }

  public mutating func u8() throws -> UInt8 { bytes[try take(1)] }
  public mutating func bool() throws -> Bool {
    let at = offset
    switch try u8() {
    case 0: return false
    case 1: return true
    case let b: throw error("a flag must be 0 or 1, found \(b)", at: at)
    }
  }
  public mutating func u32() throws -> UInt32 {
    let start = try take(4)
    var v: UInt32 = 0
    for i in 0..<4 { v |= UInt32(bytes[start + i]) << (8 * UInt32(i)) }
    return v
  }
  public mutating func u64() throws -> UInt64 {
    let start = try take(8)
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(bytes[start + i]) << (8 * UInt64(i)) }
    return v
  }
  public mutating func int() throws -> Int { Int(Int64(bitPattern: try u64())) }
  public mutating func f32() throws -> Float { Float(bitPattern: try u32()) }
  public mutating func f64() throws -> Double { Double(bitPattern: try u64()) }

  /// A whole number in `range`; `name` says what it is in the error.
  public mutating func int(in range: ClosedRange<Int>, _ name: String) throws -> Int {
    let at = offset
    let v = try int()
    guard range.contains(v) else {
      throw error("\(name) \(v) is outside \(range.lowerBound)...\(range.upperBound)", at: at)
    }
    return v
  }

  /// A count of elements that each take at least `size` bytes: checked against the bytes
  /// left, so a lying count fails here instead of allocating.
  public mutating func count(elementSize size: Int) throws -> Int {
    let at = offset
    let n = try int()
    guard n >= 0, n <= remaining / max(size, 1) else {
      throw error("a count of \(n) items does not fit in the \(remaining) bytes left", at: at)
    }
    return n
  }

  /// `n` raw bytes.
  public mutating func raw(_ n: Int) throws -> ArraySlice<UInt8> {
    let start = try take(n)
    return bytes[start..<(start + n)]
  }
  /// A byte count, then the bytes (what `ByteWriter.bytes` wrote).
  public mutating func lengthPrefixed() throws -> ArraySlice<UInt8> { try raw(try count(elementSize: 1)) }
  public mutating func string() throws -> String { String(decoding: try lengthPrefixed(), as: UTF8.self) }

  public mutating func floats(count n: Int) throws -> [Float] {
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
  public mutating func floats() throws -> [Float] { try floats(count: try count(elementSize: 4)) }
  public mutating func doubles() throws -> [Double] { try list(elementSize: 8) { try $0.f64() } }
  public mutating func ints() throws -> [Int] { try list(elementSize: 8) { try $0.int() } }
  public mutating func int32s() throws -> [Int32] {
    try list(elementSize: 4) { Int32(bitPattern: try $0.u32()) }
  }
  public mutating func strings() throws -> [String] { try list(elementSize: 8) { try $0.string() } }

  /// A count, then that many items, each read with `read` (each at least `elementSize` bytes).
  public mutating func list<T>(elementSize: Int, _ read: (inout ByteReader) throws -> T) throws -> [T] {
    let n = try count(elementSize: elementSize)
    var out: [T] = []
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(try read(&self)) }
    return out
  }
  public mutating func optional<T>(_ read: (inout ByteReader) throws -> T) throws -> T? {
    try bool() ? try read(&self) : nil
  }

  /// Throws unless every byte was read.
  public func finish() throws {
    if remaining != 0 { throw error("\(remaining) unexpected bytes after the end") }
  }
}
