// A small dense row-major float32 matrix: the numeric core LTLearn computes on.
//
// LTLearn owns this type and its RNG rather than importing LTTensor (docs/decisions.md);
// its products and hot loops run on the C kernels of CLTKernels, which LTTensor shares.
// The language layer shares a `Matrix`'s buffer with its tensors (no copy), and lends
// the read-only functions (GLA, EM) a tensor's own buffer through a `MatrixView`
// (docs/decisions.md, issue 15).

/// A dense `rows x cols` matrix of `Float`, stored row-major in `data`.
public struct Matrix: Sendable, Equatable {
  public var rows: Int
  public var cols: Int
  public var data: [Float]

  /// A matrix filled with `value`.
  public init(rows: Int, cols: Int, repeating value: Float = 0) {
    // Negative sizes give an empty matrix rather than a trap.
    self.rows = max(rows, 0)
    self.cols = max(cols, 0)
    self.data = [Float](repeating: value, count: self.rows * self.cols)
  }

  /// A matrix over existing row-major data; throws if the count does not match.
  public init(rows: Int, cols: Int, data: [Float]) throws {
    if rows < 0 || cols < 0 { throw LearnError("matrix shape (\(rows), \(cols)) is negative") }
    if data.count != rows * cols {
      throw LearnError(
        "matrix of shape (\(rows), \(cols)) needs \(rows * cols) values, got \(data.count)")
    }
    self.rows = rows
    self.cols = cols
    self.data = data
  }

  /// Internal unchecked initialiser for code that built `data` itself.
  init(uncheckedRows rows: Int, cols: Int, data: [Float]) {
    self.rows = rows
    self.cols = cols
    self.data = data
  }

  /// A matrix from a list of equal-length rows.
  public init(rowArrays: [[Float]]) throws {
    let c = rowArrays.first?.count ?? 0
    for (i, r) in rowArrays.enumerated() where r.count != c {
      throw LearnError("row \(i) has \(r.count) values but row 0 has \(c)")
    }
    self.init(uncheckedRows: rowArrays.count, cols: c, data: rowArrays.flatMap { $0 })
  }

  /// Element access. Like `Array`'s subscript, an index out of range traps: callers that
  /// take indices from users should use `selecting(rows:)` or check first.
  public subscript(r: Int, c: Int) -> Float {
    get { data[r * cols + c] }
    set { data[r * cols + c] = newValue }
  }

  /// The rows at `indices`, in that order; throws on an index out of range.
  public func selecting(rows indices: [Int]) throws -> Matrix {
    if let bad = indices.first(where: { $0 < 0 || $0 >= rows }) {
      throw LearnError("row index \(bad) is out of range for \(rows) rows")
    }
    return gatherRows(indices)
  }

  /// The columns at `indices`, in that order; throws on an index out of range.
  public func selecting(columns indices: [Int]) throws -> Matrix {
    if let bad = indices.first(where: { $0 < 0 || $0 >= cols }) {
      throw LearnError("column index \(bad) is out of range for \(cols) columns")
    }
    return gatherColumns(indices)
  }

  /// The rows at `indices`, for callers that checked them (an index out of range gives a
  /// row of zeros rather than reading outside the matrix).
  func gatherRows(_ indices: [Int]) -> Matrix {
    let n = cols
    var out = [Float](repeating: 0, count: indices.count * n)
    data.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        guard let s = src.baseAddress, let d = dst.baseAddress else { return }
        for (o, r) in indices.enumerated() where r >= 0 && r < rows {
          (d + o * n).update(from: s + r * n, count: n)
        }
      }
    }
    return Matrix(uncheckedRows: indices.count, cols: n, data: out)
  }

  /// The columns at `indices` (unchecked).
  func gatherColumns(_ indices: [Int]) -> Matrix {
    var out = [Float](repeating: 0, count: rows * indices.count)
    let w = indices.count
    for r in 0..<rows {
      for (o, c) in indices.enumerated() { out[r * w + o] = data[r * cols + c] }
    }
    return Matrix(uncheckedRows: rows, cols: w, data: out)
  }

  /// The transpose.
  public var transposed: Matrix {
    var out = [Float](repeating: 0, count: rows * cols)
    let (m, n) = (rows, cols)
    data.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        // Blocked so both sides stay in cache.
        let bs = 32
        var i0 = 0
        while i0 < m {
          let i1 = min(i0 + bs, m)
          var j0 = 0
          while j0 < n {
            let j1 = min(j0 + bs, n)
            for i in i0..<i1 { for j in j0..<j1 { dst[j * m + i] = src[i * n + j] } }
            j0 = j1
          }
          i0 = i1
        }
      }
    }
    return Matrix(uncheckedRows: n, cols: m, data: out)
  }

  /// Rows stacked on top of each other; all must have the same column count.
  public static func vstack(_ parts: [Matrix]) throws -> Matrix {
    guard let c = parts.first?.cols else { return Matrix(rows: 0, cols: 0) }
    for p in parts where p.cols != c {
      throw LearnError("cannot stack matrices with \(p.cols) and \(c) columns")
    }
    return Matrix(
      uncheckedRows: parts.reduce(0) { $0 + $1.rows }, cols: c,
      data: parts.flatMap { $0.data })
  }

  /// Index of the largest entry of each row (the first one on ties).
  public func argmaxRows() -> [Int32] {
    var out = [Int32](repeating: 0, count: rows)
    for r in 0..<rows {
      var best = -Float.infinity
      var arg = 0
      for c in 0..<cols {
        let v = data[r * cols + c]
        if v > best {
          best = v
          arg = c
        }
      }
      out[r] = Int32(arg)
    }
    return out
  }
}
