import Testing

@testable import LTLearn

@Suite struct TrainTests {
  /// A separable toy problem: class k has mean 3 e_k in 8 dimensions.
  func toy(_ perClass: [Int], seed: UInt64) throws -> Dataset {
    var rng = SeededRandom(seed: seed)
    var rows: [[Float]] = []
    var y: [Int32] = []
    for (k, n) in perClass.enumerated() {
      for _ in 0..<n {
        rows.append((0..<8).map { j in Float((j == k ? 3 : 0) + rng.normal()) })
        y.append(Int32(k))
      }
    }
    return try Dataset(features: try Matrix(rowArrays: rows), labels: y)
  }

  @Test(arguments: HeadKind.allCases, OptimizerKind.allCases)
  func trainingLearnsASeparableProblem(head: HeadKind, optimizer: OptimizerKind) throws {
    let train = try toy([60, 60, 60, 60], seed: 1)
    let test = try toy([50, 50, 50, 50], seed: 2)
    var c = TrainConfig()
    c.head = head
    c.optimizer = optimizer
    c.lr = optimizer == .sgd ? 0.1 : 0.01
    c.epochs = 15
    c.batchSize = 32
    let r = try finetune(features: train, config: c)
    #expect(r.report.epochLosses.count == 15)
    #expect((r.report.epochLosses.last ?? 9) < r.report.epochLosses[0])
    #expect(try accuracy(try predict(r.model, test), test.labels) > 0.85)
  }

  @Test func sameSeedGivesTheSameModel() throws {
    let train = try toy([30, 20, 10, 5], seed: 3)
    var c = TrainConfig()
    c.loss = .la(tau: 1)
    c.epochs = 3
    c.seed = 17
    let a = try finetune(features: train, config: c).model
    let b = try finetune(features: train, config: c).model
    #expect(a == b)
    c.seed = 18
    #expect(try finetune(features: train, config: c).model != a)
  }

  @Test func progressCallbackSeesEveryEpochAndCanStop() throws {
    let train = try toy([20, 20, 20, 20], seed: 4)
    var c = TrainConfig()
    c.epochs = 10
    var seen: [Int] = []
    let r = try finetune(features: train, config: c) { epoch, total, loss in
      #expect(total == 10 && loss.isFinite)
      seen.append(epoch)
      return epoch < 3
    }
    #expect(seen == [1, 2, 3])
    #expect(r.report.interrupted && r.report.epochLosses.count == 3)
  }

  @Test func validationSetChoosesTheBestEpoch() throws {
    let train = try toy([40, 40, 40, 40], seed: 5)
    let val = try toy([20, 20, 20, 20], seed: 6)
    var c = TrainConfig()
    c.epochs = 6
    c.lr = 0.05
    let r = try finetune(features: train, config: c, val: val)
    #expect(r.report.valAccuracies.count == 6)
    let best = try #require(r.report.bestEpoch)
    #expect(r.report.valAccuracies[best] == r.report.valAccuracies.max())
    #expect(
      abs(try accuracy(try predict(r.model, val), val.labels) - r.report.valAccuracies[best])
        < 1e-12)
  }

  @Test func schedulesFollowTheirFormulas() {
    #expect(Schedule.cosine.rate(base: 1, epoch: 0, of: 10) == 1)
    #expect(abs(Schedule.cosine.rate(base: 1, epoch: 5, of: 10) - 0.5) < 1e-12)
    #expect(abs(Schedule.step(every: 3, gamma: 0.1).rate(base: 1, epoch: 7, of: 10) - 0.01) < 1e-12)
    #expect(Schedule.constant.rate(base: 0.3, epoch: 9, of: 10) == 0.3)
  }

  @Test func sgdMatchesPyTorchOnAHandExample() {
    // p = 1, g = 0.5, wd 0.1, mu 0.9, lr 0.1: d = 0.6, buf = 0.6, p = 0.94;
    // second step g = 0.5: d = 0.5 + 0.094 = 0.594, buf = 0.54 + 0.594 = 1.134, p = 0.8266.
    var opt = Optimizer(kind: .sgd, momentum: 0.9, weightDecay: 0.1)
    var p: [[Float]] = [[1]]
    opt.step(&p, [[0.5]], lr: 0.1)
    #expect(abs(p[0][0] - 0.94) < 1e-6)
    opt.step(&p, [[0.5]], lr: 0.1)
    #expect(abs(p[0][0] - 0.8266) < 1e-6)
  }

  @Test func trainingFromScratchLearns() throws {
    let train = try toy([50, 50, 50, 50], seed: 7)
    var c = TrainConfig()
    c.lr = 0.1
    c.epochs = 20
    c.batchSize = 32
    let r = try trainFromScratch(train, hidden: 16, config: c)
    #expect(r.model.encoder?.outputDim == 16)
    #expect(try accuracy(try predict(r.model, train), train.labels) > 0.85)
  }

  @Test func badSettingsAreErrors() throws {
    let train = try toy([5, 5], seed: 8)
    var c = TrainConfig()
    c.batchSize = 0
    expectLearnError("batch must be positive") { _ = try finetune(features: train, config: c) }
    c = TrainConfig()
    c.lr = .nan
    expectLearnError("lr must be") { _ = try finetune(features: train, config: c) }
    c = TrainConfig()
    c.lr = 1e35
    c.epochs = 5
    expectLearnError("diverged") { _ = try finetune(features: train, config: c) }
    expectLearnError("unknown schedule") { _ = try Schedule.named("warm") }
    let empty = try Dataset(features: Matrix(rows: 0, cols: 8), labels: [], classNames: ["a", "b"])
    expectLearnError("no samples") { _ = try finetune(features: empty) }
    let wide = try toy([3, 3], seed: 9)
    let model = try finetune(features: train, config: TrainConfig()).model
    let narrow = try Dataset(features: Matrix(rows: 2, cols: 3), labels: [0, 1])
    expectLearnError("reads 8 input features") { _ = try predict(model, narrow) }
    _ = wide
  }
}

@Suite struct OptionTests {
  @Test func optionNamesParseAndUnknownNamesAreErrors() throws {
    #expect(try HeadKind.named("Cosine", option: "head") == .cosine)
    #expect(try OptimizerKind.named("adamw", option: "optimizer") == .adamw)
    #expect(try EnsembleMethod.named("mean_prob", option: "method") == .meanProb)
    #expect(try BackdoorCombine.named("logit", option: "combine") == .logit)
    #expect(try LongTailProfile.named("pareto", option: "profile") == .pareto)
    #expect(try SynthOrder.named("reverse", option: "order") == .reverse)
    #expect(try LossKind.named("la", tau: 2) == .la(tau: 2))
    expectLearnError("unknown head \"mlp\"; expected one of linear, cosine, adapter") {
      _ = try HeadKind.named("mlp", option: "head")
    }
  }
}
