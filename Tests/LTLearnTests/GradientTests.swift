// Every hand-written gradient against central finite differences.
import Testing

@testable import LTLearn

@Suite struct GradientTests {
  static let losses: [LossKind] = [
    .ce, .la(tau: 1), .la(tau: 0.5), .bs, .focal(gamma: 2),
    .focal(gamma: 0), .cb(beta: 0.9),
  ]
  static let heads: [HeadKind] = [.linear, .cosine, .adapter]

  /// A small network with every parameter random (the adapter's up-projection too).
  func network(_ kind: HeadKind, encoder: Bool, seed: UInt64) -> Trainable {
    var rng = SeededRandom(seed: seed)
    let inputs = 6
    let enc =
      encoder
      ? Encoder(
        inputColumns: Array(0..<inputs), layer: Linear(inputs: inputs, outputs: 5, rng: &rng))
      : nil
    var head = Head(
      kind: kind, inputs: enc?.outputDim ?? inputs, classes: 4, scale: 3,
      bottleneck: 3, rng: &rng)
    if var up = head.adapterUp {
      for i in 0..<up.weight.data.count { up.weight.data[i] = Float(rng.normal() * 0.5) }
      for i in 0..<up.bias.count { up.bias[i] = Float(rng.normal() * 0.1) }
      head.adapterUp = up
    }
    return Trainable(encoder: enc, head: head)
  }

  func check(_ net: Trainable, _ kind: LossKind) throws {
    let x = randomMatrix(7, 6, seed: 11)
    let y: [Int32] = [0, 1, 2, 3, 1, 1, 0]
    let loss = try BoundLoss(kind, counts: [40, 9, 3, 1])
    let (_, grads) = net.lossAndGradients(x, y, loss)
    let base = net.parameters
    #expect(grads.count == base.count)
    // Central differences with h = 1e-3. ReLU kinks (encoder, adapter) make a difference
    // quotient meaningless when a pre-activation lies within h of 0; such entries are
    // recognised by one-sided quotients that disagree, and skipped (at most a few).
    let h: Float = 1e-3
    let l0 = loss.evaluate(net.logits(x), y).loss
    var checked = 0
    var skipped = 0
    for (a, arr) in base.enumerated() {
      for i in 0..<arr.count {
        var plus = net
        var p = base
        p[a][i] += h
        plus.parameters = p
        var minus = net
        p[a][i] -= 2 * h
        minus.parameters = p
        let lp = loss.evaluate(plus.logits(x), y).loss
        let lm = loss.evaluate(minus.logits(x), y).loss
        let forward = (lp - l0) / Double(h)
        let backward = (l0 - lm) / Double(h)
        if abs(forward - backward) > 0.01 {
          skipped += 1
          continue
        }
        checked += 1
        let numeric = (lp - lm) / Double(2 * h)
        let analytic = Double(grads[a][i])
        #expect(
          abs(numeric - analytic) <= 2e-3 + 1e-2 * abs(numeric),
          "param \(a)[\(i)]: numeric \(numeric) analytic \(analytic)")
      }
    }
    #expect(skipped * 10 <= checked, "too many kinks: \(skipped) skipped, \(checked) checked")
  }

  @Test(arguments: heads, losses)
  func headGradientsMatchFiniteDifferences(head: HeadKind, loss: LossKind) throws {
    try check(network(head, encoder: false, seed: 5), loss)
  }

  @Test(arguments: heads)
  func encoderAndHeadGradientsMatchFiniteDifferences(head: HeadKind) throws {
    try check(network(head, encoder: true, seed: 6), .ce)
    try check(network(head, encoder: true, seed: 7), .la(tau: 1))
  }

  @Test func lossValuesMatchTheirDefinitions() throws {
    let z = try Matrix(rowArrays: [[1, 2, 0.5], [0, -1, 3]])
    let y: [Int32] = [1, 2]
    let lse0 = dlog(dexp(1) + dexp(2) + dexp(0.5))
    let lse1 = dlog(dexp(0) + dexp(-1) + dexp(3))
    let ce = ((lse0 - 2) + (lse1 - 3)) / 2
    #expect(abs(try ceLoss(z, y) - ce) < 1e-6)
    // LA with a uniform prior equals CE (the shift is constant per row).
    #expect(abs(try laLoss(z, y, prior: [1.0 / 3, 1.0 / 3, 1.0 / 3]) - ce) < 1e-6)
    // Focal with gamma 0 is CE; focal weights each sample by (1 - p_y)^gamma.
    let f0 = try BoundLoss(.focal(gamma: 0), counts: [1, 1, 1]).evaluate(z, y).loss
    #expect(abs(f0 - ce) < 1e-6)
    let p0 = dexp(2 - lse0)
    let p1 = dexp(3 - lse1)
    let f2 = try BoundLoss(.focal(gamma: 2), counts: [1, 1, 1]).evaluate(z, y).loss
    #expect(
      abs(f2 - ((1 - p0) * (1 - p0) * (lse0 - 2) + (1 - p1) * (1 - p1) * (lse1 - 3)) / 2) < 1e-6)
    // CB: PyTorch's weighted mean sum w_y CE / sum w_y.
    let beta = 0.99
    let counts = [100, 10, 1]
    let raw = counts.map { (1 - beta) / (1 - dpow(beta, Double($0))) }
    let w = raw.map { $0 / raw.reduce(0, +) * 3 }
    let cb = try BoundLoss(.cb(beta: beta), counts: counts).evaluate(z, y).loss
    #expect(abs(cb - (w[1] * (lse0 - 2) + w[2] * (lse1 - 3)) / (w[1] + w[2])) < 1e-6)
    // BS adds log n: the same as LA with tau 1 on frequencies.
    let bs = try BoundLoss(.bs, counts: counts).evaluate(z, y).loss
    let la = try BoundLoss(.la(tau: 1), counts: counts).evaluate(z, y).loss
    #expect(abs(bs - la) < 1e-5)
  }

  @Test func badLossArgumentsAreErrors() {
    expectLearnError("unknown loss \"hinge\"") { _ = try LossKind.named("hinge") }
    expectLearnError("beta must be in [0, 1)") { _ = try BoundLoss(.cb(beta: 1), counts: [1]) }
    expectLearnError("gamma") { _ = try BoundLoss(.focal(gamma: -1), counts: [1]) }
    expectLearnError("out of range") { _ = try ceLoss(Matrix(rows: 1, cols: 2), [2]) }
    expectLearnError("sums to") {
      _ = try laLoss(Matrix(rows: 1, cols: 2), [0], prior: [0.2, 0.2])
    }
    expectLearnError("must be positive") {
      _ = try laLoss(Matrix(rows: 1, cols: 2), [0], prior: [0, 1])
    }
  }
}
