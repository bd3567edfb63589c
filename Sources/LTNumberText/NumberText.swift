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
