import CLTKernels

/// Reductions: sum, mean, var, std, min, max, argmin, argmax.
///
/// With an axis (negative allowed) they return a tensor, without one a
/// number, as in the language. Sums are accumulated in double in a fixed
/// order (fixed blocks for float32 and float64), so results do not depend on
/// the thread count. min and max propagate NaN as NumPy does.
extension Tensor {
  /// Splits the contiguous layout around `axis` into (outer, length, inner).
  func axisLayout(_ axis: Int) -> (outer: Int, len: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
  }

  func reducedShape(_ axis: Int, keepdims: Bool) -> [Int] {
    var s = shape
    if keepdims { s[axis] = 1 } else { s.remove(at: axis) }
    return s
  }

  /// Sum of every element as a Double.
  public func sum() throws -> Double {
    let c = try contiguous()
    switch dtype {
    case .float32: return lt_sum_f32(c.pointer(Float.self), Int64(count))
    case .float64: return lt_sum_f64(c.pointer(Double.self), Int64(count))
    default:
      var s = 0.0
      for i in 0..<count { s += c.double(atOffset: i) }
      return s
    }
  }

  /// Sums along `axis`; float dtypes keep their type, int32 and bool give int32.
  public func sum(axis: Int, keepdims: Bool = false) throws -> Tensor {
    let a = try normalizeAxis(axis)
    let sums = try axisSums(a)
    let out = try Tensor.empty(reducedShape(a, keepdims: keepdims), dtype.isFloat ? dtype : .int32)
    sums.withUnsafeBufferPointer { writeDoubles($0, into: out) }
    return out
  }

  /// Mean of every element (NaN for an empty tensor, as NumPy).
  public func mean() throws -> Double { try sum() / Double(count) }

  /// Means along `axis`; int32 and bool give float32.
  public func mean(axis: Int, keepdims: Bool = false) throws -> Tensor {
    let a = try normalizeAxis(axis)
    let n = Double(shape[a])
    let sums = try axisSums(a).map { $0 / n }
    let out = try Tensor.empty(reducedShape(a, keepdims: keepdims), dtype.isFloat ? dtype : .float32)
    sums.withUnsafeBufferPointer { writeDoubles($0, into: out) }
    return out
  }

  /// Sums along an axis in double, in C order of the reduced shape.
  func axisSums(_ axis: Int) throws -> [Double] {
    let c = try contiguous()
    let (outer, len, inner) = axisLayout(axis)
    var out = [Double](repeating: 0, count: outer * inner)
    if out.isEmpty { return out }
    out.withUnsafeMutableBufferPointer { buf in
      guard let o = buf.baseAddress else { return }
      if inner == 1 {
        parallelFor(outer, grain: Swift.max(1, (1 << 16) / Swift.max(len, 1))) { r0, r1 in
          for r in r0..<r1 {
            switch c.dtype {
            case .float32: o[r] = lt_sum_f32(c.pointer(Float.self) + r * len, Int64(len))
            case .float64: o[r] = lt_sum_f64(c.pointer(Double.self) + r * len, Int64(len))
            default:
              var s = 0.0
              for l in 0..<len { s += c.double(atOffset: r * len + l) }
              o[r] = s
            }
          }
        }
      } else {
        parallelFor(outer, grain: Swift.max(1, (1 << 16) / Swift.max(len * inner, 1))) { r0, r1 in
          for r in r0..<r1 {
            let acc = o + r * inner
            for l in 0..<len {
              let base = (r * len + l) * inner
              switch c.dtype {
              case .float32:
                let p = c.pointer(Float.self) + base
                for j in 0..<inner { acc[j] += Double(p[j]) }
              case .float64:
                let p = c.pointer(Double.self) + base
                for j in 0..<inner { acc[j] += p[j] }
              default:
                for j in 0..<inner { acc[j] += c.double(atOffset: base + j) }
              }
            }
          }
        }
      }
    }
    return out
  }

  /// Applies `body` to every 1-d sequence along `axis`; `get(l)` reads its l-th element.
  func reduceSequences(_ axis: Int, _ body: (_ get: (Int) -> Double, _ len: Int) -> Double) throws -> [Double] {
    let c = try contiguous()
    let (outer, len, inner) = axisLayout(axis)
    var out = [Double](repeating: 0, count: outer * inner)
    for o in 0..<outer {
      for j in 0..<inner {
        let base = o * len * inner + j
        out[o * inner + j] = body({ c.double(atOffset: base + $0 * inner) }, len)
      }
    }
    return out
  }

  private func requireNonEmpty(_ what: String, axisLength: Int? = nil) throws {
    if (axisLength ?? count) == 0 {
      throw TensorError("cannot take the \(what) of an empty tensor of shape \(formatShape(shape))")
    }
  }

  /// Variance of every element with `ddof` delta degrees of freedom.
  public func variance(ddof: Int = 0) throws -> Double {
    let m = try mean()
    let c = try contiguous()
    var s = 0.0
    for i in 0..<count {
      let d = c.double(atOffset: i) - m
      s += d * d
    }
    return s / Double(count - ddof)
  }

  /// Variance along `axis`; int32 and bool give float32.
  public func variance(axis: Int, keepdims: Bool = false, ddof: Int = 0) throws -> Tensor {
    let a = try normalizeAxis(axis)
    let vals = try reduceSequences(a) { get, n in
      var m = 0.0
      for l in 0..<n { m += get(l) }
      m /= Double(n)
      var s = 0.0
      for l in 0..<n {
        let d = get(l) - m
        s += d * d
      }
      return s / Double(n - ddof)
    }
    let out = try Tensor.empty(reducedShape(a, keepdims: keepdims), dtype.isFloat ? dtype : .float32)
    vals.withUnsafeBufferPointer { writeDoubles($0, into: out) }
    return out
  }

  /// Standard deviation of every element.
  public func std(ddof: Int = 0) throws -> Double { try variance(ddof: ddof).squareRoot() }

  /// Standard deviation along `axis`.
  public func std(axis: Int, keepdims: Bool = false, ddof: Int = 0) throws -> Tensor {
    try variance(axis: axis, keepdims: keepdims, ddof: ddof).sqrt()
  }

  /// Largest element (NaN if any is NaN).
  public func max() throws -> Double {
    try requireNonEmpty("maximum")
    let flat = try reshape([-1])
    return try flat.reduceSequences(0) { get, n in Tensor.extreme(get, n, greater: true).value }[0]
  }

  /// Smallest element (NaN if any is NaN).
  public func min() throws -> Double {
    try requireNonEmpty("minimum")
    let flat = try reshape([-1])
    return try flat.reduceSequences(0) { get, n in Tensor.extreme(get, n, greater: false).value }[0]
  }

  /// Largest elements along `axis`, same dtype.
  public func max(axis: Int, keepdims: Bool = false) throws -> Tensor {
    try extremeAlong(axis, keepdims: keepdims, greater: true, index: false)
  }

  /// Smallest elements along `axis`, same dtype.
  public func min(axis: Int, keepdims: Bool = false) throws -> Tensor {
    try extremeAlong(axis, keepdims: keepdims, greater: false, index: false)
  }

  /// Flat C-order index of the largest element (first one on ties; first NaN wins).
  public func argmax() throws -> Int {
    try requireNonEmpty("argmax")
    let flat = try reshape([-1])
    return Int(try flat.reduceSequences(0) { get, n in Double(Tensor.extreme(get, n, greater: true).index) }[0])
  }

  /// Flat C-order index of the smallest element.
  public func argmin() throws -> Int {
    try requireNonEmpty("argmin")
    let flat = try reshape([-1])
    return Int(try flat.reduceSequences(0) { get, n in Double(Tensor.extreme(get, n, greater: false).index) }[0])
  }

  /// Indices (int32) of the largest elements along `axis`.
  public func argmax(axis: Int, keepdims: Bool = false) throws -> Tensor {
    try extremeAlong(axis, keepdims: keepdims, greater: true, index: true)
  }

  /// Indices (int32) of the smallest elements along `axis`.
  public func argmin(axis: Int, keepdims: Bool = false) throws -> Tensor {
    try extremeAlong(axis, keepdims: keepdims, greater: false, index: true)
  }

  static func extreme(_ get: (Int) -> Double, _ n: Int, greater: Bool) -> (value: Double, index: Int) {
    var best = get(0), at = 0
    if best.isNaN { return (best, 0) }
    for l in 1..<Swift.max(n, 1) {
      let v = get(l)
      if v.isNaN { return (v, l) }
      if greater ? v > best : v < best {
        best = v
        at = l
      }
    }
    return (best, at)
  }

  private func extremeAlong(_ axis: Int, keepdims: Bool, greater: Bool, index: Bool) throws -> Tensor {
    let a = try normalizeAxis(axis)
    try requireNonEmpty(index ? (greater ? "argmax" : "argmin") : (greater ? "maximum" : "minimum"), axisLength: shape[a])
    let outShape = reducedShape(a, keepdims: keepdims)
    if dtype == .float32 && a == ndim - 1 && greater {
      return try rowArgmax(outShape, index: index)
    }
    if dtype == .float32 && a == ndim - 1 {
      // Fast path for rows of float32 (logits): a typed loop, first NaN wins.
      let c = try contiguous()
      let (outer, len, _) = axisLayout(a)
      let out = try Tensor.empty(outShape, index ? .int32 : .float32)
      let p = c.pointer(Float.self)
      for r in 0..<outer {
        let row = p + r * len
        var best = row[0], at = 0
        if !best.isNaN {
          for l in 1..<len {
            let v = row[l]
            if v.isNaN {
              best = v
              at = l
              break
            }
            if greater ? v > best : v < best {
              best = v
              at = l
            }
          }
        }
        if index { out.pointer(Int32.self)[r] = Int32(at) } else { out.pointer(Float.self)[r] = best }
      }
      return out
    }
    let vals = try reduceSequences(a) { get, n in
      let e = Tensor.extreme(get, n, greater: greater)
      return index ? Double(e.index) : e.value
    }
    let out = try Tensor.empty(outShape, index ? .int32 : dtype)
    vals.withUnsafeBufferPointer { writeDoubles($0, into: out) }
    return out
  }
}

extension Tensor {
  /// argmax (or max) of every row of a float32 tensor along its last axis, by the
  /// vectorised row kernel: first maximum, first NaN wins. A memory-mapped tensor
  /// is scanned in blocks whose pages are released behind the scan (reduceChunks).
  func rowArgmax(_ outShape: [Int], index: Bool) throws -> Tensor {
    let c = try contiguous()
    let len = shape[ndim - 1]
    let outer = len == 0 ? 0 : c.count / len
    let out = try Tensor.empty(outShape, index ? .int32 : .float32)
    let rows2d = try c.reshape([outer, len])
    let block = Swift.max(1, (32 << 20) / Swift.max(1, len * 4))
    _ = try rows2d.reduceChunks(rows: block, initial: 0) { start, b in
      let n = b.shape[0]
      let x = b.pointer(Float.self)
      let idx = index ? out.pointer(Int32.self) + start : UnsafeMutablePointer<Int32>.allocate(capacity: n)
      defer { if !index { idx.deallocate() } }
      Tensor.rowArgmax(x, rows: n, cols: len, into: idx)
      if !index {
        let o = out.pointer(Float.self) + start
        for r in 0..<n { o[r] = x[r * len + Int(idx[r])] }
      }
      return start + n
    }
    return out
  }

  /// The index of each row's first maximum in a row-major float32 block (`rows` x `cols`,
  /// cols > 0), by the row kernel `argmax(axis: -1)` runs, so rows computed outside a
  /// tensor (a streamed ensemble's block) get the same answer as the built tensor.
  public static func rowArgmax(_ x: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Int32>) {
    _ = lt_row_stats_f32(x, Int64(rows), Int64(cols), Int64(cols), Int32(LT_ROWS_ARGMAX), nil, out, nil, nil)
  }
}
