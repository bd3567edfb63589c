// Classifier heads trained on frozen features: linear, cosine, and a residual adapter.

/// Which head `finetune` trains on top of frozen features.
public enum HeadKind: String, Sendable, CaseIterable {
  /// `z = f W + b`.
  case linear
  /// `z = scale * cos(f, w_k)`: the cosine classifier of the seed paper's released code
  /// (Chen et al., "Rethinking the Bias of Foundation Model under Long-tailed
  /// Distribution", ICML 2025; `CosineClassifier`, scale 25), after LIFT (Shi et al. 2024).
  case cosine
  /// A residual bottleneck adapter `g = f + relu(f A + a) B + c`, then a cosine classifier:
  /// a feature-level stand-in for AdaptFormer (Chen et al., NeurIPS 2022), the PEFT module
  /// the seed paper fine-tunes. `B` starts at zero, so training starts from the identity.
  case adapter
}

/// A trained or initial head: optional adapter, then a linear or cosine classifier.
public struct Head: Sendable, Equatable {
  public var kind: HeadKind
  /// `D x K` classifier weights; the bias is used only by the linear classifier.
  public var classifier: Linear
  public var adapterDown: Linear?
  public var adapterUp: Linear?
  /// The cosine scale (used by `.cosine` and `.adapter`).
  public var scale: Float

  public var inputDim: Int { classifier.inputDim }
  public var nClasses: Int { classifier.outputDim }
  var isCosine: Bool { kind != .linear }

  /// A freshly initialised head (PyTorch default initialisation; adapter up-projection zero).
  init(
    kind: HeadKind, inputs: Int, classes: Int, scale: Float, bottleneck: Int,
    rng: inout SeededRandom
  ) {
    self.kind = kind
    self.scale = scale
    classifier = Linear(inputs: inputs, outputs: classes, rng: &rng)
    if kind == .adapter {
      adapterDown = Linear(inputs: inputs, outputs: bottleneck, rng: &rng)
      var up = Linear(inputs: bottleneck, outputs: inputs, rng: &rng)
      up.weight.data = [Float](repeating: 0, count: up.weight.data.count)
      up.bias = [Float](repeating: 0, count: inputs)
      adapterUp = up
    }
  }

  init(linear: Linear) {
    kind = .linear
    classifier = linear
    scale = 1
  }

  /// Logits for features `f` (N x D).
  func logits(_ f: Matrix) -> Matrix { forward(f).logits }

  /// Multiply-adds per sample.
  var macs: Int {
    var m = classifier.macs
    // Cosine: |g| (D) and the scale (K); W's column norms are computed once, not per sample.
    if isCosine { m += inputDim + nClasses }
    // Adapter: both projections (the residual add and ReLU are not multiply-adds).
    if let d = adapterDown, let u = adapterUp { m += d.macs + u.macs }
    return m
  }

  // MARK: - Parameters as flat arrays (order fixed: classifier W, b, adapter A, a, B, c)

  var parameters: [[Float]] {
    get {
      var p = [classifier.weight.data, classifier.bias]
      if let d = adapterDown, let u = adapterUp {
        p += [d.weight.data, d.bias, u.weight.data, u.bias]
      }
      return p
    }
    set {
      classifier.weight.data = newValue[0]
      classifier.bias = newValue[1]
      if newValue.count >= 6 {
        adapterDown?.weight.data = newValue[2]
        adapterDown?.bias = newValue[3]
        adapterUp?.weight.data = newValue[4]
        adapterUp?.bias = newValue[5]
      }
    }
  }

  // MARK: - Forward and backward

  struct Trace {
    var input: Matrix
    var adapterPre: Matrix?  // f A + a
    var adapterAct: Matrix?  // relu(f A + a)
    var output: Matrix  // g, the classifier's input
    var unit: Matrix?  // g / |g| (cosine)
    var normG: [Float]
    var unitW: Matrix?  // W with unit columns (cosine)
    var normW: [Float]
    var logits: Matrix
  }

  func forward(_ f: Matrix) -> Trace {
    var g = f
    var pre: Matrix?
    var act: Matrix?
    if let d = adapterDown, let u = adapterUp {
      let p = d.forward(f)
      var a = p
      for i in 0..<a.data.count where a.data[i] < 0 { a.data[i] = 0 }
      var delta = u.forward(a)
      for i in 0..<delta.data.count { delta.data[i] += f.data[i] }
      g = delta
      pre = p
      act = a
    }
    if !isCosine {
      return Trace(
        input: f, adapterPre: pre, adapterAct: act, output: g, unit: nil, normG: [],
        unitW: nil, normW: [], logits: classifier.forward(g))
    }
    let (unit, ng) = g.normalizedRows()
    let (unitWT, nw) = classifier.weight.transposed.normalizedRows()
    let unitW = unitWT.transposed
    var z = Matrix.product(unit, unitW)
    for i in 0..<z.data.count { z.data[i] *= scale }
    return Trace(
      input: f, adapterPre: pre, adapterAct: act, output: g, unit: unit, normG: ng,
      unitW: unitW, normW: nw, logits: z)
  }

  /// Parameter gradients (same order as `parameters`) and, if asked, the input gradient.
  func backward(_ t: Trace, dz: Matrix, needInput: Bool) -> (grads: [[Float]], df: Matrix?) {
    var grads: [[Float]]
    var dg: Matrix?
    let needG = needInput || adapterDown != nil
    if !isCosine {
      let r = classifier.backward(input: t.output, dy: dz, needInput: needG)
      grads = [r.dW.data, r.db]
      dg = r.dx
    } else if let unit = t.unit, let unitW = t.unitW {
      var dzs = dz
      for i in 0..<dzs.data.count { dzs.data[i] *= scale }
      // z = s U V: dV = U^T (s dz), dU = (s dz) V^T; then through the normalisations.
      let dV = Matrix.productTN(unit, dzs)
      let dWT = projectOutRadial(dV.transposed, unit: unitW.transposed, norms: t.normW)
      grads = [dWT.transposed.data, [Float](repeating: 0, count: nClasses)]
      if needG {
        let dU = Matrix.productNT(dzs, unitW)
        dg = projectOutRadial(dU, unit: unit, norms: t.normG)
      }
    } else {
      grads = []
    }
    guard let d = adapterDown, let u = adapterUp, let pre = t.adapterPre,
      let act = t.adapterAct, let dgv = dg
    else { return (grads, dg) }
    let ru = u.backward(input: act, dy: dgv, needInput: true)
    var dPre = ru.dx ?? Matrix(rows: pre.rows, cols: pre.cols)
    for i in 0..<dPre.data.count where pre.data[i] <= 0 { dPre.data[i] = 0 }
    let rd = d.backward(input: t.input, dy: dPre, needInput: needInput)
    grads += [rd.dW.data, rd.db, ru.dW.data, ru.db]
    var df: Matrix?
    if needInput, var dx = rd.dx {
      for i in 0..<dx.data.count { dx.data[i] += dgv.data[i] }
      df = dx
    }
    return (grads, df)
  }
}

extension Matrix {
  /// Rows divided by their norms, and the norms (clamped below at 1e-12, as F.normalize).
  func normalizedRows() -> (Matrix, [Float]) {
    var out = self
    var norms = [Float](repeating: 0, count: rows)
    let n = cols
    for r in 0..<rows {
      var s: Float = 0
      for c in 0..<n { s += data[r * n + c] * data[r * n + c] }
      let nr = max(s.squareRoot(), 1e-12)
      norms[r] = nr
      let inv = 1 / nr
      for c in 0..<n { out.data[r * n + c] *= inv }
    }
    return (out, norms)
  }
}

/// Backward of row normalisation u = x / |x|: dx = (du - (du . u) u) / |x|, row by row.
func projectOutRadial(_ du: Matrix, unit: Matrix, norms: [Float]) -> Matrix {
  var dx = du
  let n = du.cols
  for r in 0..<du.rows {
    var dot: Float = 0
    for c in 0..<n { dot += du.data[r * n + c] * unit.data[r * n + c] }
    let inv = 1 / norms[r]
    for c in 0..<n { dx.data[r * n + c] = (du.data[r * n + c] - dot * unit.data[r * n + c]) * inv }
  }
  return dx
}
