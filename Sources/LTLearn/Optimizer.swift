// Optimisers and learning-rate schedules.
import CLTKernels

/// The optimiser `finetune` uses.
public enum OptimizerKind: String, Sendable, CaseIterable {
  /// SGD with momentum, weight decay added to the gradient (PyTorch `torch.optim.SGD`).
  case sgd
  /// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight
  /// Decay Regularization", ICLR 2019); betas 0.9 / 0.999, eps 1e-8 (PyTorch defaults).
  case adamw
}

/// The learning rate for each epoch (stepped once per epoch, as the authors' code does).
public enum Schedule: Sendable, Equatable {
  case constant
  /// `lr * (1 + cos(pi * e / E)) / 2` for epoch `e` of `E` (PyTorch `CosineAnnealingLR`,
  /// `T_max = E`, `eta_min = 0`; Loshchilov & Hutter, "SGDR", ICLR 2017).
  case cosine
  /// `lr * gamma^floor(e / every)`.
  case step(every: Int, gamma: Double)

  func rate(base: Double, epoch e: Int, of total: Int) -> Double {
    switch self {
    case .constant: return base
    case .cosine: return base * 0.5 * (1 + dcos(Double.pi * Double(e) / Double(max(total, 1))))
    case .step(let every, let gamma): return base * dpow(gamma, Double(e / max(every, 1)))
    }
  }

  /// Parses "constant", "cosine" or "step" (step every `every` epochs by `gamma`).
  public static func named(_ name: String, every: Int = 30, gamma: Double = 0.1) throws
    -> Schedule
  {
    switch name.lowercased() {
    case "constant", "none": return .constant
    case "cosine": return .cosine
    case "step":
      if every <= 0 { throw LearnError("step schedule: every must be positive, got \(every)") }
      return .step(every: every, gamma: gamma)
    default: throw LearnError("unknown schedule \"\(name)\"; expected constant, cosine or step")
    }
  }
}

/// Optimiser state for a list of parameter arrays.
struct Optimizer {
  let kind: OptimizerKind
  let momentum: Float
  let weightDecay: Float
  let beta1: Float = 0.9
  let beta2: Float = 0.999
  let eps: Float = 1e-8
  var first: [[Float]] = []
  var second: [[Float]] = []
  var t = 0

  init(kind: OptimizerKind, momentum: Double, weightDecay: Double) {
    self.kind = kind
    self.momentum = Float(momentum)
    self.weightDecay = Float(weightDecay)
  }

  mutating func step(_ params: inout [[Float]], _ grads: [[Float]], lr: Double) {
    if first.isEmpty {
      first = params.map { [Float](repeating: 0, count: $0.count) }
      if kind == .adamw { second = first }
    }
    t += 1
    let lrf = Float(lr)
    for i in 0..<params.count {
      let g = grads[i]
      switch kind {
      case .sgd:
        // PyTorch: d = g + wd p; buf = mu buf + d (buf = d on the first step); p -= lr buf.
        if g.count != params[i].count || first[i].count != params[i].count { continue }
        let (mu, wd, firstStep) = (momentum, weightDecay, t == 1)
        params[i].withUnsafeMutableBufferPointer { p in
          first[i].withUnsafeMutableBufferPointer { v in
            g.withUnsafeBufferPointer { gp in
              lt_learn_sgd_f32(
                p.baseAddress, v.baseAddress, gp.baseAddress, Int64(p.count), lrf, mu, wd,
                firstStep ? 1 : 0)
            }
          }
        }
      case .adamw:
        let c1 = 1 - Float(dpow(Double(beta1), Double(t)))
        let c2 = 1 - Float(dpow(Double(beta2), Double(t)))
        let (b1, b2, e, wd) = (beta1, beta2, eps, weightDecay)
        params[i].withUnsafeMutableBufferPointer { p in
          first[i].withUnsafeMutableBufferPointer { m in
            second[i].withUnsafeMutableBufferPointer { v in
              for j in 0..<p.count {
                p[j] -= lrf * wd * p[j]
                m[j] = b1 * m[j] + (1 - b1) * g[j]
                v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j]
                p[j] -= lrf * (m[j] / c1) / ((v[j] / c2).squareRoot() + e)
              }
            }
          }
        }
      }
    }
  }
}
