/// Cumulative sums and vector norms.
extension Tensor {
  /// Running sums along `axis` (nil: over the flattened tensor), summed in
  /// double; float dtypes are kept, int32 and bool give int32.
  public func cumsum(axis: Int? = nil) throws -> Tensor {
    guard let axis else { return try reshape([-1]).cumsum(axis: 0) }
    let a = try normalizeAxis(axis)
    let c = try contiguous()
    let (outer, len, inner) = axisLayout(a)
    let out = try Tensor.empty(shape, dtype.isFloat ? dtype : .int32)
    var acc = [Double](repeating: 0, count: inner)
    for o in 0..<outer {
      for j in 0..<inner { acc[j] = 0 }
      for l in 0..<len {
        let base = (o * len + l) * inner
        for j in 0..<inner {
          acc[j] += c.double(atOffset: base + j)
          writeDouble(acc[j], into: out, at: base + j)
        }
      }
    }
    return out
  }

  /// Euclidean (L2) norm of all elements.
  public func norm() throws -> Double {
    let x = dtype.isFloat ? self : try astype(.float32)
    return try (x * x).sum().squareRoot()
  }

  /// Euclidean (L2) norms along `axis`.
  public func norm(axis: Int, keepdims: Bool = false) throws -> Tensor {
    let x = dtype.isFloat ? self : try astype(.float32)
    return try (x * x).sum(axis: axis, keepdims: keepdims).sqrt()
  }

  /// Rows scaled to unit L2 norm along `axis` (default the last); norms below
  /// `eps` are clamped to it (as PyTorch's F.normalize) so zero rows stay zero.
  public func normalize(axis: Int = -1, eps: Double = 1e-12) throws -> Tensor {
    let n = try norm(axis: axis, keepdims: true).clip(eps, nil)
    return try (dtype.isFloat ? self : astype(.float32)) / n
  }
}
