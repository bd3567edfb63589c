/// Joining tensors: concat along an existing axis, stack along a new one.
extension Tensor {
  /// Joins tensors along `axis`; other axes must match. The dtype is the
  /// promotion of all inputs.
  public static func concat(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
    guard let first = tensors.first else { throw TensorError("concat needs at least one tensor") }
    guard first.ndim > 0 else { throw TensorError("zero-dimensional tensors cannot be concatenated") }
    let a = try first.normalizeAxis(axis)
    let dt = tensors.dropFirst().reduce(first.dtype) { DType.promote($0, $1.dtype) }
    var total = 0
    for (i, t) in tensors.enumerated() {
      var expect = first.shape, got = t.shape
      guard got.count == expect.count else {
        throw TensorError("concat: tensor \(i) has shape \(formatShape(t.shape)), expected \(first.ndim) dimensions like \(formatShape(first.shape))")
      }
      expect[a] = 0
      got[a] = 0
      guard got == expect else {
        throw TensorError("concat: tensor \(i) has shape \(formatShape(t.shape)), which does not match \(formatShape(first.shape)) except on axis \(axis)")
      }
      total += t.shape[a]
    }
    var outShape = first.shape
    outShape[a] = total
    let out = try Tensor.empty(outShape, dt)
    let outer = first.shape[..<a].reduce(1, *), inner = first.shape[(a + 1)...].reduce(1, *)
    let item = dt.itemSize
    var start = 0
    for t in tensors {
      let src = try t.astype(dt).contiguous()
      let block = t.shape[a] * inner * item
      if block > 0 {
        for o in 0..<outer {
          (out.raw + (o * total * inner + start * inner) * item).copyMemory(from: src.raw + o * block, byteCount: block)
        }
      }
      start += t.shape[a]
    }
    return out
  }

  /// Joins same-shaped tensors along a new axis `axis`.
  public static func stack(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
    guard let first = tensors.first else { throw TensorError("stack needs at least one tensor") }
    for (i, t) in tensors.enumerated() where t.shape != first.shape {
      throw TensorError("stack: tensor \(i) has shape \(formatShape(t.shape)), expected \(formatShape(first.shape))")
    }
    return try concat(tensors.map { try $0.expandDims(axis) }, axis: axis)
  }
}
