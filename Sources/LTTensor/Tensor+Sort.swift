/// Sorting along an axis: stable argsort/sort (ascending or descending),
/// topk and unique.
///
/// float32, int32 and bool rows are sorted by an LSD radix sort on an
/// order-preserving 32-bit key, which is stable by construction and linear in
/// the row length; float64 rows use a comparison sort on (value, index). NaN
/// sorts as larger than every number (last ascending, first descending).

/// Maps a Float to a UInt32 whose unsigned order is the float order (NaN last).
@inline(__always)
func sortKey(_ f: Float) -> UInt32 {
  let bits = f.isNaN ? Float.nan.bitPattern : f.bitPattern
  return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
}

/// Stable LSD radix argsort of `keys`; writes the permutation into `order`.
func radixArgsort(_ keys: [UInt32], _ order: inout [Int32]) {
  let n = keys.count
  var k = keys, k2 = [UInt32](repeating: 0, count: n)
  var o2 = [Int32](repeating: 0, count: n)
  for i in 0..<n { order[i] = Int32(i) }
  var counts = [Int](repeating: 0, count: 256)
  for pass in 0..<4 {
    let shift = UInt32(pass * 8)
    for i in 0..<256 { counts[i] = 0 }
    for key in k { counts[Int((key >> shift) & 0xFF)] += 1 }
    if counts.contains(n) { continue }   // all keys share this byte
    var sum = 0
    for i in 0..<256 {
      let c = counts[i]
      counts[i] = sum
      sum += c
    }
    for i in 0..<n {
      let b = Int((k[i] >> shift) & 0xFF)
      let dst = counts[b]
      counts[b] = dst + 1
      k2[dst] = k[i]
      o2[dst] = order[i]
    }
    swap(&k, &k2)
    swap(&order, &o2)
  }
}

extension Tensor {
  /// Indices that sort each 1-d sequence along `axis` (default the last);
  /// stable, so equal elements keep their order. int32 result.
  public func argsort(axis: Int = -1, descending: Bool = false) throws -> Tensor {
    if ndim == 0 { return try Tensor(int32s: [0], shape: []) }
    let a = try normalizeAxis(axis)
    let moved = try movingAxisToEnd(a).contiguous()
    let len = shape[a]
    let rows = len == 0 ? 0 : moved.count / len
    let out = try Tensor.empty(moved.shape, .int32)
    let po = out.pointer(Int32.self)
    guard len < Int(Int32.max) else { throw TensorError("argsort: axis length \(len) is too large") }
    parallelFor(rows, grain: Swift.max(1, (1 << 15) / Swift.max(len, 1))) { r0, r1 in
      var order = [Int32](repeating: 0, count: len)
      var keys = [UInt32](repeating: 0, count: len)
      for r in r0..<r1 {
        let base = r * len
        if moved.dtype == .float64 {
          let p = moved.pointer(Double.self) + base
          let idx = (0..<len).sorted { i, j in
            let (x, y) = (p[i], p[j])
            if x.isNaN || y.isNaN {
              if x.isNaN && y.isNaN { return i < j }
              return descending ? x.isNaN : y.isNaN
            }
            if x != y { return descending ? x > y : x < y }
            return i < j
          }
          for (q, i) in idx.enumerated() { po[base + q] = Int32(i) }
          continue
        }
        switch moved.dtype {
        case .float32:
          let p = moved.pointer(Float.self) + base
          for i in 0..<len { keys[i] = sortKey(p[i]) }
        case .int32:
          let p = moved.pointer(Int32.self) + base
          for i in 0..<len { keys[i] = UInt32(bitPattern: p[i]) ^ 0x8000_0000 }
        default:
          let p = moved.pointer(UInt8.self) + base
          for i in 0..<len { keys[i] = UInt32(p[i]) }
        }
        if descending { for i in 0..<len { keys[i] = ~keys[i] } }
        radixArgsort(keys, &order)
        for i in 0..<len { po[base + i] = order[i] }
      }
    }
    return try Tensor.moveLastAxis(out, to: a)
  }

  /// Moves the last axis of `t` back to position `a` (inverse of movingAxisToEnd), contiguous.
  static func moveLastAxis(_ t: Tensor, to a: Int) throws -> Tensor {
    if a == t.ndim - 1 { return t }
    var perm = Array(0..<(t.ndim - 1))
    perm.insert(t.ndim - 1, at: a)
    return try t.transpose(perm).contiguous()
  }

  /// Values sorted along `axis` (stable; default ascending).
  public func sort(axis: Int = -1, descending: Bool = false) throws -> Tensor {
    if ndim == 0 { return self }
    let a = try normalizeAxis(axis)
    let order = try argsort(axis: a, descending: descending)
    return try takeAlong(order, axis: a)
  }

  /// Picks, for every position, the element whose index along `axis` is given
  /// by `indices` (same shape as self except possibly on `axis`); NumPy's take_along_axis.
  public func takeAlong(_ indices: Tensor, axis: Int) throws -> Tensor {
    let a = try normalizeAxis(axis)
    let src = try movingAxisToEnd(a).contiguous()
    let idx = try indices.astype(.int32).movingAxisToEnd(a).contiguous()
    guard Array(idx.shape.dropLast()) == Array(src.shape.dropLast()) else {
      throw TensorError("takeAlong: indices of shape \(formatShape(indices.shape)) do not match shape \(formatShape(shape))")
    }
    let len = src.shape.last ?? 0, k = idx.shape.last ?? 0
    let rows = k == 0 ? 0 : idx.count / k
    let out = try Tensor.empty(idx.shape, dtype)
    let item = dtype.itemSize
    let pi = idx.pointer(Int32.self)
    for r in 0..<rows {
      for q in 0..<k {
        let i = Int(pi[r * k + q])
        let j = i < 0 ? i + len : i
        guard j >= 0 && j < len else { throw TensorError("index \(i) is out of range for axis \(axis) with length \(len)") }
        (out.raw + (r * k + q) * item).copyMemory(from: src.raw + (r * len + j) * item, byteCount: item)
      }
    }
    return try Tensor.moveLastAxis(out, to: a)
  }

  /// The `k` largest values along `axis`, largest first, and their int32
  /// indices (ties: lower index first).
  public func topk(_ k: Int, axis: Int = -1) throws -> (values: Tensor, indices: Tensor) {
    let a = try normalizeAxis(axis)
    guard k >= 0 && k <= shape[a] else {
      throw TensorError("topk: k = \(k) is out of range for axis \(axis) with length \(shape[a])")
    }
    let order = try argsort(axis: a, descending: true)
    var items = [IndexItem](repeating: .all, count: ndim)
    items[a] = .slice(0, k, 1)
    let idx = try order.index(items).contiguous()
    return (try takeAlong(idx, axis: a), idx)
  }

  /// The sorted distinct values of all elements, as a 1-d tensor; NaNs count as one
  /// value, sorted last (NumPy's unique with its default equal_nan=True, since 1.21).
  public func unique() throws -> Tensor {
    let sorted = try reshape([-1]).sort()
    let v = sorted.toDoubles()
    var keep: [Int32] = []
    for i in v.indices where i == 0 || !(v[i] == v[i - 1] || (v[i].isNaN && v[i - 1].isNaN)) {
      keep.append(Int32(i))
    }
    return try sorted.take(Tensor(int32s: keep, shape: [keep.count]), axis: 0)
  }
}
