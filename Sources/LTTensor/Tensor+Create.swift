/// Factory functions: zeros, ones, full, eye, arange, linspace.
extension Tensor {
  /// A tensor of zeros.
  public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
    try Tensor.empty(shape, dtype)
  }

  /// A tensor of ones.
  public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
    try full(shape, 1, dtype: dtype)
  }

  /// A tensor with every element `value`.
  public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) throws -> Tensor {
    let t = try Tensor.empty(shape, dtype)
    let n = t.count
    switch dtype {
    case .float32: t.pointer(Float.self).update(repeating: Float(value), count: n)
    case .float64: t.pointer(Double.self).update(repeating: value, count: n)
    case .int32: t.pointer(Int32.self).update(repeating: int32Value(value), count: n)
    case .bool: t.pointer(UInt8.self).update(repeating: value != 0 ? 1 : 0, count: n)
    }
    return t
  }

  /// An n x m matrix with ones on the diagonal (m defaults to n).
  public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) throws -> Tensor {
    let cols = m ?? n
    let t = try Tensor.empty([n, cols], dtype)
    for i in 0..<Swift.min(n, cols) { writeDouble(1, into: t, at: i * cols + i) }
    return t
  }

  /// Evenly spaced values in [start, stop) with `step`, as NumPy's arange.
  public static func arange(_ start: Double, _ stop: Double? = nil, step: Double = 1, dtype: DType = .float32) throws -> Tensor {
    let (lo, hi) = stop.map { (start, $0) } ?? (0, start)
    guard step != 0, step.isFinite, lo.isFinite, hi.isFinite else {
      throw TensorError("arange needs a finite nonzero step and finite bounds")
    }
    let n = Swift.max(0, (hi - lo) / step).rounded(.up)
    guard n < Double(Int.max / 8) else { throw TensorError("tensor of shape (\(n),) is too large") }
    let t = try Tensor.empty([Int(n)], dtype)
    for i in 0..<Int(n) { writeDouble(lo + Double(i) * step, into: t, at: i) }
    return t
  }

  /// `num` evenly spaced values from start to stop inclusive, as NumPy's linspace.
  public static func linspace(_ start: Double, _ stop: Double, _ num: Int = 50, dtype: DType = .float32) throws -> Tensor {
    guard num >= 0 else { throw TensorError("linspace needs a non-negative number of samples, got \(num)") }
    let t = try Tensor.empty([num], dtype)
    let step = num > 1 ? (stop - start) / Double(num - 1) : 0
    for i in 0..<num { writeDouble(i == num - 1 && num > 1 ? stop : start + Double(i) * step, into: t, at: i) }
    return t
  }
}
