// The training engine: mini-batch gradient descent on a head, optionally with an encoder
// below it. Pre-training of LT-Synth's foundation models, fine-tuning on frozen features
// and training from scratch all run through `runTraining`.

/// Settings of a training run. Defaults follow the seed paper's released code where it
/// has one (SGD, lr 0.01, momentum 0.9, wd 5e-4, batch 128, 10 epochs, cosine schedule).
public struct TrainConfig: Sendable, Equatable {
  public var loss: LossKind = .ce
  public var epochs = 10
  public var batchSize = 128
  public var lr = 0.01
  public var weightDecay = 5e-4
  public var momentum = 0.9
  public var optimizer: OptimizerKind = .sgd
  public var schedule: Schedule = .cosine
  public var head: HeadKind = .linear
  /// Cosine scale for `.cosine` and `.adapter` heads (25 in the authors' code).
  public var scale = 25.0
  /// Adapter bottleneck width.
  public var bottleneck = 16
  /// Start the classifier from the model's pre-trained (zero-shot) head when it has one,
  /// as the authors' code starts from the text-feature head (`init_head: text_feat`).
  public var initFromZeroShot = true
  public var seed: UInt64 = 0

  public init() {}

  func validate() throws {
    if epochs < 0 { throw LearnError("epochs must be >= 0, got \(epochs)") }
    if batchSize <= 0 { throw LearnError("batch must be positive, got \(batchSize)") }
    if !(lr > 0) || !lr.isFinite { throw LearnError("lr must be a positive number, got \(lr)") }
    if !(weightDecay >= 0) || !weightDecay.isFinite {
      throw LearnError("wd must be >= 0, got \(weightDecay)")
    }
    if !(momentum >= 0 && momentum < 1) {
      throw LearnError("momentum must be in [0, 1), got \(momentum)")
    }
    if !(scale > 0) || !scale.isFinite { throw LearnError("scale must be positive, got \(scale)") }
    if bottleneck <= 0 { throw LearnError("bottleneck must be positive, got \(bottleneck)") }
  }
}

/// What happened during training.
public struct TrainReport: Sendable, Equatable {
  /// Mean training loss of each epoch run.
  public var epochLosses: [Double] = []
  /// Validation top-1 accuracy after each epoch (empty without a validation set).
  public var valAccuracies: [Double] = []
  /// The epoch (0-based) whose weights were kept, when a validation set chose it.
  public var bestEpoch: Int?
  /// True when the progress callback stopped training early.
  public var interrupted = false
}

/// A trained model and its report.
public struct TrainResult: Sendable {
  public var model: Model
  public var report: TrainReport
}

/// Called after every epoch with (epoch number from 1, total epochs, mean loss);
/// return `false` to stop training (the weights so far are kept).
public typealias TrainProgress = (_ epoch: Int, _ total: Int, _ loss: Double) -> Bool

/// Thrown where stopping part-way would leave no meaningful result (LT-Synth's
/// pre-training): the caller's progress callback asked to stop.
public struct TrainingStopped: Error, Sendable {
  public init() {}
}

/// An encoder (trainable, optional) and a head.
struct Trainable {
  var encoder: Encoder?
  var head: Head

  func logits(_ x: Matrix) -> Matrix {
    guard let e = encoder else { return head.logits(x) }
    return head.logits(e.forward(x).activation)
  }

  /// Head parameters, then the encoder's weight and bias.
  var parameters: [[Float]] {
    get {
      var p = head.parameters
      if let e = encoder { p += [e.layer.weight.data, e.layer.bias] }
      return p
    }
    set {
      let nHead = head.parameters.count
      head.parameters = Array(newValue[0..<nHead])
      if encoder != nil && newValue.count >= nHead + 2 {
        encoder?.layer.weight.data = newValue[nHead]
        encoder?.layer.bias = newValue[nHead + 1]
      }
    }
  }

  /// The parameters, moved out (the network keeps empty arrays until they are set back),
  /// so the optimiser updates them in place instead of copying on write.
  mutating func takeParameters() -> [[Float]] {
    let p = parameters
    parameters = p.map { _ in [] }
    return p
  }

  /// Mean loss on a batch and the gradients of `parameters` (same order).
  func lossAndGradients(_ xb: Matrix, _ yb: [Int32], _ loss: BoundLoss) -> (Double, [[Float]]) {
    guard let enc = encoder else {
      let trace = head.forward(xb)
      let (l, dz) = loss.evaluate(trace.logits, yb)
      return (l, head.backward(trace, dz: dz, needInput: false).grads)
    }
    let (pre, act) = enc.forward(xb)
    let trace = head.forward(act)
    let (l, dz) = loss.evaluate(trace.logits, yb)
    let (hg, df) = head.backward(trace, dz: dz, needInput: true)
    var dPre = df ?? Matrix(rows: pre.rows, cols: pre.cols)
    for i in 0..<dPre.data.count where pre.data[i] <= 0 { dPre.data[i] = 0 }
    let eg = enc.layer.backward(input: xb, dy: dPre, needInput: false)
    return (l, hg + [eg.dW.data, eg.db])
  }
}

/// Trains `net` on `x` (already column-selected for the encoder) with mini-batches in a
/// seeded shuffled order. With `val`, the epoch with the best validation accuracy is kept.
func runTraining(
  _ net: inout Trainable, x: Matrix, labels: [Int32], counts: [Int], config: TrainConfig,
  val: (x: Matrix, labels: [Int32])?, progress: TrainProgress?
) throws -> TrainReport {
  let loss = try BoundLoss(config.loss, counts: counts)
  var opt = Optimizer(
    kind: config.optimizer, momentum: config.momentum,
    weightDecay: config.weightDecay)
  var rng = SeededRandom(seed: config.seed).derived(0xBA7C)
  var report = TrainReport()
  var best: (acc: Double, net: Trainable)?
  let n = x.rows
  for epoch in 0..<config.epochs {
    let lr = config.schedule.rate(base: config.lr, epoch: epoch, of: config.epochs)
    let order = rng.permutation(n)
    var total = 0.0
    var start = 0
    while start < n {
      let idx = Array(order[start..<min(start + config.batchSize, n)])
      start += config.batchSize
      let xb = x.gatherRows(idx)
      let yb = idx.map { labels[$0] }
      let (l, grads) = net.lossAndGradients(xb, yb, loss)
      total += l * Double(idx.count)
      var params = net.takeParameters()
      opt.step(&params, grads, lr: lr)
      net.parameters = params
    }
    let meanLoss = total / Double(max(n, 1))
    if !meanLoss.isFinite || net.parameters.contains(where: { $0.contains { !$0.isFinite } }) {
      throw LearnError(
        "training diverged at epoch \(epoch + 1) (loss \(meanLoss)); lower lr (now \(config.lr))")
    }
    report.epochLosses.append(meanLoss)
    if let v = val {
      let acc = topOneAccuracy(net.logits(v.x), v.labels)
      report.valAccuracies.append(acc)
      if best == nil || acc > (best?.acc ?? -1) {
        best = (acc, net)
        report.bestEpoch = epoch
      }
    }
    if let p = progress, !p(epoch + 1, config.epochs, meanLoss) {
      report.interrupted = true
      break
    }
  }
  if let b = best { net = b.net }
  return report
}

func topOneAccuracy(_ logits: Matrix, _ labels: [Int32]) -> Double {
  if labels.isEmpty { return 0 }
  let pred = logits.argmaxRows()
  var c = 0
  for i in 0..<labels.count where pred[i] == labels[i] { c += 1 }
  return Double(c) / Double(labels.count)
}
