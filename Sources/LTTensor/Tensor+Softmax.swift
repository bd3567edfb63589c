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

  /// softmax along the last axis of a float32 tensor, written into `out` (one slot per
  /// element, C order), so a streaming caller reuses one buffer for every block instead
  /// of mapping and faulting in a fresh one each time. The bits equal `softmax()`'s.
  public func softmax(into out: UnsafeMutableBufferPointer<Float>) throws {
    guard dtype == .float32 else { throw TensorError("softmax(into:) needs float32, got \(dtype)") }
    guard out.count == count else { throw TensorError("softmax(into:) got \(out.count) slots for \(count) elements") }
    guard let o = out.baseAddress, count > 0 else { return }
    let c = try contiguous()
    let cols = c.shape.last ?? 1
    let rows = cols == 0 ? 0 : c.count / cols
    withExtendedLifetime(c) { lt_softmax_rows_f32(c.pointer(Float.self), o, Int64(rows), Int64(cols), 0) }
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
