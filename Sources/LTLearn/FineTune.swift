// Public training entry points: fine-tuning a head on frozen features, and training a
// network from scratch.

func checkTrainable(_ ds: Dataset, _ what: String) throws {
  if ds.size == 0 { throw LearnError("\(what) has no samples") }
}

/// Fine-tunes a new head (`config.head`) on `model`'s frozen features of `train`, with
/// `config.loss`. With `val`, keeps the epoch of best validation accuracy. The result keeps
/// the encoder, the zero-shot head, factors and prior of `model`.
public func finetune(
  _ model: Model, on train: Dataset, config: TrainConfig = TrainConfig(), val: Dataset? = nil,
  progress: TrainProgress? = nil
) throws -> TrainResult {
  try config.validate()
  try checkTrainable(train, "the training set")
  let f = try features(model, train)
  let vf = try val.map { (x: try features(model, $0), labels: $0.labels) }
  var rng = SeededRandom(seed: config.seed)
  var net = Trainable(
    encoder: nil,
    head: Head(
      kind: config.head, inputs: f.cols, classes: train.nClasses, scale: Float(config.scale),
      bottleneck: config.bottleneck, rng: &rng))
  if config.initFromZeroShot, let zs = model.zeroShotHead {
    if zs.nClasses != train.nClasses {
      throw LearnError(
        "model \(model.name) was pre-trained on \(zs.nClasses) classes but the training set has \(train.nClasses)"
      )
    }
    net.head.classifier = zs.classifier
  }
  if let v = val, v.nClasses != train.nClasses {
    throw LearnError("val has \(v.nClasses) classes but train has \(train.nClasses)")
  }
  let report = try runTraining(
    &net, x: f, labels: train.labels, counts: train.classCounts, config: config, val: vf,
    progress: progress)
  var out = model
  out.head = net.head
  out.name = model.name + "+" + lossName(config.loss)
  return TrainResult(model: out, report: report)
}

/// Trains a head on `train.features` as they are (features exported from elsewhere);
/// `predict` then takes datasets of the same feature width.
public func finetune(
  features train: Dataset, config: TrainConfig = TrainConfig(), val: Dataset? = nil,
  progress: TrainProgress? = nil
) throws -> TrainResult {
  let identity = Model(
    name: "features", encoder: nil,
    head: Head(linear: Linear(weight: Matrix(rows: train.dim, cols: train.nClasses), bias: [])),
    zeroShotHead: nil, inputDim: train.dim, factors: nil, prior: nil)
  var r = try finetune(identity, on: train, config: config, val: val, progress: progress)
  r.model.name = "head+" + lossName(config.loss)
  return r
}

/// Trains an encoder (`relu(x W + b)`, `hidden` wide) and a head jointly on `train`
/// alone: the "trained from scratch" baseline (no pre-training, so no pre-training bias).
public func trainFromScratch(
  _ train: Dataset, hidden: Int = 64, config: TrainConfig = TrainConfig(), val: Dataset? = nil,
  progress: TrainProgress? = nil
) throws -> TrainResult {
  try config.validate()
  try checkTrainable(train, "the training set")
  if hidden <= 0 { throw LearnError("hidden must be positive, got \(hidden)") }
  var rng = SeededRandom(seed: config.seed)
  let enc = Encoder(
    inputColumns: Array(0..<train.dim),
    layer: Linear(inputs: train.dim, outputs: hidden, rng: &rng))
  var net = Trainable(
    encoder: enc,
    head: Head(
      kind: config.head, inputs: hidden, classes: train.nClasses, scale: Float(config.scale),
      bottleneck: config.bottleneck, rng: &rng))
  let report = try runTraining(
    &net, x: train.features, labels: train.labels, counts: train.classCounts, config: config,
    val: val.map { ($0.features, $0.labels) }, progress: progress)
  let model = Model(
    name: "scratch+" + lossName(config.loss), encoder: net.encoder, head: net.head,
    zeroShotHead: nil, inputDim: train.dim, factors: nil, prior: nil)
  return TrainResult(model: model, report: report)
}

func lossName(_ l: LossKind) -> String {
  switch l {
  case .ce: return "ce"
  case .la: return "la"
  case .bs: return "bs"
  case .focal: return "focal"
  case .cb: return "cb"
  }
}
