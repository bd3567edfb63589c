// A borrowed, read-only view of row-major float32 data: what LTLearn's read-only
// functions (GLA, EM) take, so that the language layer can hand them a tensor that
// LTTensor allocated or mapped from a file without copying it into a Matrix
// (docs/decisions.md, issue 15).

/// `rows x cols` float32 values, row-major, owned by someone else for the duration of a
/// call (`Matrix.withView`, or a tensor's buffer in LTStdlib).
public struct MatrixView {
  public let rows: Int
  public let cols: Int
  public let elements: UnsafeBufferPointer<Float>

  /// A view of `elements` as `rows x cols`; throws if the count does not match.
  public init(rows: Int, cols: Int, elements: UnsafeBufferPointer<Float>) throws {
    if rows < 0 || cols < 0 { throw LearnError("matrix shape (\(rows), \(cols)) is negative") }
    let (n, overflow) = rows.multipliedReportingOverflow(by: cols)
    if overflow || n != elements.count {
      throw LearnError("a view of shape (\(rows), \(cols)) needs \(rows) x \(cols) values, got \(elements.count)")
    }
    self.rows = rows
    self.cols = cols
    self.elements = elements
  }

  /// A matrix holding a copy of the values (for the few steps that rescale them).
  public func copy() -> Matrix { Matrix(uncheckedRows: rows, cols: cols, data: Array(elements)) }
}

extension Matrix {
  /// Calls `body` with a view of this matrix's values (no copy).
  public func withView<R>(_ body: (MatrixView) throws -> R) rethrows -> R {
    try data.withUnsafeBufferPointer { buffer in
      // The count matches by construction, so the checked initialiser cannot throw here.
      try body(MatrixView(uncheckedRows: rows, cols: cols, elements: buffer))
    }
  }
}

extension MatrixView {
  init(uncheckedRows rows: Int, cols: Int, elements: UnsafeBufferPointer<Float>) {
    self.rows = rows
    self.cols = cols
    self.elements = elements
  }
}
