// The fused row kernel behind the metrics: the same bits however the rows are cut into
// chunks and on every instruction set, a Double reference within a stated tolerance, and
// errors that name the row of the whole input.
import Foundation
import Testing

@testable import LTLearn

@Suite struct MetricStreamTests {
  struct Scores: Equatable {
    var accuracy: Double, perClass: [Double], ece: Double, nll: Double
    static func == (a: Scores, b: Scores) -> Bool {
      a.accuracy.bitPattern == b.accuracy.bitPattern && a.ece.bitPattern == b.ece.bitPattern
        && a.nll.bitPattern == b.nll.bitPattern && a.perClass.map(\.bitPattern) == b.perClass.map(\.bitPattern)
    }
  }

  /// Feeds `data` (rows x k) in chunks of `chunk` rows through the pointer entry point.
  func stream(_ data: [Float], _ labels: [Int32], k: Int, chunk: Int, probabilities: Bool = false) throws -> Scores {
    var acc = try MetricAccumulator(nClasses: k)
    try data.withUnsafeBufferPointer { b in
      guard let base = b.baseAddress else { return }
      var start = 0
      while start < labels.count {
        let stop = min(start + chunk, labels.count)
        try acc.add(rows: base + start * k, labels: labels[start..<stop], probabilities: probabilities)
        start = stop
      }
    }
    return Scores(accuracy: acc.accuracy, perClass: acc.perClassAccuracy, ece: try acc.ece(), nll: try acc.nll())
  }

  /// The metrics computed in Double, one row at a time, with no kernel.
  func reference(_ data: [Float], _ labels: [Int32], k: Int, bins: Int = 15) -> Scores {
    var correct = 0, classTotal = [Int](repeating: 0, count: k), classCorrect = classTotal
    var binN = [Int](repeating: 0, count: bins), binOK = binN, binConf = [Double](repeating: 0, count: bins)
    var nll = 0.0
    for (i, y) in labels.enumerated() {
      let row = data[(i * k)..<((i + 1) * k)].map(Double.init)
      let mx = row.max() ?? 0
      let at = row.firstIndex(of: mx) ?? 0
      let sum = row.reduce(0) { $0 + Foundation.exp($1 - mx) }
      let conf = 1 / sum
      let ok = at == Int(y)
      correct += ok ? 1 : 0
      classTotal[Int(y)] += 1
      classCorrect[Int(y)] += ok ? 1 : 0
      let b = min(bins - 1, max(0, Int((conf * Double(bins)).rounded(.up)) - 1))
      binN[b] += 1
      binConf[b] += conf
      binOK[b] += ok ? 1 : 0
      nll -= Foundation.log(max(Foundation.exp(row[Int(y)] - mx) / sum, 1e-12))
    }
    let n = Double(labels.count)
    var ece = 0.0
    for b in 0..<bins where binN[b] > 0 {
      ece += Double(binN[b]) / n * abs(Double(binOK[b]) / Double(binN[b]) - binConf[b] / Double(binN[b]))
    }
    let pc = (0..<k).map { classTotal[$0] == 0 ? Double.nan : Double(classCorrect[$0]) / Double(classTotal[$0]) }
    return Scores(accuracy: Double(correct) / n, perClass: pc, ece: ece, nll: nll / n)
  }

  static let shapes = [(1, 1), (5, 3), (37, 16), (101, 17), (64, 1000), (23, 8142)]

  @Test(arguments: shapes)
  func chunksAndInstructionSetsGiveTheSameBits(shape: (Int, Int)) throws {
    let (n, k) = shape
    let z = randomMatrix(n, k, seed: UInt64(n * 31 + k), scale: 3).data
    let y = randomLabels(n, classes: k, seed: UInt64(k))
    let whole = try stream(z, y, k: k, chunk: n)
    for chunk in [1, 7, max(1, n / 2), n + 3] {
      #expect(try stream(z, y, k: k, chunk: chunk) == whole, "\(n)x\(k) in chunks of \(chunk)")
    }
    for level in [0, 1, 2] {
      let got = try withKernels(threads: level + 1, level: level) { try stream(z, y, k: k, chunk: 5) }
      #expect(got == whole, "\(n)x\(k) on level \(level)")
    }
    // the Matrix entry point is the same path
    var acc = try MetricAccumulator(nClasses: k)
    try acc.add(logits: try Matrix(rows: n, cols: k, data: z), labels: y)
    #expect(Scores(accuracy: acc.accuracy, perClass: acc.perClassAccuracy, ece: try acc.ece(), nll: try acc.nll()) == whole)
  }

  @Test(arguments: shapes)
  func logitsMatchADoubleReference(shape: (Int, Int)) throws {
    let (n, k) = shape
    let z = randomMatrix(n, k, seed: UInt64(n + 7 * k), scale: 4).data
    let y = randomLabels(n, classes: k, seed: UInt64(n))
    let got = try stream(z, y, k: k, chunk: 9)
    let want = reference(z, y, k: k)
    // argmax decisions are exact; confidences carry float32 exp (about 2 ulp) summed in
    // float lanes, so ECE and NLL agree to 1e-5.
    #expect(got.accuracy == want.accuracy)
    #expect(got.perClass.map(\.bitPattern) == want.perClass.map(\.bitPattern))
    #expect(abs(got.ece - want.ece) < 1e-5, "ece \(got.ece) vs \(want.ece)")
    #expect(abs(got.nll - want.nll) < 1e-5, "nll \(got.nll) vs \(want.nll)")
  }

  @Test func probabilitiesStreamToTheOneShotValues() throws {
    let (n, k) = (203, 33)
    let p = randomMatrix(n, k, seed: 5, scale: 2).softmaxRows()
    let y = randomLabels(n, classes: k, seed: 6)
    let whole = try stream(p.data, y, k: k, chunk: n, probabilities: true)
    #expect(try stream(p.data, y, k: k, chunk: 10, probabilities: true) == whole)
    #expect(whole.ece == (try ece(p, y)))
    #expect(whole.nll == (try nll(p, y)))
    var right = 0
    for i in 0..<n {
      let row = Array(p.data[(i * k)..<((i + 1) * k)])
      if row.firstIndex(of: row.max() ?? 0) == Int(y[i]) { right += 1 }
    }
    #expect(whole.accuracy == Double(right) / Double(n))
  }

  @Test func errorsNameTheRowOfTheWholeInput() throws {
    let k = 20
    var z = randomMatrix(30, k, seed: 3).data
    z[17 * k + 19] = .nan
    let y = randomLabels(30, classes: k, seed: 4)
    expectLearnError("logits contains nan at row 17, column 19") { _ = try stream(z, y, k: k, chunk: 4) }
    z[17 * k + 19] = -.infinity
    expectLearnError("logits contains -inf at row 17, column 19") { _ = try stream(z, y, k: k, chunk: 30) }
    var p = randomMatrix(12, k, seed: 8).softmaxRows().data
    p[9 * k] += 0.01
    expectLearnError("probability row 9 sums to") { _ = try stream(p, Array(y[0..<12]), k: k, chunk: 5, probabilities: true) }
    p[9 * k] = -0.5
    expectLearnError("probabilities[9, 0] = -0.5 is outside [0, 1]") { _ = try stream(p, Array(y[0..<12]), k: k, chunk: 5, probabilities: true) }
    z[17 * k + 19] = 0
    var bad = y
    bad[25] = Int32(k)
    expectLearnError("labels[25] = 20 is out of range 0..<20") { _ = try stream(z, bad, k: k, chunk: 8) }
  }
}

@Suite struct DiagnosticNumberTests {
  /// log(-1) * 1 gives a NaN with the sign bit set; Swift prints it "-nan", the
  /// language prints "nan", and the diagnostic must say what the user would print.
  @Test func aNegativeNaNLogitIsReportedAsNan() throws {
    var z = randomMatrix(4, 3, seed: 1)
    z.data[5] = -Float.nan
    #expect(z.data[5].sign == .minus)
    expectLearnError("logits contains nan at row 1, column 2") { _ = try estimatePriorGLA(logits: z, labels: [0, 1, 2, 0]) }
    expectLearnError("probabilities contains nan at row 1, column 0") { _ = try ece(z.softmaxRows(), [0, 1, 2, 0]) }
    var acc = try MetricAccumulator(nClasses: 3)
    expectLearnError("logits contains nan at row 1, column 2") { try acc.add(logits: z, labels: [0, 1, 2, 0]) }
    expectLearnError("prior[1] is nan") { try checkPrior([0.5, -Double.nan, 0.5], count: 3) }
  }
}
