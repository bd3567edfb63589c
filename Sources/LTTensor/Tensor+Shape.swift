/// Shape changes: reshape, transpose, squeeze, expand. Views where the memory
/// layout allows, copies otherwise.
extension Tensor {
  /// Resolves a possibly negative axis, or throws naming the axis and rank.
  func normalizeAxis(_ axis: Int, ndim n: Int? = nil) throws -> Int {
    let rank = n ?? ndim
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0 && a < rank else {
      throw TensorError("axis \(axis) is out of range for a tensor with \(rank) dimension\(rank == 1 ? "" : "s")")
    }
    return a
  }

  /// The same elements with a new shape; one length may be -1 (inferred).
  public func reshape(_ newShape: [Int]) throws -> Tensor {
    var target = newShape
    let unknown = newShape.indices.filter { newShape[$0] == -1 }
    if unknown.count > 1 { throw TensorError("can only specify one unknown dimension in reshape to \(formatShape(newShape))") }
    if let bad = newShape.first(where: { $0 < -1 }) { throw TensorError("invalid dimension \(bad) in reshape to \(formatShape(newShape))") }
    let known = try checkedCount(newShape.map { $0 == -1 ? 1 : $0 })
    if let u = unknown.first {
      guard known > 0, count % known == 0 else {
        throw TensorError("cannot reshape tensor of shape \(formatShape(shape)) into shape \(formatShape(newShape))")
      }
      target[u] = count / known
    }
    guard try checkedCount(target) == count else {
      throw TensorError("cannot reshape tensor of shape \(formatShape(shape)) into shape \(formatShape(newShape))")
    }
    let src = try contiguous()
    return Tensor(storage: src.storage, dtype: dtype, shape: target, strides: Tensor.contiguousStrides(target), offset: src.offset)
  }

  /// A 1-d view or copy of all elements in C order.
  public func flatten() throws -> Tensor { try reshape([-1]) }

  /// The axes permuted (`axes` nil reverses them); a view.
  public func transpose(_ axes: [Int]? = nil) throws -> Tensor {
    let perm = try axes.map { try $0.map { try normalizeAxis($0) } } ?? Array((0..<ndim).reversed())
    guard perm.count == ndim, Set(perm).count == ndim else {
      throw TensorError("axes \(formatShape(axes ?? [])) are not a permutation of the \(ndim) axes of shape \(formatShape(shape))")
    }
    return Tensor(storage: storage, dtype: dtype, shape: perm.map { shape[$0] }, strides: perm.map { strides[$0] }, offset: offset)
  }

  /// The transpose (axes reversed); a view. A 1-d tensor is returned as is.
  public var T: Tensor {
    Tensor(storage: storage, dtype: dtype, shape: shape.reversed(), strides: strides.reversed(), offset: offset)
  }

  /// Swaps two axes; a view.
  public func swapAxes(_ a: Int, _ b: Int) throws -> Tensor {
    var perm = Array(0..<ndim)
    let (x, y) = (try normalizeAxis(a), try normalizeAxis(b))
    perm.swapAt(x, y)
    return try transpose(perm)
  }

  /// Moves `axis` to the last position; a view.
  func movingAxisToEnd(_ axis: Int) -> Tensor {
    var perm = Array(0..<ndim)
    perm.remove(at: axis)
    perm.append(axis)
    return Tensor(storage: storage, dtype: dtype, shape: perm.map { shape[$0] }, strides: perm.map { strides[$0] }, offset: offset)
  }

  /// Inserts an axis of length 1 at `axis`; a view.
  public func expandDims(_ axis: Int) throws -> Tensor {
    let a = try normalizeAxis(axis, ndim: ndim + 1)
    var sh = shape, st = strides
    sh.insert(1, at: a)
    st.insert(0, at: a)
    return Tensor(storage: storage, dtype: dtype, shape: sh, strides: st, offset: offset)
  }

  /// Removes axes of length 1 (all of them, or just `axis`); a view.
  public func squeeze(_ axis: Int? = nil) throws -> Tensor {
    var sh = shape, st = strides
    if let axis {
      let a = try normalizeAxis(axis)
      guard shape[a] == 1 else { throw TensorError("cannot squeeze axis \(axis) of length \(shape[a])") }
      sh.remove(at: a)
      st.remove(at: a)
    } else {
      let keep = shape.indices.filter { shape[$0] != 1 }
      sh = keep.map { shape[$0] }
      st = keep.map { strides[$0] }
    }
    return Tensor(storage: storage, dtype: dtype, shape: sh, strides: st, offset: offset)
  }
}
