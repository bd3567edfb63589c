/// Indexing with NumPy semantics: integers (negative from the end), slices
/// with steps, the full slice, a new axis, integer tensors (gather) and boolean
/// tensors (mask); several index tensors follow NumPy's advanced indexing
/// (Tensor+AdvancedIndex.swift). Integers and slices give views; tensor indices copy.
import LTNumberText
public enum IndexItem: Sendable {
  /// One position; removes the axis. Negative counts from the end.
  case index(Int)
  /// `start:stop:step`, each optional, with NumPy's clamping rules.
  case slice(Int?, Int?, Int?)
  /// `:`, the whole axis.
  case all
  /// Inserts an axis of length 1 (NumPy's `None`).
  case newAxis
  /// An integer tensor (gather along the axis) or a bool tensor (mask).
  case tensor(Tensor)
}

/// Start, step and count of a slice over an axis of `length`, as Python's slice.indices.
func sliceRange(_ start: Int?, _ stop: Int?, _ step: Int?, length: Int) throws -> (start: Int, step: Int, count: Int) {
  let st = step ?? 1
  guard st != 0 else { throw TensorError("slice step cannot be zero") }
  if st > 0 {
    var s = start ?? 0, e = stop ?? length
    if s < 0 { s += length }
    if e < 0 { e += length }
    s = Swift.min(Swift.max(s, 0), length)
    e = Swift.min(Swift.max(e, 0), length)
    return (s, st, e > s ? (e - s - 1) / st + 1 : 0)
  } else {
    var s = start ?? length - 1, e = stop ?? -length - 1
    if s < 0 { s += length }
    if e < 0 { e += length }
    s = Swift.min(Swift.max(s, -1), length - 1)
    e = Swift.min(Swift.max(e, -1), length - 1)
    // -(st + 1) cannot overflow even for Int.min; (s - e - 1) / |st| + 1 elements
    return (s, st, s > e ? (s - e - 1) / (st == Int.min ? Int.max : -st) + 1 : 0)
  }
}

extension Tensor {
  /// `t[items...]`; fewer items than axes leave the trailing axes whole.
  public subscript(_ items: IndexItem...) -> Tensor {
    get throws { try index(items) }
  }

  /// Indexes with a list of items (see `IndexItem`).
  public func index(_ items: [IndexItem]) throws -> Tensor {
    let tensors = items.filter { if case .tensor = $0 { return true } else { return false } }.count
    let integers = items.contains { if case .index = $0 { return true } else { return false } }
    if tensors > 1 || (tensors == 1 && integers) { return try advancedIndex(items) }
    let consuming = items.filter { if case .newAxis = $0 { return false } else { return true } }.count
    guard consuming <= ndim else {
      throw TensorError("too many indices for a tensor of shape \(formatShape(shape)): \(consuming) given")
    }
    var sh: [Int] = [], st: [Int] = []
    var off = offset
    var axis = 0
    var advanced: (tensor: Tensor, axis: Int, sourceAxis: Int)?
    for item in items {
      switch item {
      case .index(let i):
        let len = shape[axis]
        let j = i < 0 ? i + len : i
        guard j >= 0 && j < len else {
          throw TensorError("index \(i) is out of range for axis \(axis) with length \(len)")
        }
        off += j * strides[axis]
        axis += 1
      case .slice(let a, let b, let c):
        let r = try sliceRange(a, b, c, length: shape[axis])
        if r.count > 0 { off += r.start * strides[axis] }
        sh.append(r.count)
        // with fewer than two elements the step is never applied (and a huge step could overflow)
        st.append(r.count > 1 ? strides[axis] * r.step : strides[axis])
        axis += 1
      case .all:
        sh.append(shape[axis])
        st.append(strides[axis])
        axis += 1
      case .newAxis:
        sh.append(1)
        st.append(0)
      case .tensor(let t):
        advanced = (t, sh.count, axis)
        let span = t.dtype == .bool ? Swift.max(t.ndim, 1) : 1
        guard axis + span <= ndim else {
          throw TensorError("boolean index of shape \(formatShape(t.shape)) has more axes than the remaining \(ndim - axis) of shape \(formatShape(shape))")
        }
        for k in 0..<span {
          sh.append(shape[axis + k])
          st.append(strides[axis + k])
        }
        axis += span
      }
    }
    while axis < ndim {
      sh.append(shape[axis])
      st.append(strides[axis])
      axis += 1
    }
    let view = Tensor(storage: storage, dtype: dtype, shape: sh, strides: st, offset: off)
    guard let adv = advanced else { return view }
    if adv.tensor.dtype == .bool {
      return try view.applyMask(adv.tensor, at: adv.axis, sourceAxis: adv.sourceAxis)
    }
    return try view.take(adv.tensor, axis: adv.axis, sourceAxis: adv.sourceAxis)
  }

  /// Mask over axes `a..<a+mask.ndim`: those axes become one axis of the selected positions.
  private func applyMask(_ mask: Tensor, at a: Int, sourceAxis: Int) throws -> Tensor {
    let k = Swift.max(mask.ndim, 1)
    let covered = Array(shape[a..<(a + k)])
    guard mask.shape == covered || (mask.ndim == 0 && covered == [1]) else {
      throw TensorError("boolean index of shape \(formatShape(mask.shape)) does not match shape \(formatShape(covered)) at axis \(sourceAxis)")
    }
    let merged = Array(shape[..<a]) + [covered.reduce(1, *)] + Array(shape[(a + k)...])
    let flatView = try reshape(merged)
    let bits = mask.toDoubles()
    let picked = bits.indices.filter { bits[$0] != 0 }.map { Int32($0) }
    return try flatView.take(Tensor(int32s: picked, shape: [picked.count]), axis: a)
  }

  /// Elements at `indices` along `axis` (nil: of the flattened tensor); the
  /// axis is replaced by the shape of `indices`. Negative indices count from the end.
  public func take(_ indices: Tensor, axis: Int? = nil) throws -> Tensor {
    guard let axis else { return try reshape([-1]).take(indices, axis: 0) }
    return try take(indices, axis: try normalizeAxis(axis), sourceAxis: axis)
  }

  fileprivate func take(_ indices: Tensor, axis a: Int, sourceAxis: Int) throws -> Tensor {
    guard indices.dtype != .bool else {
      return try applyMask(indices, at: a, sourceAxis: sourceAxis)
    }
    let len = shape[a]
    let raw = indices.toDoubles()
    var idx = [Int](repeating: 0, count: raw.count)
    for (q, v) in raw.enumerated() {
      guard v.rounded() == v, Swift.abs(v) < 9e15 else {
        throw TensorError("index \(formatNumber(v)) is not a whole number")
      }
      let i = Int(v)
      let j = i < 0 ? i + len : i
      guard j >= 0 && j < len else {
        throw TensorError("index \(i) is out of range for axis \(sourceAxis) with length \(len)")
      }
      idx[q] = j
    }
    let src = try contiguous()
    let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
    let out = try Tensor.empty(Array(shape[..<a]) + indices.shape + Array(shape[(a + 1)...]), dtype)
    let bytes = inner * dtype.itemSize
    if bytes == 0 { return out }
    for o in 0..<outer {
      for (q, j) in idx.enumerated() {
        let from = src.raw + ((o * len + j) * inner) * dtype.itemSize
        let to = out.raw + ((o * idx.count + q) * inner) * dtype.itemSize
        to.copyMemory(from: from, byteCount: bytes)
      }
    }
    return out
  }

  /// Elements chosen from `a` where `cond` is true and from `b` elsewhere,
  /// all three broadcast together; the dtype is promote(a, b).
  public static func `where`(_ cond: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let shape = try broadcastShape(try broadcastShape(cond.shape, a.shape), b.shape)
    let dt = DType.promote(a.dtype, b.dtype)
    let c = try cond.astype(.bool), x = try a.astype(dt), y = try b.astype(dt)
    let out = try Tensor.empty(shape, dt)
    if out.count == 0 { return out }
    let loop = StridedLoop(shape: shape, strides: [c.broadcastStrides(to: shape), x.broadcastStrides(to: shape), y.broadcastStrides(to: shape)])
    func run<T>(_: T.Type) {
      let pc = c.pointer(UInt8.self), px = x.pointer(T.self), py = y.pointer(T.self), po = out.pointer(T.self)
      let (sc, sx, sy) = (loop.innerStride(0), loop.innerStride(1), loop.innerStride(2))
      let n = loop.inner
      loop.forEachRow(0..<loop.rows) { start, offs in
        let (rc, rx, ry) = (pc + offs[0], px + offs[1], py + offs[2])
        for i in 0..<n { po[start + i] = rc[i * sc] != 0 ? rx[i * sx] : ry[i * sy] }
      }
    }
    switch dt {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    case .int32: run(Int32.self)
    case .bool: run(UInt8.self)
    }
    return out
  }
}
