import Testing

@testable import LTLearn

@Suite struct PriorTests {
  /// Calibrated logits of a classifier trained under `prior`: the evidence x_j = a 1[j=y] + eps_j
  /// (eps standard normal) has posterior softmax(a x + log prior), so z = a x + log prior.
  func logits(for y: [Int32], k: Int, prior q: [Double], rng: inout SeededRandom) -> Matrix {
    let a = 2.0
    var z = Matrix(rows: y.count, cols: k)
    for (i, c) in y.enumerated() {
      for j in 0..<k { z[i, j] = Float(a * ((j == Int(c) ? a : 0) + rng.normal()) + dlog(q[j])) }
    }
    return z
  }

  func biasedLogits(k: Int, perClass: Int, prior q: [Double], seed: UInt64) -> (Matrix, [Int32]) {
    var rng = SeededRandom(seed: seed)
    let y = (0..<(k * perClass)).map { Int32($0 / perClass) }
    return (logits(for: y, k: k, prior: q, rng: &rng), y)
  }

  func zipf(_ k: Int) -> [Double] {
    let raw = (0..<k).map { 1 / Double(($0 * 7) % k + 1) }
    return raw.map { $0 / raw.reduce(0, +) }
  }

  @Test func glaRecoversAKnownPrior() throws {
    let q = zipf(20)
    let (z, y) = biasedLogits(k: 20, perClass: 200, prior: q, seed: 1)
    let est = try estimatePriorGLA(logits: z, labels: y)
    #expect(est.converged)
    #expect(abs(est.prior.reduce(0, +) - 1) < 1e-9)
    #expect(try spearman(est.prior, q) > 0.95)
    #expect(l1(est.prior, q) < 0.1)
  }

  @Test func glaOptimumSatisfiesItsStationarityCondition() throws {
    let q = zipf(10)
    let (z, y) = biasedLogits(k: 10, perClass: 50, prior: q, seed: 2)
    let est = try estimatePriorGLA(logits: z, labels: y, tolerance: 1e-6)
    // mean_i softmax(z_i - log q) equals the label frequency (0.1 each).
    let p = try adjust(z, prior: est.prior).softmaxRows()
    for j in 0..<10 {
      let m = (0..<z.rows).reduce(0.0) { $0 + Double(p[$1, j]) } / Double(z.rows)
      #expect(abs(m - 0.1) < 1e-5)
    }
  }

  @Test func glaMatchesScipy() throws {
    let fx = try fixture("priors.json")
    let k = Int(try number(fx["k"]))
    let labels = try int32s(fx["labels"])
    let z = try Matrix(
      rows: labels.count, cols: k, data: try doubles(fx["logits"]).map { Float($0) })
    let est = try estimatePriorGLA(logits: z, labels: labels, tolerance: 1e-6)
    let ref = try doubles(fx["gla_prior"])
    #expect(l1(est.prior, ref) < 1e-4, "ours \(est.prior) scipy \(ref)")
    let ce = try #require((fx["gla_ce"] as? Double))
    #expect(abs(est.crossEntropy - ce) < 1e-5)
  }

  /// The class-balanced objective against SciPy's L-BFGS-B on an imbalanced labelled set
  /// (Fixtures/make_gla_fixture.py: counts 120 ... 3 over 10 classes). There the
  /// class-balanced estimate lies at L1 0.13 from the true prior, the sample mean at 0.64.
  @Test func glaClassBalancedMatchesScipy() throws {
    let fx = try fixture("gla_class_balanced.json")
    let k = Int(try number(fx["k"]))
    let labels = try int32s(fx["labels"])
    let z = try Matrix(
      rows: labels.count, cols: k, data: try doubles(fx["logits"]).map { Float($0) })
    let balanced = try estimatePriorGLA(logits: z, labels: labels, tolerance: 1e-7)
    #expect(balanced.converged)
    let ref = try doubles(fx["gla_class_balanced_prior"])
    #expect(l1(balanced.prior, ref) < 1e-4, "ours \(balanced.prior) scipy \(ref)")
    #expect(abs(balanced.crossEntropy - (try number(fx["gla_class_balanced_ce"]))) < 1e-5)
    let mean = try estimatePriorGLA(logits: z, labels: labels, classBalanced: false, tolerance: 1e-7)
    let refMean = try doubles(fx["gla_sample_mean_prior"])
    #expect(l1(mean.prior, refMean) < 1e-4, "ours \(mean.prior) scipy \(refMean)")
    let truth = try doubles(fx["true_prior"])
    #expect(l1(balanced.prior, truth) < l1(mean.prior, truth) - 0.3)
  }

  /// On a balanced labelled set every class-balanced weight is exactly 1, so the two
  /// objectives, and their estimates, are the same bit for bit.
  @Test func glaClassBalancedEqualsSampleMeanOnABalancedSet() throws {
    let (z, y) = biasedLogits(k: 12, perClass: 40, prior: zipf(12), seed: 5)
    let a = try estimatePriorGLA(logits: z, labels: y)
    let b = try estimatePriorGLA(logits: z, labels: y, classBalanced: false)
    #expect(a.prior == b.prior)
    #expect(a.iterations == b.iterations)
  }

  @Test func emAndBBSEMatchNumpy() throws {
    let fx = try fixture("priors.json")
    let k = Int(try number(fx["k"]))
    let labels = try int32s(fx["labels"])
    let z = try Matrix(
      rows: labels.count, cols: k, data: try doubles(fx["logits"]).map { Float($0) })
    let tgtData = try doubles(fx["target_logits"]).map { Float($0) }
    let zt = try Matrix(rows: tgtData.count / k, cols: k, data: tgtData)
    let em = try estimatePriorEM(
      logits: zt, sourcePrior: try doubles(fx["source_prior"]),
      tolerance: 1e-12, maxIterations: 100_000)
    #expect(em.converged)
    #expect(l1(em.prior, try doubles(fx["em_prior"])) < 1e-4)
    let bb = try estimatePriorBBSE(sourceLogits: z, sourceLabels: labels, targetLogits: zt)
    #expect(l1(bb.prior, try doubles(fx["bbse_prior"])) < 1e-6)
  }

  @Test func emRecoversATargetShift() throws {
    let k = 8
    let src = [Double](repeating: 1.0 / 8, count: k)
    let tgt = zipf(k)
    // Draw target labels from tgt; logits trained under the uniform source prior.
    var rng = SeededRandom(seed: 5)
    let y = (0..<4000).map { _ in Int32(rng.categorical(tgt)) }
    let z = logits(for: y, k: k, prior: src, rng: &rng)
    let em = try estimatePriorEM(logits: z, sourcePrior: src)
    #expect(l1(em.prior, tgt) < 0.05)
    let (zs, ys) = biasedLogits(k: k, perClass: 300, prior: src, seed: 6)
    let bb = try estimatePriorBBSE(sourceLogits: zs, sourceLabels: ys, targetLogits: z)
    #expect(l1(bb.prior, tgt) < 0.2)  // BBSE is the noisier estimator (it inverts C)
    #expect(try spearman(bb.prior, tgt) > 0.8)
  }

  @Test func temperatureCalibrationMatchesConfidenceToAccuracy() throws {
    let (z0, y) = biasedLogits(k: 10, perClass: 50, prior: zipf(10), seed: 3)
    var z = z0
    for i in 0..<z.data.count { z.data[i] *= 10 }  // overconfident
    let t = try calibrateTemperatureToAccuracy(z, y)
    #expect(t > 1)
    var zt = z
    for i in 0..<zt.data.count { zt.data[i] /= Float(t) }
    let p = zt.softmaxRows()
    let conf =
      (0..<p.rows).reduce(0.0) { acc, r in acc + Double((0..<p.cols).map { p[r, $0] }.max() ?? 0) }
      / Double(p.rows)
    #expect(abs(conf - (try accuracy(z, y))) <= 1.5e-3)
    let est = try estimatePriorGLA(logits: z, labels: y, calibrateTemperature: true)
    #expect(abs(est.temperature - t) < 1e-9)
  }

  @Test func adjustSubtractsTheLogPrior() throws {
    let z = try Matrix(rowArrays: [[1, 2], [3, 4]])
    let a = try adjust(z, prior: [0.25, 0.75], tau: 2)
    #expect(abs(Double(a[0, 0]) - (1 - 2 * dlog(0.25))) < 1e-5)
    #expect(abs(Double(a[1, 1]) - (4 - 2 * dlog(0.75))) < 1e-5)
  }

  @Test func badInputsAreClearErrors() throws {
    let z = try Matrix(rowArrays: [[1, 2], [3, 4]])
    expectLearnError("must be positive") { _ = try adjust(z, prior: [0, 1]) }
    expectLearnError("sums to 0.5") { _ = try adjust(z, prior: [0.25, 0.25]) }
    expectLearnError("has 3 entries") { _ = try adjust(z, prior: [0.2, 0.3, 0.5]) }
    var bad = z
    bad[1, 0] = .nan
    expectLearnError("contains nan") { _ = try adjust(bad, prior: [0.5, 0.5]) }
    expectLearnError("contains nan") { _ = try estimatePriorGLA(logits: bad, labels: [0, 1]) }
    expectLearnError("out of range") { _ = try estimatePriorGLA(logits: z, labels: [0, 2]) }
    expectLearnError("has 1 entries") { _ = try estimatePriorGLA(logits: z, labels: [0]) }
    expectLearnError("class 1 has none") { _ = try estimatePriorGLA(logits: z, labels: [0, 0]) }
    expectLearnError("source prior") { _ = try estimatePriorEM(logits: z, sourcePrior: [1, 0]) }
    expectLearnError("singular") {
      _ = try estimatePriorBBSE(
        sourceLogits: try Matrix(rowArrays: [[5, 0], [5, 0]]),
        sourceLabels: [0, 1], targetLogits: z)
    }
    expectLearnError("all zero") { _ = try priorFromCounts([0, 0]) }
  }
}
