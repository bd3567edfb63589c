// Ensembles of several models' logits: the backdoor adjustment and plain averages.
// All of them are row-wise, so they can be applied chunk by chunk.

import LTNumberText

/// How `backdoor` combines its members.
public enum BackdoorCombine: String, Sendable, CaseIterable {
  /// `sum_c w_c softmax(z_c)`: the backdoor formula P(Y|do(X)) = sum_c P(Y|X,c) P(c).
  case prob
  /// `softmax(sum_c w_c z_c)`: the seed paper's released code sums member logits.
  case logit
}

/// Backdoor adjustment over foundation models (Chen et al., "Rethinking the Bias of
/// Foundation Model under Long-tailed Distribution", ICML 2025): each member is one value
/// c of the confounder (an incomplete view of the semantic factors), weighted by P(c).
/// Returns probabilities (N x K). `weights` default to 1/M; with `.prob` they must be
/// non-negative and sum to 1 (they are P(c)); with `.logit` any finite weights are allowed
/// (weights 1 reproduce the authors' summed logits).
public func backdoor(
  _ logits: [Matrix], weights: [Double]? = nil, combine: BackdoorCombine = .prob
) throws -> Matrix {
  try checkMembers(logits)
  let m = logits.count
  let w = weights ?? [Double](repeating: 1 / Double(m), count: m)
  if w.count != m { throw LearnError("backdoor: \(w.count) weights for \(m) members") }
  if w.contains(where: { !$0.isFinite }) { throw LearnError("backdoor: weights must be finite") }
  if combine == .prob {
    if w.contains(where: { $0 < 0 }) { throw LearnError("backdoor: prob weights must be >= 0") }
    let s = w.reduce(0, +)
    if abs(s - 1) > 1e-6 {
      throw LearnError("backdoor: prob weights are P(c) and must sum to 1, got \(formatNumber(s))")
    }
  }
  var out = Matrix(rows: logits[0].rows, cols: logits[0].cols)
  for (z, wc) in zip(logits, w) {
    let src = combine == .prob ? z.softmaxRows() : z
    let f = Float(wc)
    for i in 0..<out.data.count { out.data[i] += f * src.data[i] }
  }
  if combine == .logit { out.softmaxRowsInPlace() }
  return out
}

/// Backdoor adjustment over models' predictions on `ds`.
public func backdoor(
  models: [Model], on ds: Dataset, weights: [Double]? = nil, combine: BackdoorCombine = .prob
) throws -> Matrix {
  try backdoor(models.map { try predict($0, ds) }, weights: weights, combine: combine)
}

/// Plain ensembles.
public enum EnsembleMethod: String, Sendable, CaseIterable {
  /// Mean of the members' softmax probabilities (returns probabilities).
  case meanProb = "mean_prob"
  /// Mean of the members' logits (returns logits).
  case meanLogit = "mean_logit"
  /// Fraction of members whose argmax is each class (returns vote shares; argmax ties go to
  /// the lowest class index).
  case vote
}

/// Combines members' logits by `method`.
public func ensemble(_ logits: [Matrix], method: EnsembleMethod) throws -> Matrix {
  try checkMembers(logits)
  let m = Float(logits.count)
  var out = Matrix(rows: logits[0].rows, cols: logits[0].cols)
  let k = out.cols
  for z in logits {
    switch method {
    case .meanProb:
      let p = z.softmaxRows()
      for i in 0..<out.data.count { out.data[i] += p.data[i] / m }
    case .meanLogit:
      for i in 0..<out.data.count { out.data[i] += z.data[i] / m }
    case .vote:
      for (r, c) in z.argmaxRows().enumerated() { out.data[r * k + Int(c)] += 1 / m }
    }
  }
  return out
}

func checkMembers(_ logits: [Matrix]) throws {
  guard let first = logits.first else { throw LearnError("an ensemble needs at least one member") }
  for (i, z) in logits.enumerated() {
    if z.rows != first.rows || z.cols != first.cols {
      throw LearnError(
        "member \(i) has shape (\(z.rows), \(z.cols)) but member 0 has (\(first.rows), \(first.cols))"
      )
    }
    try checkFinite(z, "member \(i) logits")
  }
}

/// GLA's ensemble of a zero-shot and a fine-tuned model (Zhu et al., "Generalized Logit
/// Adjustment", NeurIPS 2023; `gla_inference` in their code):
/// `z_zs + z_ft - log q - log p_ft`, with q the estimated pre-training prior and `p_ft`
/// the fine-tuning set's label prior (`nil` = uniform, which is right when the fine-tuned
/// model was trained with LA or on balanced data). Returns logits.
public func glaEnsemble(
  zeroShot zs: Matrix, fineTuned ft: Matrix, pretrainPrior q: [Double],
  trainPrior p: [Double]? = nil
) throws -> Matrix {
  try checkMembers([zs, ft])
  var out = try adjust(zs, prior: q)
  let k = out.cols
  let logP = try p.map { pp -> [Float] in
    try checkPrior(pp, count: k, "train prior")
    return pp.map { Float(dlog($0)) }
  }
  for r in 0..<out.rows {
    for c in 0..<k { out.data[r * k + c] += ft.data[r * k + c] - (logP?[c] ?? 0) }
  }
  return out
}
