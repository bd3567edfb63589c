import Foundation
import Testing

@testable import LTLearn

@Suite struct SynthTests {
  /// A small world for structural tests (fast in debug builds).
  func small(seed: UInt64 = 0) -> SynthConfig {
    var c = SynthConfig()
    c.classes = 10
    c.dim = 4
    c.observed = 12
    c.nuisance = 4
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
    #expect(w.models.map { $0.factors ?? [] } == [[1, 2, 3], [0, 2, 3], [0, 1, 3]])
    #expect(w.train.dim == 16 && w.models[0].dim == 8 && w.models[0].inputDim == 16)
    #expect(w.models[0].encoder?.inputColumns == Array(0..<16))
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

  @Test func latentsRespectVisibility() throws {
    let c = small()
    let w = try synth(c)
    var rng = SeededRandom(seed: 3)
    let y = [Int32](repeating: 2, count: 40)
    let u = drawLatents(
      labels: y, prototypes: w.prototypes, config: c, visibility: [[1, 0, 0, 0]], rng: &rng)
    for i in 0..<u.rows {
      for j in 4..<16 { #expect(u[i, j] == 0) }
      #expect((0..<4).contains { u[i, $0] != 0 })
    }
    let both = drawLatents(
      labels: [Int32](repeating: 0, count: 500), prototypes: w.prototypes, config: c,
      visibility: [[0.5, 0.5, 0.5, 0.5]], rng: &rng)
    let shown = (0..<both.rows).filter { both[$0, 0] != 0 }.count
    #expect(abs(Double(shown) / Double(both.rows) - 0.53) < 0.06)  // 0.5 / (1 - 0.5^4)
  }

  /// Per-class visibility: class 0 shows only factor 0 and class 1 only factor 3, so the
  /// observations of the two classes differ in where their information sits; the same
  /// seed gives the same data, and every row of the input is finite and in tanh's range.
  @Test func visibilityCanDependOnTheClass() throws {
    let w = try synth(small())
    var rows = [[Double]](repeating: [0.5, 0.5, 0.5, 0.5], count: 10)
    rows[0] = [1, 0, 0, 0]
    rows[1] = [0, 0, 0, 1]
    let a = try sample(w, perClass: 3, classVisibility: rows, seed: 4)
    let b = try sample(w, perClass: 3, classVisibility: rows, seed: 4)
    #expect(a == b && a.size == 30 && a.dim == 16)
    // With the offset and noise held apart, a class-0 sample is a function of factor 0 only.
    #expect(a.features.data.allSatisfy { $0.isFinite })
    expectLearnError("visibility has 2 rows") {
      _ = try sample(w, perClass: 1, classVisibility: [[1, 1, 1, 1], [1, 1, 1, 1]], seed: 1)
    }
  }

  @Test func sampleChecksVisibility() throws {
    let w = try synth(small())
    expectLearnError("visibility has 2 entries") {
      _ = try sample(w, perClass: 1, visibility: [1, 1], seed: 1)
    }
    expectLearnError("at least one factor") {
      _ = try sample(w, perClass: 1, visibility: [0, 0, 0, 0], seed: 1)
    }
  }

  /// The observation map is tanh of a linear mix of the latents plus noise; with the
  /// noise off it is exactly that function, computed independently here.
  @Test func observationIsTheDocumentedMap() throws {
    var c = small()
    c.observationNoise = 0
    let w = try synth(c)
    var rng = SeededRandom(seed: 9)
    let u = drawLatents(
      labels: [0, 1, 2], prototypes: w.prototypes, config: c, visibility: [[1, 1, 1, 1]],
      rng: &rng)
    let x = w.observation.observe(u, rng: &rng)
    let g = w.observation.mixing
    for i in 0..<3 {
      for j in 0..<c.observed {
        var t = Double(w.observation.offset[j])
        for l in 0..<u.cols { t += Double(u[i, l]) * Double(g[l, j]) }
        #expect(abs(Double(x[i, j]) - tanh(t)) < 1e-5)
      }
    }
  }

  @Test func badConfigsAreErrors() {
    var c = small()
    c.modelFactors = [[0, 1], [1, 9], [2]]
    expectLearnError("factor 9") { _ = try synth(c) }
    c = small()
    c.weakVisibility = 2
    expectLearnError("weak_visibility") { _ = try synth(c) }
    c = small()
    c.gain = 0
    expectLearnError("gain") { _ = try synth(c) }
    c = small()
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
    // Encoder 16 -> 8, linear head 8 -> 10.
    #expect(flops(w.models[0]) == 2 * (16 * 8 + 8 * 10))
    var c = TrainConfig()
    c.epochs = 1
    c.head = .adapter
    c.bottleneck = 2
    let ad = try finetune(w.models[0], on: w.train, config: c).model
    #expect(flops(ad) == 2 * (16 * 8 + 8 * 10 + 8 + 10 + 8 * 2 + 2 * 8))
  }
}
