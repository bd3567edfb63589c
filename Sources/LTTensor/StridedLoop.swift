/// Walks the elements of several same-shaped (possibly broadcast) operands row
/// by row, so that kernels only ever see a 1-d inner loop with a fixed stride.
///
/// Axes of length 1 are dropped and adjacent axes that are contiguous for every
/// operand are merged first, so a contiguous tensor of any rank is one long row.
struct StridedLoop {
  /// Merged shape; the last axis is the inner loop (at least one axis).
  let shape: [Int]
  /// Merged strides per operand, in elements.
  let strides: [[Int]]

  init(shape: [Int], strides: [[Int]]) {
    var sh: [Int] = []
    var st: [[Int]] = Array(repeating: [], count: strides.count)
    for axis in shape.indices where shape[axis] != 1 {
      if let last = sh.last,
        strides.indices.allSatisfy({ k in st[k][st[k].count - 1] == strides[k][axis] * shape[axis] })
      {
        sh[sh.count - 1] = last * shape[axis]
        for k in strides.indices { st[k][st[k].count - 1] = strides[k][axis] }
      } else {
        sh.append(shape[axis])
        for k in strides.indices { st[k].append(strides[k][axis]) }
      }
    }
    if sh.isEmpty {
      sh = [1]
      for k in strides.indices { st[k] = [0] }
    }
    self.shape = sh
    self.strides = st
  }

  /// Length of the inner loop.
  var inner: Int { shape[shape.count - 1] }
  /// Inner stride of operand `k`.
  func innerStride(_ k: Int) -> Int { strides[k][strides[k].count - 1] }
  /// Number of inner rows.
  var rows: Int { shape.dropLast().reduce(1, *) }

  /// Calls `body(outStart, offsets)` for rows `range`, where `outStart` is the
  /// C-order index of the row's first element and `offsets[k]` the element
  /// offset of operand `k` there.
  func forEachRow(_ range: Range<Int>, _ body: (Int, UnsafeMutablePointer<Int>) -> Void) {
    let outer = shape.count - 1
    let ops = strides.count
    withUnsafeTemporaryAllocation(of: Int.self, capacity: outer + ops + 1) { buf in
      guard let base = buf.baseAddress else { return }
      let index = base
      let offs = base + outer
      // multi-index of the first row
      var r = range.lowerBound
      for a in stride(from: outer - 1, through: 0, by: -1) {
        index[a] = r % shape[a]
        r /= shape[a]
      }
      for k in 0..<ops {
        var o = 0
        for a in 0..<outer { o += index[a] * strides[k][a] }
        offs[k] = o
      }
      let n = inner
      for row in range {
        body(row * n, offs)
        // advance the odometer
        var a = outer - 1
        while a >= 0 {
          index[a] += 1
          for k in 0..<ops { offs[k] += strides[k][a] }
          if index[a] < shape[a] { break }
          for k in 0..<ops { offs[k] -= strides[k][a] * shape[a] }
          index[a] = 0
          a -= 1
        }
      }
    }
  }
}

/// Copies any strided tensor into contiguous bytes at `dst`, in C order.
func stridedCopy(from t: Tensor, to dst: UnsafeMutableRawPointer) {
  let loop = StridedLoop(shape: t.shape, strides: [t.strides])
  let n = loop.inner, s = loop.innerStride(0)
  func copy<T>(_: T.Type) {
    let src = t.pointer(T.self)
    let out = dst.assumingMemoryBound(to: T.self)
    parallelFor(loop.rows, grain: Swift.max(1, 1 << 18 / Swift.max(n, 1))) { r0, r1 in
      loop.forEachRow(r0..<r1) { start, offs in
        let p = src + offs[0], o = out + start
        if s == 1 {
          o.update(from: p, count: n)
        } else {
          for i in 0..<n { o[i] = p[i * s] }
        }
      }
    }
  }
  if t.count == 0 { return }
  switch t.dtype.itemSize {
  case 8: copy(UInt64.self)
  case 4: copy(UInt32.self)
  default: copy(UInt8.self)
  }
}
