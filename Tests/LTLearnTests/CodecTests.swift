import Testing

@testable import LTLearn

/// The binary codec behind the notebook cache: exact round trips (restored models predict
/// bit-identical logits, a restored world samples identical data), and corrupt or
/// truncated bytes always an error, never a crash.
@Suite struct CodecTests {
  /// A small world (fast in debug builds).
  static func smallConfig() -> SynthConfig {
    var c = SynthConfig()
    c.classes = 6
    c.factors = 3
    c.dim = 4
    c.observed = 10
    c.nuisance = 3
    c.models = 2
    c.pretrainSamples = 300
    c.pretrainEpochs = 1
    c.hidden = 8
    c.maxPerClass = 30
    c.imbalance = 10
    c.valPerClass = 2
    c.testPerClass = 5
    c.visibility = [0.9, 0.5, 0.7]
    c.modelFactors = [[0, 1], [2]]
    c.seed = 11
    return c
  }

  static let world: SynthWorld = {
    (try? synth(smallConfig()))
      ?? SynthWorld(
        config: SynthConfig(), prototypes: Matrix(rows: 0, cols: 0),
        observation: ObservationMap(mixing: Matrix(rows: 0, cols: 0), offset: [], noise: 0, nuisance: 0),
        train: Dataset(unchecked: Matrix(rows: 0, cols: 0), labels: [], classNames: []),
        val: Dataset(unchecked: Matrix(rows: 0, cols: 0), labels: [], classNames: []),
        test: Dataset(unchecked: Matrix(rows: 0, cols: 0), labels: [], classNames: []), models: [],
        priors: [])
  }()

  func bits(_ m: Matrix) -> [UInt32] { m.data.map(\.bitPattern) }

  func trained(_ head: HeadKind) throws -> Model {
    var config = TrainConfig()
    config.head = head
    config.epochs = 2
    config.bottleneck = 3
    config.seed = 5
    return try finetune(Self.world.models[0], on: Self.world.train, config: config).model
  }

  @Test func datasetsRoundTripExactly() throws {
    var features = randomMatrix(7, 3, seed: 1)
    features.data[4] = -0.0
    let d = try Dataset(features: features, labels: [0, 2, 1, 1, 0, 2, 2], classNames: ["a", "b", "ç"])
    let back = try Dataset(encoded: d.encoded())
    #expect(back == d)
    #expect(bits(back.features) == bits(d.features))
    let empty = Dataset(unchecked: Matrix(rows: 0, cols: 0), labels: [], classNames: [])
    #expect(try Dataset(encoded: empty.encoded()) == empty)
  }

  @Test func trainedCosineAndAdapterModelsPredictIdenticalLogits() throws {
    for head in [HeadKind.linear, .cosine, .adapter] {
      let model = try trained(head)
      #expect(model.head.kind == head)
      let back = try Model(encoded: model.encoded())
      #expect(back == model)
      #expect(bits(try predict(back, Self.world.test)) == bits(try predict(model, Self.world.test)))
      #expect(bits(try zeroShot(back, Self.world.test)) == bits(try zeroShot(model, Self.world.test)))
      #expect(back.prior == model.prior && back.factors == model.factors)
      #expect(flops(back) == flops(model))
    }
    var config = TrainConfig()
    config.epochs = 1
    let scratch = try trainFromScratch(Self.world.train, hidden: 5, config: config).model
    let back = try Model(encoded: scratch.encoded())
    #expect(back == scratch)
    #expect(bits(try predict(back, Self.world.test)) == bits(try predict(scratch, Self.world.test)))
  }

  @Test func aRestoredWorldSamplesIdenticalData() throws {
    let w = Self.world
    let back = try SynthWorld(encoded: w.encoded())
    #expect(back.config == w.config)
    #expect(bits(back.prototypes) == bits(w.prototypes))
    #expect(back.observation == w.observation)
    #expect(back.train == w.train && back.val == w.val && back.test == w.test)
    #expect(back.models == w.models && back.priors == w.priors)
    for (vis, seed) in [(nil, UInt64(3)), ([0.2, 0.2, 1.0], 8)] as [([Double]?, UInt64)] {
      let a = try sample(w, perClass: 4, visibility: vis, seed: seed)
      let b = try sample(back, perClass: 4, visibility: vis, seed: seed)
      #expect(bits(a.features) == bits(b.features) && a.labels == b.labels)
    }
  }

  @Test func theHeaderNamesKindAndVersion() throws {
    let model = Self.world.models[0].encoded()
    expectLearnError("not a dataset") { _ = try Dataset(encoded: model) }
    var future = model
    future[5] = LearnCodec.version + 1
    expectLearnError("format version") { _ = try Model(encoded: future) }
    expectLearnError("bad magic") { _ = try Model(encoded: Array("nope, not a model".utf8)) }
  }

  @Test func aLyingLengthIsAnErrorNotAnAllocation() throws {
    // The dataset's row count sits right after the 6-byte header.
    var bytes = try Dataset(features: randomMatrix(2, 2, seed: 2), labels: [0, 1]).encoded()
    for i in 6..<14 { bytes[i] = 0xFF }
    bytes[13] = 0x0F
    expectLearnError("corrupt dataset data at byte 6") { _ = try Dataset(encoded: bytes) }
    var names = try Dataset(features: randomMatrix(1, 1, seed: 2), labels: [0]).encoded()
    // The class-name count is the last 8-byte field before the one name.
    let at = names.count - 8 - "class0".utf8.count - 8
    for i in at..<(at + 8) { names[i] = 0x7F }
    expectLearnError("does not fit") { _ = try Dataset(encoded: names) }
  }

  /// Every truncation is an error; every flipped byte is an error or a model that still
  /// predicts without crashing (a flipped weight is a valid, different model).
  @Test func truncatedOrFlippedModelsNeverCrash() throws {
    let model = try trained(.adapter)
    let bytes = model.encoded()
    for n in 0..<bytes.count {
      #expect(throws: LearnError.self) { _ = try Model(encoded: Array(bytes[0..<n])) }
    }
    for i in 0..<bytes.count {
      for mask: UInt8 in [0x01, 0x80, 0xFF] {
        var flipped = bytes
        flipped[i] ^= mask
        guard let m = try? Model(encoded: flipped) else { continue }
        _ = try? predict(m, Self.world.test)
        _ = try? zeroShot(m, Self.world.test)
      }
    }
  }

  @Test func truncatedOrFlippedWorldsNeverCrash() throws {
    let bytes = Self.world.encoded()
    for n in stride(from: 0, to: bytes.count, by: 7) {
      #expect(throws: LearnError.self) { _ = try SynthWorld(encoded: Array(bytes[0..<n])) }
    }
    for i in stride(from: 0, to: bytes.count, by: 13) {
      var flipped = bytes
      flipped[i] ^= 0xA5
      guard let w = try? SynthWorld(encoded: flipped) else { continue }
      _ = try? sample(w, perClass: 2, seed: 1)
      for m in w.models { _ = try? predict(m, w.test) }
    }
  }
}
