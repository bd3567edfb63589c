import Testing

@testable import LTLearn

@Suite struct MetricsTests {
  @Test func metricsMatchNumpy() throws {
    let fx = try fixture("metrics.json")
    let k = Int(try number(fx["k"]))
    let labels = try int32s(fx["labels"])
    let p = try Matrix(
      rows: labels.count, cols: k, data: try doubles(fx["probs"]).map { Float($0) })
    #expect(abs(try accuracy(p, labels) - (try number(fx["accuracy"]))) < 1e-12)
    #expect(abs(try ece(p, labels, bins: 15) - (fx["ece15"] as? Double ?? -1)) < 1e-6)
    #expect(abs(try nll(p, labels) - (fx["nll"] as? Double ?? -1)) < 1e-6)
    let f1 = try macroF1(predictions: p.argmaxRows(), labels, nClasses: k)
    #expect(abs(f1 - (fx["macro_f1"] as? Double ?? -1)) < 1e-12)
  }

  @Test func chunkedAccumulationEqualsOneShot() throws {
    let z = randomMatrix(500, 12, seed: 1, scale: 2)
    let y = randomLabels(500, classes: 12, seed: 2)
    var acc = try MetricAccumulator(nClasses: 12, trackConfusion: true)
    var start = 0
    while start < 500 {
      let idx = Array(start..<min(start + 64, 500))
      try acc.add(logits: z.gatherRows(idx), labels: idx.map { y[$0] })
      start += 64
    }
    let p = z.softmaxRows()
    #expect(abs(acc.accuracy - (try accuracy(z, y))) < 1e-12)
    #expect(abs((try acc.ece()) - (try ece(p, y))) < 1e-9)
    #expect(abs((try acc.nll()) - (try nll(p, y))) < 1e-6)
    let full = try confusion(predictions: z.argmaxRows(), y, nClasses: 12)
    #expect(try acc.confusion() == full)
    #expect(full.flatMap { $0 }.reduce(0, +) == 500)
  }

  @Test func groupAccuracyUsesTheOLTRConvention() throws {
    // 3 classes: class 0 (many) 2/2 right, class 1 (medium) 1/2, class 2 (few) 0/4.
    let preds: [Int32] = [0, 0, 1, 0, 0, 0, 0, 0]
    let y: [Int32] = [0, 0, 1, 1, 2, 2, 2, 2]
    var z = Matrix(rows: 8, cols: 3)
    for (i, p) in preds.enumerated() { z[i, Int(p)] = 1 }
    let g = try groupAccuracy(z, y, groups: [.many, .medium, .few])
    #expect(g.all == 3.0 / 8)
    #expect(g.many == 1 && g.medium == 0.5 && g.few == 0)
    let none = try groupAccuracy(z, y, groups: [.many, .many, .many])
    #expect(none.medium == nil && abs((none.many ?? 0) - 0.5) < 1e-12)
    let pc = try perClassAccuracy(z, y, nClasses: 4)
    #expect(pc[0] == 1 && pc[1] == 0.5 && pc[2] == 0 && pc[3].isNaN)
  }

  @Test func eceOfPerfectCalibrationIsZeroAndBinsAreRightClosed() throws {
    // Confidence exactly 1 and always right: ECE 0. Confidence 0.5 right half the time: 0.
    let p = try Matrix(rowArrays: [[1, 0], [0, 1], [0.5, 0.5], [0.5, 0.5]])
    #expect(try ece(p, [0, 1, 0, 1], bins: 15) < 1e-12)
    #expect(abs(try ece(p, [0, 1, 1, 1], bins: 2) - 0.25) < 1e-12)
  }

  @Test func spearmanHandlesTies() throws {
    #expect(abs(try spearman([1, 2, 3, 4], [10, 20, 30, 40]) - 1) < 1e-12)
    #expect(abs(try spearman([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12)
    #expect(abs(try spearman([1, 1, 2], [1, 1, 2]) - 1) < 1e-12)
  }

  @Test func badInputsAreClearErrors() throws {
    let z = try Matrix(rowArrays: [[1, 2], [3, 4]])
    expectLearnError("out of range") { _ = try accuracy(z, [0, 5]) }
    expectLearnError("has 3 entries") { _ = try accuracy(z, [0, 1, 1]) }
    expectLearnError("sums to") {
      _ = try ece(try Matrix(rowArrays: [[0.2, 0.2], [0.5, 0.5]]), [0, 1])
    }
    expectLearnError("outside [0, 1]") { _ = try ece(z, [0, 1]) }
    expectLearnError("bins must be positive") { _ = try ece(z.softmaxRows(), [0, 1], bins: 0) }
    expectLearnError("groups has 3 entries") {
      _ = try groupAccuracy(z, [0, 1], groups: [.many, .few, .few])
    }
    expectLearnError("empty set") { _ = try accuracy(Matrix(rows: 0, cols: 2), []) }
    var bad = z
    bad[0, 1] = .nan
    expectLearnError("NaN") { _ = try accuracy(bad, [0, 1]) }
    expectLearnError("lengths") { _ = try spearman([1, 2], [1]) }
  }
}

@Suite struct EnsembleTests {
  @Test func backdoorCombinesProbabilitiesOrLogits() throws {
    let a = try Matrix(rowArrays: [[2, 0, 0], [0, 1, 0]])
    let b = try Matrix(rowArrays: [[0, 3, 0], [0, 0, 1]])
    let pa = a.softmaxRows()
    let pb = b.softmaxRows()
    let prob = try backdoor([a, b], weights: [0.25, 0.75])
    for i in 0..<6 { #expect(abs(prob.data[i] - (0.25 * pa.data[i] + 0.75 * pb.data[i])) < 1e-6) }
    let logit = try backdoor([a, b], weights: [1, 1], combine: .logit)
    var sum = a
    for i in 0..<6 { sum.data[i] += b.data[i] }
    let ps = sum.softmaxRows()
    for i in 0..<6 { #expect(abs(logit.data[i] - ps.data[i]) < 1e-6) }
    // Default weights are 1/M.
    let eq = try backdoor([a, b])
    let mp = try ensemble([a, b], method: .meanProb)
    for i in 0..<6 { #expect(abs(eq.data[i] - mp.data[i]) < 1e-6) }
  }

  @Test func plainEnsembles() throws {
    let a = try Matrix(rowArrays: [[2, 0], [0, 1]])
    let b = try Matrix(rowArrays: [[0, 1], [0, 3]])
    let c = try Matrix(rowArrays: [[5, 0], [1, 0]])
    #expect(try ensemble([a, b], method: .meanLogit).data == [1, 0.5, 0, 2])
    let v = try ensemble([a, b, c], method: .vote)
    #expect(abs(v[0, 0] - 2.0 / 3) < 1e-6 && abs(v[1, 1] - 2.0 / 3) < 1e-6)
  }

  @Test func badMembersAreErrors() throws {
    let a = Matrix(rows: 2, cols: 3)
    expectLearnError("at least one member") { _ = try backdoor([]) }
    expectLearnError("member 1 has shape (2, 2)") {
      _ = try backdoor([a, Matrix(rows: 2, cols: 2)])
    }
    expectLearnError("must sum to 1") { _ = try backdoor([a, a], weights: [1, 1]) }
    expectLearnError("2 weights for 1") { _ = try backdoor([a], weights: [0.5, 0.5]) }
  }
}

@Suite struct GLAEnsembleTests {
  @Test func glaEnsembleAddsLogitsAndRemovesBothPriors() throws {
    let zs = try Matrix(rowArrays: [[1, 2], [0, 1]])
    let ft = try Matrix(rowArrays: [[3, 0], [1, 1]])
    let out = try glaEnsemble(
      zeroShot: zs, fineTuned: ft, pretrainPrior: [0.2, 0.8],
      trainPrior: [0.5, 0.5])
    #expect(abs(Double(out[0, 0]) - (4 - dlog(0.2) - dlog(0.5))) < 1e-5)
    #expect(abs(Double(out[1, 1]) - (2 - dlog(0.8) - dlog(0.5))) < 1e-5)
    let noP = try glaEnsemble(zeroShot: zs, fineTuned: ft, pretrainPrior: [0.2, 0.8])
    #expect(abs(Double(noP[0, 1]) - (2 - dlog(0.8))) < 1e-5)
    expectLearnError("train prior") {
      _ = try glaEnsemble(
        zeroShot: zs, fineTuned: ft, pretrainPrior: [0.5, 0.5], trainPrior: [1, 1])
    }
  }
}
