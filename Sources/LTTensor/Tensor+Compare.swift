/// Whole-tensor comparisons that answer with a Bool.
extension Tensor {
  /// Whether both tensors have the same shape and equal elements (NaN is
  /// never equal, as NumPy's array_equal). Dtypes may differ.
  public func equal(_ other: Tensor) -> Bool {
    guard shape == other.shape else { return false }
    let a = toDoubles(), b = other.toDoubles()
    return a == b
  }

  /// Whether |a - b| <= atol + rtol * |b| for every element after
  /// broadcasting (NumPy's allclose; NaN is never close, and an infinity is close
  /// only to the same infinity, as NumPy's isclose).
  public func allclose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8) throws -> Bool {
    let shape = try broadcastShape(self.shape, other.shape)
    let a = try broadcast(to: shape).toDoubles(), b = try other.broadcast(to: shape).toDoubles()
    for i in a.indices {
      let (x, y) = (a[i], b[i])
      if x == y { continue }   // equal infinities
      if x.isInfinite || y.isInfinite { return false }   // else |x - y| = inf <= rtol * inf
      if !(Swift.abs(x - y) <= atol + rtol * Swift.abs(y)) { return false }
    }
    return true
  }
}
