// LTBytes: the bounded little-endian primitives under every binary codec in ltnb
// (LTLearn's datasets, models and worlds; LTPlot's figures and tables; LTLang's cache
// entries). One implementation, one set of tests (Tests/LTBytesTests), one fuzzed path.

/// Appends values in little-endian byte order; floats as their bit patterns, so NaN
/// payloads, infinities and signed zeros survive exactly.
public struct ByteWriter: Sendable {
  public var bytes: [UInt8]

  public init() { bytes = [] }

  /// Starts a buffer with a codec header: `magic`'s UTF-8 bytes, a kind byte, a version byte.
  public init(magic: String, kind: UInt8, version: UInt8) {
    bytes = Array(magic.utf8) + [kind, version]
  }

  public mutating func u8(_ v: UInt8) { bytes.append(v) }
  public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
  public mutating func u32(_ v: UInt32) {
    for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
  }
  public mutating func u64(_ v: UInt64) {
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
  }
  public mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
  public mutating func f32(_ v: Float) { u32(v.bitPattern) }
  public mutating func f64(_ v: Double) { u64(v.bitPattern) }
  /// A byte count, then the UTF-8 bytes.
  public mutating func string(_ s: String) { bytes(Array(s.utf8)) }
  /// A byte count, then the bytes.
  public mutating func bytes<C: Collection>(_ b: C) where C.Element == UInt8 {
    int(b.count)
    bytes.append(contentsOf: b)
  }

  /// A count, then the floats' bytes in one copy on little-endian machines.
  public mutating func floats(_ a: [Float]) {
    int(a.count)
    #if _endian(little)
      a.withUnsafeBytes { bytes.append(contentsOf: $0) }
    #else
      for v in a { f32(v) }
    #endif
  }
  public mutating func doubles(_ a: [Double]) {
    int(a.count)
    for v in a { f64(v) }
  }
  public mutating func ints(_ a: [Int]) {
    int(a.count)
    for v in a { int(v) }
  }
  public mutating func int32s(_ a: [Int32]) {
    int(a.count)
    for v in a { u32(UInt32(bitPattern: v)) }
  }
  public mutating func strings(_ a: [String]) {
    int(a.count)
    for s in a { string(s) }
  }
  /// A presence byte, then the value if present.
  public mutating func optional<T>(_ v: T?, _ write: (inout ByteWriter, T) -> Void) {
    bool(v != nil)
    if let v { write(&self, v) }
  }
}
