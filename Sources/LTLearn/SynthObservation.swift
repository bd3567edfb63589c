// LT-Synth's observation model: the fixed random nonlinear map from latent semantic
// factors to the input a model reads.

/// x = [tanh(u G + c) + s_obs * eps, n]: the latent factors u (F·d values, hidden factors
/// zero) mixed by one random matrix G (F·d x observed, entries N(0, gain² / (F·d))) and
/// offset c (N(0, 0.25)), squashed by tanh, with observation noise; then `nuisance`
/// standard-normal dimensions that carry no information.
///
/// Because the map mixes all factors before the nonlinearity, hiding a factor does not
/// just zero a block of the input: each visibility pattern of a class lands in its own
/// region of input space. A classifier must learn to unmix the factors, which takes far
/// more data than the downstream set holds; that is what pre-training buys.
public struct ObservationMap: Sendable, Equatable {
  /// F·d x observed.
  public var mixing: Matrix
  /// observed values.
  public var offset: [Float]
  public var noise: Double
  public var nuisance: Int

  public var inputDim: Int { mixing.cols + nuisance }

  init(mixing: Matrix, offset: [Float], noise: Double, nuisance: Int) {
    self.mixing = mixing
    self.offset = offset
    self.noise = noise
    self.nuisance = nuisance
  }

  init(config c: SynthConfig, rng: inout SeededRandom) {
    let latent = c.factors * c.dim
    let sd = c.gain / Double(max(latent, 1)).squareRoot()
    var g = Matrix(rows: latent, cols: c.observed)
    for i in 0..<g.data.count { g.data[i] = Float(sd * rng.normal()) }
    let offset = (0..<c.observed).map { _ in Float(0.5 * rng.normal()) }
    self.init(mixing: g, offset: offset, noise: c.observationNoise, nuisance: c.nuisance)
  }

  /// The inputs of latents `u` (one row per sample), with fresh noise from `rng`.
  func observe(_ u: Matrix, rng: inout SeededRandom) -> Matrix {
    let pre = Matrix.product(u, mixing)
    let (n, o, width) = (u.rows, mixing.cols, inputDim)
    var x = Matrix(rows: n, cols: width)
    for i in 0..<n {
      for j in 0..<o {
        let t = Double(pre.data[i * o + j] + offset[j])
        x.data[i * width + j] = Float(tanhViaExp(t) + noise * rng.normal())
      }
      for j in o..<width { x.data[i * width + j] = Float(rng.normal()) }
    }
    return x
  }
}

/// tanh from `exp`, the same on every machine that shares the exp LTLearn's normals use.
@inline(__always) func tanhViaExp(_ t: Double) -> Double {
  let e = dexp(-2 * abs(t))
  let r = (1 - e) / (1 + e)
  return t < 0 ? -r : r
}
