import Testing

@testable import LTLearn

@Suite struct SynthTests {
  /// A small world for structural tests (fast in debug builds).
  func small(seed: UInt64 = 0) -> SynthConfig {
    var c = SynthConfig()
    c.classes = 10
    c.dim = 4
    c.pretrainSamples = 400
    c.pretrainEpochs = 2
    c.hidden = 8
    c.maxPerClass = 50
    c.imbalance = 10
    c.valPerClass = 3
    c.testPerClass = 5
    c.seed = seed
    return c
  }

  /// Pre-training reports every epoch and stops the generation when asked (an interrupt).
  @Test func progressCanStopPretraining() throws {
    var epochs = 0
    #expect(throws: TrainingStopped.self) {
      try synth(small(), progress: { _, _, _ in epochs += 1; return epochs < 2 })
    }
    #expect(epochs == 2)
    var seen = 0
    _ = try synth(small(), progress: { _, _, _ in seen += 1; return true })
    #expect(seen == small().pretrainEpochs * small().accessibleFactors.count)
  }

  @Test func aWorldIsDeterminedByItsSeed() throws {
    let a = try synth(small(seed: 4))
    let b = try synth(small(seed: 4))
    #expect(a.train == b.train && a.test == b.test && a.models == b.models)
    let c = try synth(small(seed: 5))
    #expect(c.train != a.train)
  }

  @Test func aWorldHasTheDocumentedShape() throws {
    let w = try synth(small())
    #expect(w.models.count == 3)
    #expect(w.models.map { $0.factors ?? [] } == [[0, 1], [1, 2], [2, 3]])
    #expect(w.train.dim == 16 && w.models[0].dim == 8 && w.models[0].inputDim == 16)
    #expect(
      w.train.classCounts.sorted(by: >)
        == (try longTailCounts(classes: 10, maxPerClass: 50, imbalance: 10, profile: .exp)))
    #expect(w.val.classCounts == [Int](repeating: 3, count: 10))
    #expect(w.test.size == 50)
    for p in w.priors {
      #expect(abs(p.reduce(0, +) - 1) < 1e-12)
      #expect(abs((p.max() ?? 0) / (p.min() ?? 1) - 10 * 10) < 1e-6)  // pretrain IF 100
    }
    #expect(try zeroShot(w.models[0], w.test).cols == 10)
    #expect(try features(w.models[1], w.test).cols == 8)
  }

  @Test func orderFollowsTheModelPrior() throws {
    var c = small()
    c.order = .consistent
    let w = try synth(c)
    let counts = w.train.classCounts
    let p = w.priors[0]
    let byPrior = (0..<10).sorted { p[$0] > p[$1] }
    #expect(byPrior.map { counts[$0] } == counts.sorted(by: >))
    c.order = .reverse
    let r = try synth(c).train.classCounts
    #expect(byPrior.map { r[$0] } == r.sorted())
    c.order = .balanced
    #expect(Set(try synth(c).train.classCounts).count == 1)
  }

  @Test func sampleRespectsVisibility() throws {
    let w = try synth(small())
    let ds = try sample(w, perClass: 4, visibility: [1, 0, 0, 0], seed: 1)
    #expect(ds.size == 40)
    for i in 0..<ds.size {
      for j in 4..<16 { #expect(ds.features[i, j] == 0) }
      #expect((0..<4).contains { ds.features[i, $0] != 0 })
    }
    let both = try sample(w, perClass: 50, visibility: [0.5, 0.5, 0.5, 0.5], seed: 2)
    let shown = (0..<both.size).filter { both.features[$0, 0] != 0 }.count
    #expect(abs(Double(shown) / Double(both.size) - 0.53) < 0.06)  // 0.5 / (1 - 0.5^4)
    expectLearnError("visibility has 2 entries") {
      _ = try sample(w, perClass: 1, visibility: [1, 1], seed: 1)
    }
    expectLearnError("at least one factor") {
      _ = try sample(w, perClass: 1, visibility: [0, 0, 0, 0], seed: 1)
    }
  }

  @Test func badConfigsAreErrors() {
    var c = small()
    c.modelFactors = [[0, 1], [1, 9], [2]]
    expectLearnError("factor 9") { _ = try synth(c) }
    c = small()
    c.visibility = [1.5]
    expectLearnError("in [0, 1]") { _ = try synth(c) }
    c = small()
    c.orderModel = 3
    expectLearnError("order_model") { _ = try synth(c) }
  }

  @Test func flopsCountMultiplyAdds() throws {
    let w = try synth(small())
    // Encoder 8 -> 8, linear head 8 -> 10.
    #expect(flops(w.models[0]) == 2 * (8 * 8 + 8 * 10))
    var c = TrainConfig()
    c.epochs = 1
    c.head = .adapter
    c.bottleneck = 2
    let ad = try finetune(w.models[0], on: w.train, config: c).model
    #expect(flops(ad) == 2 * (8 * 8 + 8 * 10 + 8 + 10 + 8 * 2 + 2 * 8))
  }
}
