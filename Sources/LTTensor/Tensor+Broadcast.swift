/// NumPy broadcasting: shapes are aligned from the right; on each axis the
/// lengths must be equal or one of them 1.

/// The shape two operands broadcast to, or an error naming both shapes.
public func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
  let n = Swift.max(a.count, b.count)
  var out = [Int](repeating: 1, count: n)
  for i in 0..<n {
    let da = i < n - a.count ? 1 : a[i - (n - a.count)]
    let db = i < n - b.count ? 1 : b[i - (n - b.count)]
    if da == db || db == 1 {
      out[i] = da
    } else if da == 1 {
      out[i] = db
    } else {
      throw TensorError("shapes \(formatShape(a)) and \(formatShape(b)) cannot be broadcast together: \(da) != \(db) at axis \(i)")
    }
  }
  return out
}

extension Tensor {
  /// Strides that read this tensor as if it had shape `target` (which it must
  /// broadcast to): stride 0 on broadcast axes.
  func broadcastStrides(to target: [Int]) -> [Int] {
    let pad = target.count - shape.count
    var s = [Int](repeating: 0, count: target.count)
    for i in 0..<shape.count where shape[i] != 1 {
      s[i + pad] = strides[i]
    }
    return s
  }

  /// A view of this tensor with shape `target` (no copy; broadcast axes repeat).
  public func broadcast(to target: [Int]) throws -> Tensor {
    _ = try checkedCount(target)   // rejects negative lengths
    let joined = try broadcastShape(shape, target)
    guard joined == target else {
      throw TensorError("shape \(formatShape(shape)) cannot be broadcast to \(formatShape(target))")
    }
    return Tensor(storage: storage, dtype: dtype, shape: target, strides: broadcastStrides(to: target), offset: offset)
  }
}
