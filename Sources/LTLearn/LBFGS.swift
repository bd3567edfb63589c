// Limited-memory BFGS for the small smooth convex problems of prior estimation.

/// Minimises a smooth function by L-BFGS (Nocedal, "Updating Quasi-Newton Matrices with
/// Limited Storage", Math. Comp. 1980) with memory 10 and a backtracking line search.
/// Returns the point, iterations, whether `converged` held, and the final value.
func lbfgs(
  start: [Double], evaluate: ([Double]) -> (Double, [Double]), converged: ([Double]) -> Bool,
  maxIterations: Int, memory: Int = 10
) -> ([Double], Int, Bool, Double) {
  var x = start
  var (f, g) = evaluate(x)
  var ss: [[Double]] = []
  var ys: [[Double]] = []
  let n = x.count
  func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in 0..<a.count { s += a[i] * b[i] }
    return s
  }
  for it in 0..<maxIterations {
    if converged(g) { return (x, it, true, f) }
    // Two-loop recursion: d = -H g.
    var q = g
    var alphas = [Double](repeating: 0, count: ss.count)
    for i in stride(from: ss.count - 1, through: 0, by: -1) {
      let rho = 1 / dot(ys[i], ss[i])
      alphas[i] = rho * dot(ss[i], q)
      for j in 0..<n { q[j] -= alphas[i] * ys[i][j] }
    }
    if let s = ss.last, let y = ys.last {
      let gamma = dot(s, y) / dot(y, y)
      for j in 0..<n { q[j] *= gamma }
    }
    for i in 0..<ss.count {
      let rho = 1 / dot(ys[i], ss[i])
      let beta = rho * dot(ys[i], q)
      for j in 0..<n { q[j] += ss[i][j] * (alphas[i] - beta) }
    }
    var d = q.map { -$0 }
    var slope = dot(g, d)
    if !(slope < 0) {  // not a descent direction: restart from steepest descent
      ss.removeAll()
      ys.removeAll()
      d = g.map { -$0 }
      slope = dot(g, d)
    }
    // Line search for a convex objective: accept the step when Armijo holds on the value,
    // or when the directional derivative shows the step did not overshoot much
    // (phi'(t) <= 0.5 |phi'(0)|). The second test uses only the gradient, which stays
    // accurate near the optimum where float32 round-off swamps differences of values.
    var step = 1.0
    var accepted = false
    var xNew = x
    var fNew = f
    var gNew = g
    for _ in 0..<40 {
      for j in 0..<n { xNew[j] = x[j] + step * d[j] }
      (fNew, gNew) = evaluate(xNew)
      let dphi = dot(gNew, d)
      if fNew.isFinite && (fNew <= f + 1e-4 * step * slope || dphi <= -0.5 * slope) {
        accepted = true
        break
      }
      // Minimiser of the quadratic with slopes phi'(0) and phi'(t), kept in [0.1t, 0.5t].
      let secant = dphi.isFinite && dphi > slope ? step * slope / (slope - dphi) : 0.5 * step
      step = min(max(secant, 0.1 * step), 0.5 * step)
    }
    if !accepted { return (x, it, converged(g), f) }
    let s = (0..<n).map { xNew[$0] - x[$0] }
    let y = (0..<n).map { gNew[$0] - g[$0] }
    if dot(s, y) > 1e-16 {
      ss.append(s)
      ys.append(y)
      if ss.count > memory {
        ss.removeFirst()
        ys.removeFirst()
      }
    }
    x = xNew
    f = fNew
    g = gNew
  }
  return (x, maxIterations, converged(g), f)
}
