// A model: an optional frozen encoder and a classifier head.

/// A classifier over a dataset's features. LT-Synth foundation models have an encoder
/// (their feature extractor), a pre-trained head (their zero-shot classifier), the
/// factors they see and their true pre-training prior. `finetune` returns a copy with a
/// new head and the same encoder; a head trained on raw features has no encoder.
public struct Model: Sendable, Equatable {
  public var name: String
  /// The frozen feature extractor; `nil` means the head reads the input features as they are.
  public var encoder: Encoder?
  /// The head `predict` uses.
  public var head: Head
  /// The pre-trained head, which `zeroShot` uses (foundation models and their fine-tuned copies).
  public var zeroShotHead: Head?
  /// Width of the input features.
  public var inputDim: Int
  /// LT-Synth: the semantic factors this model sees.
  public var factors: [Int]?
  /// LT-Synth: the true pre-training label prior.
  public var prior: [Double]?

  /// Width of the features the head reads.
  public var dim: Int { encoder?.outputDim ?? inputDim }
  public var nClasses: Int { head.nClasses }
}

func checkInput(_ model: Model, _ ds: Dataset) throws {
  if ds.dim != model.inputDim {
    throw LearnError(
      "model \(model.name) reads \(model.inputDim) input features but the dataset has \(ds.dim)")
  }
}

/// The model's features for every sample of `ds` (the encoder output; the input itself
/// when the model has no encoder).
public func features(_ model: Model, _ ds: Dataset) throws -> Matrix {
  try checkInput(model, ds)
  guard let e = model.encoder else { return ds.features }
  return try e.encode(ds.features)
}

/// The model's logits (N x K) for every sample of `ds`, through its current head.
public func predict(_ model: Model, _ ds: Dataset) throws -> Matrix {
  model.head.logits(try features(model, ds))
}

/// The zero-shot logits of a foundation model: encoder plus pre-trained head.
public func zeroShot(_ model: Model, _ ds: Dataset) throws -> Matrix {
  guard let h = model.zeroShotHead else {
    throw LearnError("model \(model.name) has no pre-trained head, so no zero-shot logits")
  }
  return h.logits(try features(model, ds))
}

/// Inference cost of `model` in FLOPs per sample: 2 x multiply-adds of the encoder (if any)
/// and the head. Linear: D*K; cosine: D*K + D + K (the feature norm and the scale; the
/// weight norms are computed once); adapter: 2*D*r more. ReLU, bias adds and
/// softmax are not counted.
public func flops(_ model: Model) -> Int {
  2 * ((model.encoder.map { $0.layer.macs } ?? 0) + model.head.macs)
}
