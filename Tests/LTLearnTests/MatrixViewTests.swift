import LTLearn
import Testing

/// GLA and EM on a borrowed view give exactly what they give on a Matrix (the language
/// layer lends them a tensor's buffer instead of copying it; bench/boundary).
@Suite struct MatrixViewTests {
  /// 300 x 7 logits with a class-dependent bias, labels i % 7 (every class present).
  static func logits() throws -> (Matrix, [Int32]) {
    var rng = SeededRandom(seed: 11)
    let (n, k) = (300, 7)
    var data = [Float](repeating: 0, count: n * k)
    for i in 0..<n {
      for j in 0..<k { data[i * k + j] = Float(rng.normal()) + (j == i % k ? 1.5 : 0) + Float(j) * 0.2 }
    }
    return (try Matrix(rows: n, cols: k, data: data), (0..<n).map { Int32($0 % k) })
  }

  @Test func glaAndEMOnAViewEqualTheMatrixBitForBit() throws {
    let (m, y) = try Self.logits()
    let copy = m.data
    try copy.withUnsafeBufferPointer { buffer in
      let v = try MatrixView(rows: m.rows, cols: m.cols, elements: buffer)
      for balanced in [true, false] {
        for calibrate in [false, true] {
          let a = try estimatePriorGLA(logits: m, labels: y, classBalanced: balanced, calibrateTemperature: calibrate)
          let b = try estimatePriorGLA(logits: v, labels: y, classBalanced: balanced, calibrateTemperature: calibrate)
          #expect(a == b, "balanced \(balanced) calibrate \(calibrate)")
          #expect(a.converged)
        }
      }
      let source = [Double](repeating: 1.0 / 7, count: 7)
      // (EM leaves crossEntropy NaN, so the estimates are compared field by field.)
      let (a, b) = (try estimatePriorEM(logits: m, sourcePrior: source), try estimatePriorEM(logits: v, sourcePrior: source))
      #expect(a.prior == b.prior && a.iterations == b.iterations && a.converged && b.converged)
    }
    #expect(m.data == copy, "calibration must not write through the view")
  }

  @Test func aViewChecksItsShapeAndValues() throws {
    let values: [Float] = [1, 2, 3, .nan, 5, 6]
    try values.withUnsafeBufferPointer { buffer in
      expectLearnError("a view of shape (4, 2) needs 4 x 2 values, got 6") {
        _ = try MatrixView(rows: 4, cols: 2, elements: buffer)
      }
      expectLearnError("matrix shape (-1, 2) is negative") { _ = try MatrixView(rows: -1, cols: 2, elements: buffer) }
      expectLearnError("a view of shape (\(Int.max), 2) needs \(Int.max) x 2 values, got 6") {
        _ = try MatrixView(rows: Int.max, cols: 2, elements: buffer)
      }
      let v = try MatrixView(rows: 2, cols: 3, elements: buffer)
      expectLearnError("logits contains nan at row 1, column 0") { _ = try estimatePriorGLA(logits: v, labels: [0, 1]) }
    }
  }
}
