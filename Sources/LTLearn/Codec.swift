// A compact, versioned binary form of datasets, models and LT-Synth worlds, for the
// notebook cache (the language layer stores what a cell bound and reads it back on a
// rerun). Floats are stored as their bit patterns, so a restored model predicts
// bit-identical logits and a restored world samples identical data.
//
// Layout: "LTLC", a kind byte, the format version, then the body (LTBytes' bounded
// little-endian primitives). Decoding checks every shape the rest of LTLearn indexes by
// without checking (label ranges, layer widths, encoder columns, prototype rows), so a
// corrupt file is a `LearnError`, never a crash later in `predict` or `sample`.

import LTBytes

/// The codec's header and the readers and writers of each part.
public enum LearnCodec {
  /// Bumped whenever a layout below changes; other versions are refused, not misread.
  public static let version: UInt8 = 2
  static let magic = "LTLC"

  enum Kind: UInt8 {
    case dataset = 1, model = 2, world = 3
    var name: String {
      switch self {
      case .dataset: return "dataset"
      case .model: return "model"
      case .world: return "LT-Synth world"
      }
    }
  }

  static func writer(_ kind: Kind) -> ByteWriter {
    ByteWriter(magic: magic, kind: kind.rawValue, version: version)
  }

  static func reader(_ bytes: [UInt8], _ kind: Kind) throws -> ByteReader {
    var r = ByteReader(bytes, what: kind.name) { LearnError($0) }
    try r.header(
      magic: magic, library: "LTLearn", kind: kind.rawValue, kindName: kind.name, version: version)
    return r
  }

  // MARK: - Matrices and layers

  static func write(_ m: Matrix, _ w: inout ByteWriter) {
    w.int(m.rows)
    w.int(m.cols)
    w.floats(m.data)
  }

  static func readMatrix(_ r: inout ByteReader) throws -> Matrix {
    let at = r.offset
    let rows = try r.int(in: 0...Int(Int32.max), "matrix rows")
    let cols = try r.int(in: 0...Int(Int32.max), "matrix columns")
    let (n, overflow) = rows.multipliedReportingOverflow(by: cols)
    guard !overflow else { throw r.error("matrix shape (\(rows), \(cols)) is too large", at: at) }
    let count = try r.int(in: n...n, "matrix value count for shape (\(rows), \(cols))")
    return Matrix(uncheckedRows: rows, cols: cols, data: try r.floats(count: count))
  }

  static func write(_ l: Linear, _ w: inout ByteWriter) {
    write(l.weight, &w)
    w.floats(l.bias)
  }

  static func readLinear(_ r: inout ByteReader) throws -> Linear {
    let at = r.offset
    let weight = try readMatrix(&r)
    let bias = try r.floats()
    guard bias.count == weight.cols else {
      throw r.error("a layer with \(weight.cols) outputs has \(bias.count) biases", at: at)
    }
    return Linear(weight: weight, bias: bias)
  }

  static func write(_ e: Encoder, _ w: inout ByteWriter) {
    w.ints(e.inputColumns)
    write(e.layer, &w)
  }

  static func readEncoder(_ r: inout ByteReader, inputDim: Int) throws -> Encoder {
    let at = r.offset
    let columns = try r.ints()
    let layer = try readLinear(&r)
    if let bad = columns.first(where: { $0 < 0 || $0 >= inputDim }) {
      throw r.error("the encoder reads column \(bad) of \(inputDim)", at: at)
    }
    guard layer.inputDim == columns.count else {
      throw r.error("the encoder reads \(columns.count) columns into a layer of \(layer.inputDim) inputs", at: at)
    }
    return Encoder(inputColumns: columns, layer: layer)
  }

  static func write(_ h: Head, _ w: inout ByteWriter) {
    w.string(h.kind.rawValue)
    write(h.classifier, &w)
    w.optional(h.adapterDown) { write($1, &$0) }
    w.optional(h.adapterUp) { write($1, &$0) }
    w.f32(h.scale)
  }

  /// A head reading `dim` features; the adapter (if any) must map `dim` back to `dim`.
  static func readHead(_ r: inout ByteReader, dim: Int) throws -> Head {
    let at = r.offset
    let kindName = try r.string()
    guard let kind = HeadKind(rawValue: kindName) else { throw r.error("unknown head kind '\(kindName)'", at: at) }
    var head = Head(linear: try readLinear(&r))
    head.kind = kind
    head.adapterDown = try r.optional { try readLinear(&$0) }
    head.adapterUp = try r.optional { try readLinear(&$0) }
    head.scale = try r.f32()
    guard head.classifier.inputDim == dim else {
      throw r.error("a head of \(head.classifier.inputDim) inputs on \(dim) features", at: at)
    }
    switch (head.adapterDown, head.adapterUp) {
    case (nil, nil): break
    case (let d?, let u?):
      guard d.inputDim == dim, u.inputDim == d.outputDim, u.outputDim == dim else {
        throw r.error("adapter shapes \(d.inputDim)x\(d.outputDim), \(u.inputDim)x\(u.outputDim) do not fit \(dim) features", at: at)
      }
    default: throw r.error("an adapter needs both projections", at: at)
    }
    return head
  }

  // MARK: - Datasets, models, worlds

  static func write(_ d: Dataset, _ w: inout ByteWriter) {
    write(d.features, &w)
    w.int32s(d.labels)
    w.strings(d.classNames)
  }

  static func readDataset(_ r: inout ByteReader) throws -> Dataset {
    let at = r.offset
    let features = try readMatrix(&r)
    let labels = try r.int32s()
    let names = try r.strings()
    guard labels.count == features.rows else {
      throw r.error("\(labels.count) labels for \(features.rows) samples", at: at)
    }
    if let bad = labels.first(where: { $0 < 0 || Int($0) >= names.count }) {
      throw r.error("label \(bad) is not one of \(names.count) classes", at: at)
    }
    return Dataset(unchecked: features, labels: labels, classNames: names)
  }

  static func write(_ m: Model, _ w: inout ByteWriter) {
    w.string(m.name)
    w.int(m.inputDim)
    w.optional(m.encoder) { write($1, &$0) }
    write(m.head, &w)
    w.optional(m.zeroShotHead) { write($1, &$0) }
    w.optional(m.factors) { $0.ints($1) }
    w.optional(m.prior) { $0.doubles($1) }
  }

  static func readModel(_ r: inout ByteReader) throws -> Model {
    let name = try r.string()
    let inputDim = try r.int(in: 0...Int(Int32.max), "model input width")
    let encoder = try r.optional { try readEncoder(&$0, inputDim: inputDim) }
    let dim = encoder?.outputDim ?? inputDim
    let head = try readHead(&r, dim: dim)
    let zeroShot = try r.optional { try readHead(&$0, dim: dim) }
    let factors = try r.optional { try $0.ints() }
    let prior = try r.optional { try $0.doubles() }
    return Model(
      name: name, encoder: encoder, head: head, zeroShotHead: zeroShot, inputDim: inputDim,
      factors: factors, prior: prior)
  }

  static func write(_ c: SynthConfig, _ w: inout ByteWriter) {
    for v in [c.classes, c.factors, c.dim] { w.int(v) }
    w.f64(c.noise)
    w.doubles(c.visibility)
    for v in [c.observed, c.nuisance] { w.int(v) }
    w.f64(c.gain)
    w.f64(c.observationNoise)
    w.int(c.models)
    w.optional(c.modelFactors) { w, lists in
      w.int(lists.count)
      for l in lists { w.ints(l) }
    }
    w.f64(c.weakVisibility)
    w.f64(c.pretrainImbalance)
    w.int(c.pretrainSamples)
    w.int(c.pretrainEpochs)
    w.f64(c.pretrainLR)
    w.int(c.pretrainBatch)
    w.int(c.hidden)
    w.f64(c.imbalance)
    w.int(c.maxPerClass)
    w.string(c.order.rawValue)
    for v in [c.orderModel, c.valPerClass, c.testPerClass] { w.int(v) }
    w.u64(c.seed)
  }

  static func readConfig(_ r: inout ByteReader) throws -> SynthConfig {
    let at = r.offset
    var c = SynthConfig()
    c.classes = try r.int()
    c.factors = try r.int()
    c.dim = try r.int()
    c.noise = try r.f64()
    c.visibility = try r.doubles()
    c.observed = try r.int()
    c.nuisance = try r.int()
    c.gain = try r.f64()
    c.observationNoise = try r.f64()
    c.models = try r.int()
    c.modelFactors = try r.optional { r in
      let n = try r.count(elementSize: 8)
      var lists: [[Int]] = []
      for _ in 0..<n { lists.append(try r.ints()) }
      return lists
    }
    c.weakVisibility = try r.f64()
    c.pretrainImbalance = try r.f64()
    c.pretrainSamples = try r.int()
    c.pretrainEpochs = try r.int()
    c.pretrainLR = try r.f64()
    c.pretrainBatch = try r.int()
    c.hidden = try r.int()
    c.imbalance = try r.f64()
    c.maxPerClass = try r.int()
    let order = try r.string()
    guard let o = SynthOrder(rawValue: order) else { throw r.error("unknown order '\(order)'") }
    c.order = o
    c.orderModel = try r.int()
    c.valPerClass = try r.int()
    c.testPerClass = try r.int()
    c.seed = try r.u64()
    do { try c.validate() } catch let e as LearnError { throw r.error(e.message, at: at) }
    return c
  }

  static func write(_ world: SynthWorld, _ w: inout ByteWriter) {
    write(world.config, &w)
    write(world.prototypes, &w)
    write(world.observation.mixing, &w)
    w.floats(world.observation.offset)
    for d in [world.train, world.val, world.test] { write(d, &w) }
    w.int(world.models.count)
    for m in world.models { write(m, &w) }
    w.int(world.priors.count)
    for p in world.priors { w.doubles(p) }
  }

  static func readWorld(_ r: inout ByteReader) throws -> SynthWorld {
    let config = try readConfig(&r)
    let at = r.offset
    let prototypes = try readMatrix(&r)
    // `sample` indexes prototypes by class and factor without checking.
    let (cells, overflow) = config.classes.multipliedReportingOverflow(by: config.factors)
    guard !overflow, prototypes.rows == cells, prototypes.cols == config.dim else {
      throw r.error(
        "prototypes of shape (\(prototypes.rows), \(prototypes.cols)) for \(config.classes) classes x \(config.factors) factors of \(config.dim) dims",
        at: at)
    }
    let mapAt = r.offset
    let mixing = try readMatrix(&r)
    let offset = try r.floats()
    // `sample` multiplies latents by the mixing matrix and indexes the offset by column.
    guard mixing.rows == config.factors * config.dim, mixing.cols == config.observed,
      offset.count == config.observed
    else {
      throw r.error(
        "an observation map of shape (\(mixing.rows), \(mixing.cols)) with \(offset.count) offsets for \(config.factors * config.dim) latent and \(config.observed) observed dims",
        at: mapAt)
    }
    let observation = ObservationMap(
      mixing: mixing, offset: offset, noise: config.observationNoise, nuisance: config.nuisance)
    let train = try readDataset(&r)
    let val = try readDataset(&r)
    let test = try readDataset(&r)
    let nModels = try r.count(elementSize: 1)
    var models: [Model] = []
    for _ in 0..<nModels { models.append(try readModel(&r)) }
    let nPriors = try r.count(elementSize: 8)
    var priors: [[Double]] = []
    for _ in 0..<nPriors { priors.append(try r.doubles()) }
    guard models.count == config.models, priors.count == config.models else {
      throw r.error("\(models.count) models and \(priors.count) priors for a world of \(config.models) models")
    }
    return SynthWorld(
      config: config, prototypes: prototypes, observation: observation, train: train, val: val, test: test, models: models,
      priors: priors)
  }
}

extension Dataset {
  /// The dataset in LTLearn's binary codec; `Dataset(encoded:)` reads it back exactly.
  public func encoded() -> [UInt8] {
    var w = LearnCodec.writer(.dataset)
    LearnCodec.write(self, &w)
    return w.bytes
  }

  /// Reads `encoded()` bytes; throws a `LearnError` naming the byte offset on bad data.
  public init(encoded bytes: [UInt8]) throws {
    var r = try LearnCodec.reader(bytes, .dataset)
    self = try LearnCodec.readDataset(&r)
    try r.finish()
  }
}

extension Model {
  /// The model (encoder, heads, factors, prior) in LTLearn's binary codec.
  public func encoded() -> [UInt8] {
    var w = LearnCodec.writer(.model)
    LearnCodec.write(self, &w)
    return w.bytes
  }

  /// Reads `encoded()` bytes; throws a `LearnError` naming the byte offset on bad data.
  public init(encoded bytes: [UInt8]) throws {
    var r = try LearnCodec.reader(bytes, .model)
    self = try LearnCodec.readModel(&r)
    try r.finish()
  }
}

extension SynthWorld {
  /// The world (config, prototypes, splits, models, priors) in LTLearn's binary codec.
  public func encoded() -> [UInt8] {
    var w = LearnCodec.writer(.world)
    LearnCodec.write(self, &w)
    return w.bytes
  }

  /// Reads `encoded()` bytes; throws a `LearnError` naming the byte offset on bad data.
  public init(encoded bytes: [UInt8]) throws {
    var r = try LearnCodec.reader(bytes, .world)
    self = try LearnCodec.readWorld(&r)
    try r.finish()
  }
}
