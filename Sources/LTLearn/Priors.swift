// Label priors: GLA's pre-training prior estimate, EM and BBSE label-shift estimates,
// and post-hoc adjustment.
import CLTKernels

/// An estimated prior and how the solver got there.
public struct PriorEstimate: Sendable, Equatable {
  /// The estimated probability vector (sums to 1).
  public var prior: [Double]
  /// Iterations the solver ran.
  public var iterations: Int
  /// True when the stopping tolerance was met.
  public var converged: Bool
  /// GLA with calibration: the temperature T the logits were divided by (1 otherwise).
  /// Debias with `adjust(logits / T, prior)`.
  public var temperature: Double = 1
  /// GLA: the final (class-balanced, unless turned off) cross-entropy of
  /// softmax(z / T - log q) on the labelled data.
  public var crossEntropy: Double = .nan
}

func checkLogits(_ logits: Matrix, _ what: String = "logits") throws {
  try logits.withView { try checkLogits($0, what) }
}

func checkLogits(_ logits: MatrixView, _ what: String = "logits") throws {
  if logits.cols == 0 { throw LearnError("\(what) has no columns (classes)") }
  if logits.rows == 0 { throw LearnError("\(what) has no rows (samples)") }
  try checkFinite(logits, what)
}

/// The class frequencies `n_j / N` of a count vector.
public func priorFromCounts(_ counts: [Int]) throws -> [Double] {
  let total = counts.reduce(0, +)
  if counts.contains(where: { $0 < 0 }) { throw LearnError("class counts must be >= 0") }
  if total == 0 { throw LearnError("class counts are all zero; there is no prior to form") }
  return counts.map { Double($0) / Double(total) }
}

/// `logits - tau * log(prior)`: removes a label prior from logits (post-hoc logit
/// adjustment, Menon et al., ICLR 2021; with a pre-training prior, GLA's debiasing,
/// Zhu et al., NeurIPS 2023).
public func adjust(_ logits: Matrix, prior: [Double], tau: Double = 1) throws -> Matrix {
  try checkFinite(logits, "logits")
  try checkPrior(prior, count: logits.cols)
  if !tau.isFinite { throw LearnError("tau must be finite, got \(tau)") }
  let shift = prior.map { Float(tau * dlog($0)) }
  var out = logits
  let k = out.cols
  for r in 0..<out.rows { for c in 0..<k { out.data[r * k + c] -= shift[c] } }
  return out
}

// MARK: - GLA

/// GLA's estimate of the pre-training label prior q (Zhu, Tang, Sun & Zhang,
/// "Generalized Logit Adjustment", NeurIPS 2023): the q minimising the class-balanced
/// cross-entropy of softmax(z - log q) on labelled data, every sample weighted by
/// 1 / (K n_y).
///
/// GLA's derivation assumes a balanced labelled set, where the class-balanced and the
/// sample-mean cross-entropy coincide (every weight is exactly 1 / N). On an imbalanced
/// set the sample mean would fit q ∝ P_P / P_V and absorb the labelled set's own class
/// frequencies; the class-balanced weights remove them. `classBalanced: false` keeps the
/// plain sample mean, for ablations.
///
/// The problem is convex in b = log q and shift-invariant (research/lt-methods.md §2.4),
/// so it is solved unconstrained in b by L-BFGS with Armijo backtracking, then
/// q = softmax(b). It stops when every class's weighted mean debiased posterior matches
/// its target mass (1 / K, or the label frequency when not class-balanced) to a relative
/// `tolerance` (the optimality condition). Every class needs at least one labelled
/// sample. With `calibrateTemperature`, the logits are first divided by the T at which
/// mean confidence equals accuracy (GLA's step A, §2.3).
public func estimatePriorGLA(
  logits: Matrix, labels: [Int32], classBalanced: Bool = true, calibrateTemperature: Bool = false,
  tolerance: Double = 1e-5, maxIterations: Int = 500
) throws -> PriorEstimate {
  try logits.withView {
    try estimatePriorGLA(
      logits: $0, labels: labels, classBalanced: classBalanced,
      calibrateTemperature: calibrateTemperature, tolerance: tolerance, maxIterations: maxIterations)
  }
}

/// GLA on borrowed logits (a tensor's buffer): the same estimate, bit for bit, without a
/// copy unless `calibrateTemperature` rescales them.
public func estimatePriorGLA(
  logits: MatrixView, labels: [Int32], classBalanced: Bool = true, calibrateTemperature: Bool = false,
  tolerance: Double = 1e-5, maxIterations: Int = 500
) throws -> PriorEstimate {
  try checkLogits(logits)
  try checkLabels(labels, count: logits.rows, nClasses: logits.cols)
  let k = logits.cols
  let counts = classCounts(labels, nClasses: k)
  if let j = counts.firstIndex(of: 0) {
    throw LearnError(
      "GLA needs labelled samples of every class, but class \(j) has none (its prior would be unbounded)"
    )
  }
  if calibrateTemperature {
    var z = logits.copy()
    let temperature = try calibrateTemperatureToAccuracy(z, labels)
    let inv = Float(1 / temperature)
    for i in 0..<z.data.count { z.data[i] *= inv }
    var estimate = try z.withView {
      try estimatePriorGLA(
        logits: $0, labels: labels, classBalanced: classBalanced, calibrateTemperature: false,
        tolerance: tolerance, maxIterations: maxIterations)
    }
    estimate.temperature = temperature
    return estimate
  }
  let z = logits
  let temperature = 1.0
  let n = Double(labels.count)
  // Row weights with mean 1: w_i = N / (K n_y), so sum_i w_i / N = 1. On a balanced set
  // every weight is exactly 1 and the sums are the unweighted ones, bit for bit.
  let weights: [Double]? =
    classBalanced ? labels.map { n / (Double(k) * Double(counts[Int($0)])) } : nil
  // Target mass of each class: mean_i w_i [y_i = j].
  let mass = classBalanced ? [Double](repeating: 1 / Double(k), count: k) : counts.map { Double($0) / n }
  // Objective: F(b) = sum_j m_j b_j + mean_i w_i lse(z_i - b); gradient m - mean_i w_i softmax(z_i - b).
  func evaluate(_ b: [Double]) -> (Double, [Double]) {
    let (meanLSE, meanP) = meanLogSumExpAndSoftmax(z, shift: b, weights: weights)
    var f = meanLSE
    for j in 0..<k { f += mass[j] * b[j] }
    return (f, (0..<k).map { mass[$0] - meanP[$0] })
  }
  func converged(_ g: [Double]) -> Bool {
    (0..<k).allSatisfy { abs(g[$0]) <= tolerance * mass[$0] }
  }
  var b = [Double](repeating: 0, count: k)
  let (bOpt, iters, ok, fOpt) = lbfgs(
    start: b, evaluate: evaluate, converged: converged, maxIterations: maxIterations)
  b = bOpt
  // CE(b) = mean_i w_i [lse(z_i - b) - z_iy + b_y] = F(b) - mean_i w_i z_iy, since
  // mean_i w_i b_y = m . b.
  var meanTrue = 0.0
  for (i, y) in labels.enumerated() { meanTrue += (weights?[i] ?? 1) * Double(z.elements[i * k + Int(y)]) }
  meanTrue /= n
  return PriorEstimate(
    prior: softmaxDouble(b), iterations: iters, converged: ok, temperature: temperature,
    crossEntropy: fOpt - meanTrue)
}

func softmaxDouble(_ b: [Double]) -> [Double] {
  let m = b.max() ?? 0
  let e = b.map { dexp($0 - m) }
  let s = e.reduce(0, +)
  return e.map { $0 / s }
}

/// mean_i w_i logsumexp(z_i - shift) and mean_i w_i softmax(z_i - shift) (w_i = 1 without
/// weights): rows in Float with a vectorised exp, sums in Double, rows cut into pieces
/// that run in parallel and are added in order (CLTKernels' learn.c), so the result does
/// not depend on the thread count.
func meanLogSumExpAndSoftmax(_ z: Matrix, shift: [Double], weights: [Double]? = nil) -> (Double, [Double]) {
  z.withView { meanLogSumExpAndSoftmax($0, shift: shift, weights: weights) }
}

func meanLogSumExpAndSoftmax(_ z: MatrixView, shift: [Double], weights: [Double]? = nil) -> (Double, [Double]) {
  let (n, k) = (z.rows, z.cols)
  if n == 0 || k == 0 || shift.count != k || (weights.map { $0.count != n } ?? false) { return (.nan, [Double](repeating: .nan, count: k)) }
  let sh = shift.map { Float($0) }
  let pieces = Int(lt_learn_row_pieces(Int64(n)))
  var scratch = [Float](repeating: 0, count: pieces * 2 * k)
  var partial = [Double](repeating: 0, count: pieces * (k + 1))
  var total = [Double](repeating: 0, count: k)
  var lse = 0.0
  func sums(_ w: UnsafePointer<Double>?) {
    sh.withUnsafeBufferPointer { sp in
      scratch.withUnsafeMutableBufferPointer { wp in
        partial.withUnsafeMutableBufferPointer { pp in
          total.withUnsafeMutableBufferPointer { tp in
            lt_learn_lse_softmax_sums_f32(
              z.elements.baseAddress, Int64(n), Int64(k), sp.baseAddress, w, wp.baseAddress,
              pp.baseAddress, &lse, tp.baseAddress)
          }
        }
      }
    }
  }
  if let weights { weights.withUnsafeBufferPointer { sums($0.baseAddress) } } else { sums(nil) }
  let dn = Double(n)
  return (lse / dn, total.map { $0 / dn })
}

/// Divides logits by the T at which mean max-softmax confidence equals top-1 accuracy
/// (GLA's calibration condition, |conf - acc| <= 0.1 percentage points), found by
/// bisection in log T over [1e-3, 1e3]: confidence falls monotonically as T grows.
public func calibrateTemperatureToAccuracy(_ logits: Matrix, _ labels: [Int32]) throws -> Double {
  try checkLogits(logits)
  try checkLabels(labels, count: logits.rows, nClasses: logits.cols)
  let acc = topOneAccuracy(logits, labels)
  func confidence(_ t: Double) -> Double {
    var z = logits
    let inv = Float(1 / t)
    for i in 0..<z.data.count { z.data[i] *= inv }
    z.softmaxRowsInPlace()
    var s = 0.0
    for r in 0..<z.rows { s += Double(rowMaxArray(z, r)) }
    return s / Double(z.rows)
  }
  var lo = dlog(1e-3)
  var hi = dlog(1e3)
  var mid = 0.0
  for _ in 0..<60 {
    mid = (lo + hi) / 2
    let c = confidence(dexp(mid))
    if abs(c - acc) <= 1e-3 { break }
    if c > acc { lo = mid } else { hi = mid }
  }
  return dexp(mid)
}

private func rowMaxArray(_ z: Matrix, _ r: Int) -> Float {
  var m = -Float.infinity
  for c in 0..<z.cols where z.data[r * z.cols + c] > m { m = z.data[r * z.cols + c] }
  return m
}

// MARK: - EM and BBSE

/// The target label prior by EM (Saerens, Latinne & Decaestecker, "Adjusting the
/// Outputs of a Classifier to New a Priori Probabilities", Neural Computation 2002):
/// iterate pi <- mean_i softmax(z_i - log p_src + log pi) from pi = p_src until the
/// largest change is below `tolerance`. `logits` are on unlabelled target data;
/// `sourcePrior` is the prior the classifier was trained under.
public func estimatePriorEM(
  logits: Matrix, sourcePrior: [Double], tolerance: Double = 1e-8, maxIterations: Int = 1000
) throws -> PriorEstimate {
  try logits.withView {
    try estimatePriorEM(logits: $0, sourcePrior: sourcePrior, tolerance: tolerance, maxIterations: maxIterations)
  }
}

/// EM on borrowed logits (a tensor's buffer), without a copy.
public func estimatePriorEM(
  logits: MatrixView, sourcePrior: [Double], tolerance: Double = 1e-8, maxIterations: Int = 1000
) throws -> PriorEstimate {
  try checkLogits(logits)
  try checkPrior(sourcePrior, count: logits.cols, "source prior")
  let k = logits.cols
  var pi = sourcePrior
  let logSrc = sourcePrior.map { dlog($0) }
  for it in 1...max(1, maxIterations) {
    let shift = (0..<k).map { logSrc[$0] - dlog(max(pi[$0], 1e-300)) }
    let (_, mean) = meanLogSumExpAndSoftmax(logits, shift: shift)
    let s = mean.reduce(0, +)
    let next = mean.map { $0 / s }
    let delta = zip(next, pi).map { abs($0 - $1) }.max() ?? 0
    pi = next
    if delta < tolerance {
      return PriorEstimate(prior: pi, iterations: it, converged: true)
    }
  }
  return PriorEstimate(prior: pi, iterations: maxIterations, converged: false)
}

/// The target label prior by black-box shift estimation (Lipton, Wang & Smola,
/// "Detecting and Correcting for Label Shift with Black Box Predictors", ICML 2018):
/// w = C^{-1} mu with C[i, j] the joint frequency of (prediction i, label j) on labelled
/// held-out source data and mu[i] the prediction frequency on target data; q = nu * w,
/// negative weights clipped to 0, renormalised. `soft` uses probabilities instead of
/// hard predictions. Throws when C is singular.
public func estimatePriorBBSE(
  sourceLogits: Matrix, sourceLabels: [Int32], targetLogits: Matrix, soft: Bool = false
) throws -> PriorEstimate {
  try checkLogits(sourceLogits, "source logits")
  try checkLogits(targetLogits, "target logits")
  let k = sourceLogits.cols
  if targetLogits.cols != k {
    throw LearnError("source logits have \(k) classes but target logits have \(targetLogits.cols)")
  }
  try checkLabels(sourceLabels, count: sourceLogits.rows, nClasses: k, "source labels")
  func predictionRows(_ z: Matrix) -> Matrix {
    if soft { return z.softmaxRows() }
    var oh = Matrix(rows: z.rows, cols: k)
    for (i, p) in z.argmaxRows().enumerated() { oh.data[i * k + Int(p)] = 1 }
    return oh
  }
  let ps = predictionRows(sourceLogits)
  let pt = predictionRows(targetLogits)
  var c = [Double](repeating: 0, count: k * k)
  let n = Double(sourceLabels.count)
  for (r, y) in sourceLabels.enumerated() {
    for i in 0..<k { c[i * k + Int(y)] += Double(ps.data[r * k + i]) / n }
  }
  var mu = [Double](repeating: 0, count: k)
  let m = Double(targetLogits.rows)
  for r in 0..<targetLogits.rows { for i in 0..<k { mu[i] += Double(pt.data[r * k + i]) / m } }
  guard let w = solveLinear(c, mu, k) else {
    throw LearnError(
      "BBSE: the confusion matrix is singular (some class is never predicted); use soft: true or more source data"
    )
  }
  let nu = classCounts(sourceLabels, nClasses: k).map { Double($0) / n }
  let q = (0..<k).map { nu[$0] * max(w[$0], 0) }
  let s = q.reduce(0, +)
  if !(s > 0) { throw LearnError("BBSE: all estimated class weights are <= 0") }
  return PriorEstimate(prior: q.map { $0 / s }, iterations: 1, converged: true)
}

/// Solves A x = b (A row-major k x k) by Gaussian elimination with partial pivoting;
/// nil when A is singular to working precision.
func solveLinear(_ a0: [Double], _ b0: [Double], _ k: Int) -> [Double]? {
  var a = a0
  var b = b0
  let scale = a.map { abs($0) }.max() ?? 0
  if scale == 0 { return nil }
  for col in 0..<k {
    var piv = col
    for r in (col + 1)..<max(k, col + 1) where abs(a[r * k + col]) > abs(a[piv * k + col]) {
      piv = r
    }
    if abs(a[piv * k + col]) <= 1e-12 * scale { return nil }
    if piv != col {
      for j in 0..<k { a.swapAt(col * k + j, piv * k + j) }
      b.swapAt(col, piv)
    }
    let d = a[col * k + col]
    for r in (col + 1)..<max(k, col + 1) {
      let f = a[r * k + col] / d
      if f == 0 { continue }
      for j in col..<k { a[r * k + j] -= f * a[col * k + j] }
      b[r] -= f * b[col]
    }
  }
  var x = [Double](repeating: 0, count: k)
  for r in stride(from: k - 1, through: 0, by: -1) {
    var s = b[r]
    for j in (r + 1)..<max(k, r + 1) { s -= a[r * k + j] * x[j] }
    x[r] = s / a[r * k + r]
  }
  return x
}
