import CNumberFormat
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one text form of a number, shared by display (`print`, `str`, the REPL) and by
/// every diagnostic below the language (LTLearn, LTTensor): Swift's own `description`
/// prints a NaN with its sign bit set as "-nan", so an error about a NaN logit read
/// differently from the value the user printed.

/// Whole numbers print without a point; others in the shortest form that reads back
/// exactly; `nan` (whatever its sign bit), `inf`, `-inf`.
public func formatNumber(_ x: Double) -> String {
  if x.isNaN { return "nan" }
  if x.isInfinite { return x < 0 ? "-inf" : "inf" }
  if x == x.rounded(), abs(x) < 1e16 {
    if x == 0 { return "0" }
    return String(Int64(x))
  }
  return x.description
}

/// A float32 value in the same form, shortest for float32 (0.1, not 0.10000000149011612).
public func formatNumber(_ x: Float) -> String {
  if x.isNaN || x.isInfinite { return formatNumber(Double(x)) }
  if x == x.rounded(), abs(x) < 1e16 { return formatNumber(Double(x)) }
  return x.description
}

/// `x` with `digits` decimals, as C's `%.*f` prints it (`fmt`, `round`, tensor display).
/// Through C's snprintf (CNumberFormat) rather than Foundation's `String(format:)`, which
/// gives the same text but costs about a microsecond a call and 0.2 ms on first use in a
/// process, or Swift's `withVaList`, whose first use scans the binary's conformances.
public func formatFixed(_ x: Double, digits: Int) -> String {
  formatC(x, precision: digits, lt_format_fixed)
}

/// `x` in C's `%.*e` form with `digits` decimals.
public func formatScientific(_ x: Double, digits: Int) -> String {
  formatC(x, precision: digits, lt_format_scientific)
}

private func formatC(_ x: Double, precision: Int,
                     _ print: (UnsafeMutablePointer<CChar>?, Int, Int32, Double) -> Int32) -> String {
  let p = Int32(max(0, min(precision, 1000)))
  var buffer = [CChar](repeating: 0, count: 64)
  var n = buffer.withUnsafeMutableBufferPointer { print($0.baseAddress, $0.count, p, x) }
  if n >= Int32(buffer.count) {
    buffer = [CChar](repeating: 0, count: Int(n) + 1)
    n = buffer.withUnsafeMutableBufferPointer { print($0.baseAddress, $0.count, p, x) }
  }
  guard n >= 0 else { return formatNumber(x) }
  return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
