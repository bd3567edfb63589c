// LT-Synth: a seeded world of semantic factors, foundation models pre-trained on their
// own long-tailed priors, and long-tailed downstream splits (DESIGN.md, "LT-Synth").
//
// A sample of class y shows each semantic factor f with probability p_vis (at least one
// shown); a shown factor is its class prototype plus noise, a hidden one is zero. The
// factors are mixed by one fixed random nonlinear map into the observed input, beside
// pure-noise nuisance dimensions (SynthObservation.swift), so every visibility pattern is
// its own mode in input space and a model must learn to unmix them. Each foundation model
// reads the whole input but was pre-trained on data in which one factor is rarely
// visible (its incomplete view: the confounder C of the seed paper), on many more samples
// than the downstream set, with plain cross-entropy on labels drawn from its own Zipf
// prior. Its frozen encoder gives features; encoder+head give zero-shot logits.
// See docs/lt-synth.md for the equations and why the paper's phenomena arise.

/// How the downstream training set's long tail lines up with a model's pre-training prior.
public enum SynthOrder: String, Sendable, CaseIterable {
  case random, consistent, reverse, balanced
}

/// Every knob of the generator. The defaults are the one global setting all experiments share.
public struct SynthConfig: Sendable, Equatable {
  public var classes = 100
  public var factors = 4
  /// Latent dimensions per factor.
  public var dim = 16
  /// Noise standard deviation around a prototype, in the latent space.
  public var noise = 1.4
  /// Probability that each factor is visible (one entry per factor, or one for all).
  public var visibility: [Double] = [0.8]
  /// Width of the mixed observation (the nonlinear image of the latent factors).
  public var observed = 96
  /// Pure-noise nuisance dimensions appended to the observation.
  public var nuisance = 32
  /// Gain of the mixing map: how far into tanh's curve the factors are pushed.
  public var gain = 4.0
  /// Noise standard deviation added to every observed dimension.
  public var observationNoise = 0.3
  public var models = 3
  /// The factors each model learned well; `nil` gives model m every factor but m mod F
  /// ({1,2,3}, {0,2,3}, {0,1,3} by default). The others were visible in its
  /// pre-training data with probability `weakVisibility` only.
  public var modelFactors: [[Int]]?
  /// Visibility, in a model's pre-training data, of the factors it did not learn well.
  public var weakVisibility = 0.6
  /// Pre-training prior: Zipf over a random class order, max/min = this.
  public var pretrainImbalance = 100.0
  /// Pre-training samples per model (N_pre).
  public var pretrainSamples = 40_000
  public var pretrainEpochs = 4
  public var pretrainLR = 0.05
  public var pretrainBatch = 128
  /// Encoder width h.
  public var hidden = 128
  /// Downstream training set: exp profile, this imbalance factor and largest class.
  public var imbalance = 100.0
  public var maxPerClass = 500
  public var order: SynthOrder = .random
  /// The model whose prior `consistent` / `reverse` refer to.
  public var orderModel = 0
  public var valPerClass = 20
  public var testPerClass = 100
  public var seed: UInt64 = 0

  public init() {}

  /// Visibility per factor, after expanding a single value.
  public var factorVisibility: [Double] {
    visibility.count == 1 ? [Double](repeating: visibility[0], count: factors) : visibility
  }

  /// Input width: the mixed observation and the nuisance dimensions.
  public var inputDim: Int { observed + nuisance }

  public var accessibleFactors: [[Int]] {
    if let m = modelFactors { return m }
    return (0..<models).map { m in
      factors < 2 ? [0] : (0..<factors).filter { $0 != m % factors }
    }
  }

  /// Visibility of each factor in model m's pre-training data.
  func pretrainVisibility(model m: Int) -> [Double] {
    let strong = Set(accessibleFactors[m])
    let v = factorVisibility
    return (0..<factors).map { strong.contains($0) ? v[$0] : weakVisibility }
  }

  func validate() throws {
    if classes < 2 { throw LearnError("synth: classes must be >= 2, got \(classes)") }
    if factors < 1 || dim < 1 { throw LearnError("synth: factors and dim must be >= 1") }
    if models < 1 { throw LearnError("synth: models must be >= 1, got \(models)") }
    if !(noise >= 0) || !noise.isFinite { throw LearnError("synth: noise must be >= 0") }
    if observed < 1 || nuisance < 0 {
      throw LearnError("synth: observed must be >= 1 and nuisance >= 0")
    }
    if !(gain > 0) || !gain.isFinite { throw LearnError("synth: gain must be positive") }
    if !(observationNoise >= 0) || !observationNoise.isFinite {
      throw LearnError("synth: observation_noise must be >= 0")
    }
    if !(weakVisibility >= 0 && weakVisibility <= 1) {
      throw LearnError("synth: weak_visibility must be in [0, 1], got \(weakVisibility)")
    }
    try checkVisibility(factorVisibility, factors: factors)
    let acc = accessibleFactors
    if acc.count != models {
      throw LearnError("synth: model_factors lists \(acc.count) models but models = \(models)")
    }
    for (m, fs) in acc.enumerated() {
      if fs.isEmpty { throw LearnError("synth: model \(m) sees no factor") }
      for f in fs where f < 0 || f >= factors {
        throw LearnError("synth: model \(m) sees factor \(f), out of range 0..<\(factors)")
      }
      try checkVisibility(pretrainVisibility(model: m), factors: factors)
    }
    if !(pretrainImbalance >= 1) { throw LearnError("synth: pretrain_imbalance must be >= 1") }
    if pretrainSamples < 1 || pretrainEpochs < 0 || hidden < 1 || pretrainBatch < 1 {
      throw LearnError("synth: pretraining sizes must be positive")
    }
    if orderModel < 0 || orderModel >= models {
      throw LearnError("synth: order_model \(orderModel) is not a model index 0..<\(models)")
    }
    if valPerClass < 0 || testPerClass < 0 {
      throw LearnError("synth: per-class sizes must be >= 0")
    }
  }
}

func checkVisibility(_ v: [Double], factors: Int) throws {
  if v.count != factors {
    throw LearnError("visibility has \(v.count) entries but there are \(factors) factors")
  }
  for p in v where !(p >= 0 && p <= 1) {
    throw LearnError("visibility probabilities must be in [0, 1], got \(p)")
  }
  if !v.contains(where: { $0 > 0 }) {
    throw LearnError("visibility: at least one factor must have a positive probability")
  }
}

/// A generated world: the downstream splits, the pre-trained foundation models and their
/// true pre-training priors.
public struct SynthWorld: Sendable {
  public var config: SynthConfig
  /// Prototypes, row `k * F + f` is mu[k, f] (d values).
  public var prototypes: Matrix
  /// The fixed observation map from latent factors to the input.
  public var observation: ObservationMap
  public var train: Dataset
  public var val: Dataset
  public var test: Dataset
  public var models: [Model]
  public var priors: [[Double]]
}

/// Zipf prior over a random class order: the class of rank r gets mass ∝ (r+1)^(-a) with
/// `a = ln(IF) / ln(K)`, so the largest/smallest ratio is IF (a = 1 for K = IF = 100).
func zipfPrior(classes k: Int, imbalance: Double, rng: inout SeededRandom) -> [Double] {
  let a = dlog(imbalance) / dlog(Double(k))
  let order = rng.permutation(k)
  var p = [Double](repeating: 0, count: k)
  for (rank, c) in order.enumerated() { p[c] = dpow(Double(rank + 1), -a) }
  let s = p.reduce(0, +)
  return p.map { $0 / s }
}

/// Latent factors of samples of the given labels: u_f = visible_f * (mu[y, f] + noise * eps),
/// with visibility per class (`visibility[y]`, F probabilities) and at least one factor
/// visible.
func drawLatents(
  labels: [Int32], prototypes: Matrix, config c: SynthConfig, visibility: [[Double]],
  rng: inout SeededRandom
) -> Matrix {
  let (nf, d) = (c.factors, c.dim)
  var u = Matrix(rows: labels.count, cols: nf * d)
  var vis = [Bool](repeating: false, count: nf)
  let sigma = c.noise
  for (i, y) in labels.enumerated() {
    let p = visibility.count == 1 ? visibility[0] : visibility[Int(y)]
    repeat {
      for f in 0..<nf { vis[f] = rng.uniform() < p[f] }
    } while !vis.contains(true)
    for f in 0..<nf where vis[f] {
      let proto = (Int(y) * nf + f) * d
      let dst = i * nf * d + f * d
      for j in 0..<d {
        u.data[dst + j] = prototypes.data[proto + j] + Float(sigma * rng.normal())
      }
    }
  }
  return u
}

/// Observed samples of the given labels: the latents through the world's observation map.
func drawSamples(
  labels: [Int32], prototypes: Matrix, observation: ObservationMap, config c: SynthConfig,
  visibility: [[Double]], rng: inout SeededRandom
) -> Matrix {
  let u = drawLatents(
    labels: labels, prototypes: prototypes, config: c, visibility: visibility, rng: &rng)
  return observation.observe(u, rng: &rng)
}

func classNames(_ k: Int) -> [String] { (0..<k).map { "c\($0)" } }

func labelsFor(counts: [Int]) -> [Int32] {
  var y: [Int32] = []
  for (c, n) in counts.enumerated() { y += [Int32](repeating: Int32(c), count: n) }
  return y
}

/// Builds a world: prototypes, M pre-trained foundation models, downstream train/val/test.
public func synth(_ config: SynthConfig = SynthConfig()) throws -> SynthWorld {
  try config.validate()
  let c = config
  let root = SeededRandom(seed: c.seed)
  var protoRng = root.derived(1)
  var protos = Matrix(rows: c.classes * c.factors, cols: c.dim)
  for i in 0..<protos.data.count { protos.data[i] = Float(protoRng.normal()) }
  var mapRng = root.derived(3)
  let observation = ObservationMap(config: c, rng: &mapRng)

  var models: [Model] = []
  var priors: [[Double]] = []
  for (m, fs) in c.accessibleFactors.enumerated() {
    var rng = root.derived(100 + UInt64(m))
    let prior = zipfPrior(classes: c.classes, imbalance: c.pretrainImbalance, rng: &rng)
    let sampler = CategoricalSampler(prior)
    let y = (0..<c.pretrainSamples).map { _ in Int32(sampler.draw(&rng)) }
    let x = drawSamples(
      labels: y, prototypes: protos, observation: observation, config: c,
      visibility: [c.pretrainVisibility(model: m)], rng: &rng)
    let columns = Array(0..<c.inputDim)
    var net = Trainable(
      encoder: Encoder(
        inputColumns: columns,
        layer: Linear(inputs: columns.count, outputs: c.hidden, rng: &rng)),
      head: Head(linear: Linear(inputs: c.hidden, outputs: c.classes, rng: &rng)))
    var tc = TrainConfig()
    tc.epochs = c.pretrainEpochs
    tc.lr = c.pretrainLR
    tc.batchSize = c.pretrainBatch
    tc.seed = c.seed &+ UInt64(m)
    _ = try runTraining(
      &net, x: x, labels: y, counts: classCounts(y, nClasses: c.classes),
      config: tc, val: nil, progress: nil)
    models.append(
      Model(
        name: "fm\(m)", encoder: net.encoder, head: net.head, zeroShotHead: net.head,
        inputDim: c.inputDim, factors: fs, prior: prior))
    priors.append(prior)
  }

  var counts = try longTailCounts(
    classes: c.classes, maxPerClass: c.maxPerClass, imbalance: c.imbalance, profile: .exp)
  var orderRng = root.derived(2)
  let ranked: [Int]
  let p = priors[c.orderModel]
  let desc = (0..<c.classes).sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
  switch c.order {
  case .random: ranked = orderRng.permutation(c.classes)
  case .consistent: ranked = desc
  case .reverse: ranked = desc.reversed()
  case .balanced:
    ranked = Array(0..<c.classes)
    counts = [Int](repeating: max(1, counts.reduce(0, +) / c.classes), count: c.classes)
  }
  var perClass = [Int](repeating: 0, count: c.classes)
  for (rank, cls) in ranked.enumerated() { perClass[cls] = counts[rank] }

  var world = SynthWorld(
    config: c, prototypes: protos, observation: observation,
    train: Dataset(unchecked: Matrix(rows: 0, cols: 0), labels: [], classNames: []),
    val: Dataset(unchecked: Matrix(rows: 0, cols: 0), labels: [], classNames: []),
    test: Dataset(unchecked: Matrix(rows: 0, cols: 0), labels: [], classNames: []),
    models: models, priors: priors)
  world.train = try sample(world, counts: perClass, visibility: nil, seed: c.seed &+ 10)
  world.val = try sample(world, perClass: c.valPerClass, visibility: nil, seed: c.seed &+ 11)
  world.test = try sample(world, perClass: c.testPerClass, visibility: nil, seed: c.seed &+ 12)
  return world
}

/// A fresh balanced set from `world`: `perClass` samples of every class, with factor
/// visibility `visibility` (one probability per factor; `nil` = the world's).
public func sample(
  _ world: SynthWorld, perClass: Int, visibility: [Double]? = nil,
  seed: UInt64
) throws -> Dataset {
  try sample(world, perClass: perClass, classVisibility: visibility.map { [$0] }, seed: seed)
}

/// A fresh balanced set whose factor visibility may depend on the class:
/// `classVisibility` holds one row of F probabilities for all classes, or one row per
/// class (a setting in which visibility and label are correlated, as in the confounder
/// experiment).
public func sample(
  _ world: SynthWorld, perClass: Int, classVisibility: [[Double]]?, seed: UInt64
) throws -> Dataset {
  if perClass < 0 { throw LearnError("per_class must be >= 0, got \(perClass)") }
  return try sample(
    world, counts: [Int](repeating: perClass, count: world.config.classes),
    classVisibility: classVisibility, seed: seed)
}

/// A fresh set from `world` with `counts[k]` samples of class k.
public func sample(
  _ world: SynthWorld, counts: [Int], visibility: [Double]? = nil,
  seed: UInt64
) throws -> Dataset {
  try sample(world, counts: counts, classVisibility: visibility.map { [$0] }, seed: seed)
}

/// A fresh set with `counts[k]` samples of class k and visibility per class (see above).
public func sample(
  _ world: SynthWorld, counts: [Int], classVisibility: [[Double]]?, seed: UInt64
) throws -> Dataset {
  let c = world.config
  if counts.count != c.classes {
    throw LearnError("counts has \(counts.count) entries but the world has \(c.classes) classes")
  }
  if let bad = counts.first(where: { $0 < 0 }) {
    throw LearnError("counts must be >= 0, got \(bad)")
  }
  let vis = classVisibility ?? [c.factorVisibility]
  if vis.count != 1 && vis.count != c.classes {
    throw LearnError(
      "visibility has \(vis.count) rows; give one row of \(c.factors) probabilities, or one per class (\(c.classes))")
  }
  for row in vis { try checkVisibility(row, factors: c.factors) }
  var rng = SeededRandom(seed: seed).derived(0x5A3F)
  let y = labelsFor(counts: counts)
  let x = drawSamples(
    labels: y, prototypes: world.prototypes, observation: world.observation, config: c,
    visibility: vis, rng: &rng)
  return Dataset(unchecked: x, labels: y, classNames: classNames(c.classes))
}
