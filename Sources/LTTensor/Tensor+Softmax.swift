import CLTKernels

/// softmax and log_softmax along an axis, numerically stable (the maximum is
/// subtracted first). float32 rows go to the vectorised C kernel; other cases
/// are composed from the elementwise and reduction ops.
extension Tensor {
  /// softmax along `axis` (default the last): exp(x - max) / sum.
  public func softmax(axis: Int = -1) throws -> Tensor {
    try softmaxImpl(axis: axis, log: false)
  }

  /// log_softmax along `axis` (default the last): x - max - log(sum(exp(x - max))).
  public func logSoftmax(axis: Int = -1) throws -> Tensor {
    try softmaxImpl(axis: axis, log: true)
  }

  private func softmaxImpl(axis: Int, log: Bool) throws -> Tensor {
    let a = try normalizeAxis(axis)
    let x = dtype.isFloat ? self : try astype(.float32)
    if x.dtype == .float32 {
      let moved = a == ndim - 1 ? x : x.movingAxisToEnd(a)
      let c = try moved.contiguous()
      let out = try Tensor.empty(c.shape, .float32, zeroed: false)
      let cols = c.shape.last ?? 1
      let rows = cols == 0 ? 0 : c.count / cols
      lt_softmax_rows_f32(c.pointer(Float.self), out.pointer(Float.self), Int64(rows), Int64(cols), log ? 1 : 0)
      if a == ndim - 1 { return out }
      // move the last axis back to `a`
      var perm = Array(0..<(ndim - 1))
      perm.insert(ndim - 1, at: a)
      return try out.transpose(perm).contiguous()
    }
    let m = try x.max(axis: a, keepdims: true)
    let shifted = try x - m
    let e = try shifted.exp()
    let s = try e.sum(axis: a, keepdims: true)
    return log ? try shifted - s.log() : try e / s
  }
}
