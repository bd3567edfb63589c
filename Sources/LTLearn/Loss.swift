// Training losses on logits, each with its hand-written gradient.
import CLTKernels

/// A training loss. `n_j` is the training count of class j and `pi_j = n_j / N`.
public enum LossKind: Sendable, Equatable {
  /// Cross-entropy, mean over the batch.
  case ce
  /// Logit-adjusted loss, `CE(z + tau * log(pi + 1e-12), y)` (Menon et al., "Long-tail
  /// learning via logit adjustment", ICLR 2021; google-research `logit_adjustment`).
  case la(tau: Double)
  /// Balanced Softmax, `CE(z + log n, y)` (Ren et al., "Balanced Meta-Softmax for
  /// Long-Tailed Visual Recognition", NeurIPS 2020).
  case bs
  /// Focal loss, `(1 - p_y)^gamma * CE`, mean over the batch, no alpha (Lin et al.,
  /// "Focal Loss for Dense Object Detection", ICCV 2017).
  case focal(gamma: Double)
  /// Class-balanced CE with weights `(1 - beta) / (1 - beta^n_j)` normalised to sum K,
  /// reduced as PyTorch's weighted mean `sum_i w_yi CE_i / sum_i w_yi` (Cui et al.,
  /// "Class-Balanced Loss Based on Effective Number of Samples", CVPR 2019).
  case cb(beta: Double)

  /// Parses a loss name as the language spells it ("ce", "la", "bs", "focal", "cb").
  public static func named(
    _ name: String, tau: Double = 1, gamma: Double = 2,
    beta: Double = 0.9999
  ) throws -> LossKind {
    switch name.lowercased() {
    case "ce": return .ce
    case "la": return .la(tau: tau)
    case "bs": return .bs
    case "focal": return .focal(gamma: gamma)
    case "cb": return .cb(beta: beta)
    default:
      throw LearnError("unknown loss \"\(name)\"; expected one of ce, la, bs, focal, cb")
    }
  }
}

/// A loss bound to the training class counts, ready to evaluate on batches.
struct BoundLoss: Sendable {
  let kind: LossKind
  /// Per-class additive logit offset (LA, BS), or empty.
  let offset: [Float]
  /// Per-class weights (CB), or empty.
  let weights: [Double]

  init(_ kind: LossKind, counts: [Int]) throws {
    self.kind = kind
    let total = Double(counts.reduce(0, +))
    switch kind {
    case .ce:
      offset = []
      weights = []
    case .la(let tau):
      if !tau.isFinite { throw LearnError("tau must be finite, got \(tau)") }
      if total <= 0 { throw LearnError("the LA loss needs a training set with samples") }
      offset = counts.map { Float(tau * dlog(Double($0) / total + 1e-12)) }
      weights = []
    case .bs:
      // A class without samples gets log(1e-12) rather than -inf.
      offset = counts.map { Float(dlog(max(Double($0), 1e-12))) }
      weights = []
    case .focal(let gamma):
      if !(gamma >= 0) || !gamma.isFinite {
        throw LearnError("focal gamma must be finite and >= 0, got \(gamma)")
      }
      offset = []
      weights = []
    case .cb(let beta):
      if !(beta >= 0 && beta < 1) { throw LearnError("cb beta must be in [0, 1), got \(beta)") }
      // Effective number E_j = (1 - beta^n_j) / (1 - beta); w_j ∝ 1/E_j. Classes without
      // samples get weight 0 (they never occur as a target).
      let raw = counts.map { n in n > 0 ? (1 - beta) / (1 - dpow(beta, Double(n))) : 0 }
      let s = raw.reduce(0, +)
      weights = s > 0 ? raw.map { $0 / s * Double(counts.count) } : raw
      offset = []
    }
  }

  /// Mean loss over the batch and its gradient with respect to `z`.
  func evaluate(_ z: Matrix, _ y: [Int32]) -> (loss: Double, grad: Matrix) {
    let (b, k) = (z.rows, z.cols)
    if y.count != b || k == 0 { return (.nan, Matrix(rows: b, cols: k)) }
    // One fused pass per row (C, rows in parallel): softmax(z + offset) - onehot(y) in
    // Float for the gradient, and the cross-entropy lse - z_y in Double for the loss.
    var ce = [Double](repeating: 0, count: b)
    var grad = Matrix(rows: b, cols: k)
    z.data.withUnsafeBufferPointer { zp in
      offset.withUnsafeBufferPointer { op in
        y.withUnsafeBufferPointer { yp in
          grad.data.withUnsafeMutableBufferPointer { gp in
            ce.withUnsafeMutableBufferPointer { cp in
              lt_learn_softmax_xent_f32(
                zp.baseAddress, op.count == k ? op.baseAddress : nil, yp.baseAddress,
                Int64(b), Int64(k), gp.baseAddress, cp.baseAddress)
            }
          }
        }
      }
    }
    var rowScale = [Double](repeating: 1 / Double(max(b, 1)), count: b)
    var loss = 0.0
    switch kind {
    case .focal(let gamma):
      for r in 0..<b {
        let pt = dexp(-ce[r])
        let one = max(1 - pt, 0)
        let mod = dpow(one, gamma)
        loss += mod * ce[r]
        // d/dz [(1-pt)^g CE] = (p - e_y) [ (1-pt)^g + g (1-pt)^(g-1) pt CE ]
        let extra = gamma == 0 || one == 0 ? 0 : gamma * dpow(one, gamma - 1) * pt * ce[r]
        rowScale[r] *= mod + extra
      }
      loss /= Double(max(b, 1))
    case .cb:
      var wsum = 0.0
      for r in 0..<b { wsum += weights[Int(y[r])] }
      let denom = wsum > 0 ? wsum : 1
      for r in 0..<b {
        let w = weights[Int(y[r])]
        loss += w * ce[r]
        rowScale[r] = w / denom
      }
      loss /= denom
    default:
      loss = ce.reduce(0, +) / Double(max(b, 1))
    }
    grad.data.withUnsafeMutableBufferPointer { g in
      for r in 0..<b {
        let s = Float(rowScale[r])
        for c in (r * k)..<(r * k + k) { g[c] *= s }
      }
    }
    return (loss, grad)
  }
}

/// Mean cross-entropy of `logits` against `labels`.
public func ceLoss(_ logits: Matrix, _ labels: [Int32]) throws -> Double {
  try checkLabels(labels, count: logits.rows, nClasses: logits.cols)
  try checkFinite(logits, "logits")
  return try BoundLoss(.ce, counts: []).evaluate(logits, labels).loss
}

/// Mean logit-adjusted loss `CE(z + tau * log prior, y)` (Menon et al., ICLR 2021).
public func laLoss(_ logits: Matrix, _ labels: [Int32], prior: [Double], tau: Double = 1) throws
  -> Double
{
  try checkLabels(labels, count: logits.rows, nClasses: logits.cols)
  try checkFinite(logits, "logits")
  try checkPrior(prior, count: logits.cols)
  var z = logits
  let k = z.cols
  for r in 0..<z.rows { for c in 0..<k { z.data[r * k + c] += Float(tau * dlog(prior[c])) } }
  return try BoundLoss(.ce, counts: []).evaluate(z, labels).loss
}
