/// NumPy's advanced indexing with several index tensors, or index tensors mixed with
/// integers: `t[[0, 1], :, [2, 3]]`, `t[1, :, [0, 2]]`, `t[mask, [0, 2]]`.
///
/// The rules are NumPy's: once a tensor index is present, integers count as 0-d index
/// tensors; a boolean index stands for the integer tensors of its true positions (one
/// per axis it covers); all index tensors broadcast to one shape B; the result holds B
/// in place of the indexed axes when the tensor and integer indices stand next to each
/// other in the expression, and B first otherwise (`t[1, :, [0, 2]]` has shape
/// (2, len) in NumPy, not (len, 2)). One index tensor without integers takes the
/// faster `take` path in `index(_:)`, which places B the same way.
import LTNumberText
extension Tensor {
  /// One indexed axis of the view: the positions it takes, shaped `shape`.
  private struct IndexArray {
    let viewAxis: Int
    let shape: [Int]
    let positions: [Int]
  }

  /// Indexing with several tensor indices, or with tensor and integer indices.
  func advancedIndex(_ items: [IndexItem]) throws -> Tensor {
    let consuming = items.reduce(0) { n, item in
      switch item {
      case .newAxis: return n
      case .tensor(let t) where t.dtype == .bool: return n + Swift.max(t.ndim, 1)
      default: return n + 1
      }
    }
    guard consuming <= ndim else {
      throw TensorError("too many indices for a tensor of shape \(formatShape(shape)): \(consuming) given")
    }
    var sh: [Int] = [], st: [Int] = []
    var arrays: [IndexArray] = []
    var origin = offset
    var advancedItems: [Int] = []
    var axis = 0
    func keepAxis() {
      sh.append(shape[axis])
      st.append(strides[axis])
      axis += 1
    }
    for (position, item) in items.enumerated() {
      switch item {
      case .index(let i):
        let j = try Tensor.position(i, length: shape[axis], axis: axis)
        arrays.append(IndexArray(viewAxis: sh.count, shape: [], positions: [j]))
        advancedItems.append(position)
        keepAxis()
      case .slice(let a, let b, let c):
        let r = try sliceRange(a, b, c, length: shape[axis])
        if r.count > 0 { origin += r.start * strides[axis] }
        sh.append(r.count)
        st.append(r.count > 1 ? strides[axis] * r.step : strides[axis])
        axis += 1
      case .all:
        keepAxis()
      case .newAxis:
        sh.append(1)
        st.append(0)
      case .tensor(let t) where t.dtype == .bool:
        guard t.ndim >= 1 else {
          throw TensorError("a 0-d boolean index cannot be combined with other tensor or integer indices")
        }
        let covered = Array(shape[axis..<(axis + t.ndim)])
        guard t.shape == covered else {
          throw TensorError("boolean index of shape \(formatShape(t.shape)) does not match shape \(formatShape(covered)) at axis \(axis)")
        }
        var coordinates = [[Int]](repeating: [], count: t.ndim)
        for (flat, v) in t.toDoubles().enumerated() where v != 0 {
          var r = flat
          for k in stride(from: t.ndim - 1, through: 0, by: -1) {
            coordinates[k].append(r % covered[k])
            r /= covered[k]
          }
        }
        for k in 0..<t.ndim {
          arrays.append(IndexArray(viewAxis: sh.count, shape: [coordinates[k].count], positions: coordinates[k]))
          keepAxis()
        }
        advancedItems.append(position)
      case .tensor(let t):
        let len = shape[axis]
        let positions = try t.toDoubles().map { v -> Int in
          guard v.rounded() == v, Swift.abs(v) < 9e15 else { throw TensorError("index \(formatNumber(v)) is not a whole number") }
          return try Tensor.position(Int(v), length: len, axis: axis)
        }
        arrays.append(IndexArray(viewAxis: sh.count, shape: t.shape, positions: positions))
        advancedItems.append(position)
        keepAxis()
      }
    }
    while axis < ndim { keepAxis() }

    let indexArrays = arrays
    var b: [Int] = []
    for a in indexArrays {
      do { b = try broadcastShape(b, a.shape) } catch {
        let shapes = indexArrays.filter { !$0.shape.isEmpty }.map { formatShape($0.shape) }.joined(separator: " ")
        throw TensorError("index tensors of shapes \(shapes) cannot be broadcast together")
      }
    }
    let indexedAxes = Set(indexArrays.map(\.viewAxis))
    let restAxes = (0..<sh.count).filter { !indexedAxes.contains($0) }
    let restShape = restAxes.map { sh[$0] }, restStrides = restAxes.map { st[$0] }
    let out = try Tensor.empty(b + restShape, dtype, zeroed: false)
    let blocks = try checkedCount(b), blockSize = restShape.reduce(1, *)
    let item = dtype.itemSize
    if out.count > 0 {
      for q in 0..<blocks {
        var at = origin
        var r = q
        var index = [Int](repeating: 0, count: b.count)
        for k in stride(from: b.count - 1, through: 0, by: -1) {
          index[k] = r % b[k]
          r /= b[k]
        }
        for a in indexArrays {
          // Position q of B read in the array's own (broadcast) shape.
          let pad = b.count - a.shape.count
          var f = 0
          for (k, d) in a.shape.enumerated() { f = f * d + (d == 1 ? 0 : index[k + pad]) }
          at += a.positions[f] * st[a.viewAxis]
        }
        let dst = out.raw + q * blockSize * item
        if restShape.isEmpty {
          dst.copyMemory(from: storage.base + at * item, byteCount: item)
        } else {
          stridedCopy(from: Tensor(storage: storage, dtype: dtype, shape: restShape, strides: restStrides, offset: at), to: dst)
        }
      }
    }
    // Indices next to each other put B where they stood; else B stays first.
    guard let first = advancedItems.first, let last = advancedItems.last,
      last - first == advancedItems.count - 1, let firstAxis = indexArrays.map(\.viewAxis).min()
    else { return out }
    let before = restAxes.filter { $0 < firstAxis }.count
    if before == 0 { return out }
    let n = b.count
    let perm = Array(n..<(n + before)) + Array(0..<n) + Array((n + before)..<(n + restShape.count))
    return try out.transpose(perm).contiguous()
  }

  /// `i` (negative from the end) as a position in 0..<length, or an error naming the axis.
  static func position(_ i: Int, length: Int, axis: Int) throws -> Int {
    let j = i < 0 ? i + length : i
    guard j >= 0 && j < length else {
      throw TensorError("index \(i) is out of range for axis \(axis) with length \(length)")
    }
    return j
  }
}
