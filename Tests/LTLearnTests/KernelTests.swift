// LTLearn's use of the C kernels: products against the naive oracle, the fused loss and
// the SGD update against plain formulas, and the same bytes on every thread count.
import Testing

@testable import LTLearn

/// Runs `body` with the kernels on `threads` threads and instruction-set cap `level`.
/// (Other suites may change these concurrently; that can only make a comparison trivial,
/// never make a deterministic kernel look non-deterministic.)
func withKernels<T>(threads: Int, level: Int? = nil, _ body: () throws -> T) rethrows -> T {
  let saved = kernelThreads()
  defer {
    setKernelThreads(saved)
    forceKernelLevel(nil)
  }
  setKernelThreads(threads)
  forceKernelLevel(level)
  return try body()
}

@Suite struct KernelTests {
  /// Largest |c - oracle| allowed: float rounding of a k-term sum of products.
  func expectClose(_ c: Matrix, _ ref: Matrix, k: Int, _ what: String) {
    #expect(c.rows == ref.rows && c.cols == ref.cols, "\(what): shape")
    if c.data.count != ref.data.count { return }
    let worst = zip(c.data, ref.data).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-5 * Float(max(k, 1)), "\(what): off by \(worst)")
  }

  // m < n and m >= n (the kernel splits columns or rows), k above one 256-deep block,
  // and sizes that leave partial tiles.
  @Test(arguments: [
    (1, 1, 1), (3, 5, 2), (7, 300, 13), (37, 513, 29), (150, 70, 260), (64, 64, 64), (5, 0, 4),
  ])
  func productsMatchTheNaiveOracle(shape: (Int, Int, Int)) {
    let (m, k, n) = shape
    let a = randomMatrix(m, k, seed: 21)
    let b = randomMatrix(k, n, seed: 22)
    let ref = Matrix.naiveProduct(a, b)
    expectClose(Matrix.product(a, b), ref, k: k, "a b")
    // The transposed forms read the stored matrices with strides.
    expectClose(Matrix.productTN(a.transposed, b), ref, k: k, "(a^T)^T b")
    expectClose(Matrix.productNT(a, b.transposed), ref, k: k, "a (b^T)^T")
  }

  @Test func productsAreTheSameOnEveryThreadCount() {
    let a = randomMatrix(300, 200, seed: 23)
    let b = randomMatrix(200, 310, seed: 24)
    let one = withKernels(threads: 1) {
      (Matrix.product(a, b), Matrix.productTN(a, randomMatrix(300, 90, seed: 25)))
    }
    for t in [2, 3] {
      let many = withKernels(threads: t) {
        (Matrix.product(a, b), Matrix.productTN(a, randomMatrix(300, 90, seed: 25)))
      }
      #expect(many.0 == one.0 && many.1 == one.1, "\(t) threads")
    }
  }

  /// Mean LA loss and its gradient in Double, straight from the formula.
  func referenceLoss(_ z: Matrix, _ y: [Int32], offset: [Float]) -> (Double, [Double]) {
    let (b, k) = (z.rows, z.cols)
    var grad = [Double](repeating: 0, count: b * k)
    var loss = 0.0
    for r in 0..<b {
      let t = (0..<k).map { Double(z[r, $0]) + Double(offset[$0]) }
      let m = t.max() ?? 0
      let s = t.reduce(0) { $0 + dexp($1 - m) }
      loss += m + dlog(s) - t[Int(y[r])]
      for c in 0..<k {
        grad[r * k + c] = (dexp(t[c] - m) / s - (c == Int(y[r]) ? 1 : 0)) / Double(b)
      }
    }
    return (loss / Double(b), grad)
  }

  @Test func fusedLossMatchesTheFormula() throws {
    let counts = (0..<131).map { 1 + ($0 * 7) % 50 }
    let loss = try BoundLoss(.la(tau: 1), counts: counts)
    let z = randomMatrix(700, 131, seed: 26, scale: 4)
    let y = randomLabels(700, classes: 131, seed: 27)
    let (l, g) = loss.evaluate(z, y)
    let (refL, refG) = referenceLoss(z, y, offset: loss.offset)
    #expect(abs(l - refL) <= 1e-5 * abs(refL))
    let worst = zip(g.data, refG).map { abs(Double($0) - $1) }.max() ?? 1
    #expect(worst <= 1e-8, "gradient off by \(worst)")
  }

  @Test func sgdKernelFollowsTheScalarFormula() {
    // 37 entries: the 8-lane body and the scalar tail.
    var rng = SeededRandom(seed: 28)
    let p0 = (0..<37).map { _ in Float(rng.normal()) }
    let g1 = (0..<37).map { _ in Float(rng.normal()) }
    let g2 = (0..<37).map { _ in Float(rng.normal()) }
    var opt = Optimizer(kind: .sgd, momentum: 0.9, weightDecay: 0.01)
    var p = [p0]
    opt.step(&p, [g1], lr: 0.1)
    opt.step(&p, [g2], lr: 0.05)
    let (mu, wd): (Float, Float) = (0.9, 0.01)
    for j in 0..<37 {
      let d1 = g1[j] + wd * p0[j]
      let p1 = p0[j] - Float(0.1) * d1
      let d2 = g2[j] + wd * p1
      let v2 = mu * d1 + d2
      let p2 = p1 - Float(0.05) * v2
      #expect(p[0][j] == p2, "entry \(j): \(p[0][j]) vs \(p2)")
    }
  }

  /// The loss, one SGD step and GLA's row sums, on sizes large enough to be split.
  func kernelOutputs() throws -> [[Float]] {
    let counts = (0..<100).map { 1 + $0 % 9 }
    let loss = try BoundLoss(.la(tau: 1), counts: counts)
    let (l, g) = loss.evaluate(
      randomMatrix(1500, 100, seed: 29), randomLabels(1500, classes: 100, seed: 30))
    var opt = Optimizer(kind: .sgd, momentum: 0.9, weightDecay: 5e-4)
    var p = [randomMatrix(600, 500, seed: 31).data]
    opt.step(&p, [randomMatrix(600, 500, seed: 32).data], lr: 0.1)
    let shift = (0..<300).map { Double($0 % 11) * 0.1 }
    let (lse, mean) = meanLogSumExpAndSoftmax(randomMatrix(3000, 300, seed: 33), shift: shift)
    let weights = (0..<3000).map { 0.5 + Double($0 % 7) * 0.25 }
    let (wlse, wmean) = meanLogSumExpAndSoftmax(
      randomMatrix(3000, 300, seed: 33), shift: shift, weights: weights)
    return [[Float(l)], g.data, p[0], [Float(lse)], mean.map { Float($0) }, [Float(wlse)],
            wmean.map { Float($0) }]
  }

  @Test func lossUpdateAndPriorSumsAreTheSameOnEveryThreadCountAndInstructionSet() throws {
    let reference = try withKernels(threads: 1) { try kernelOutputs() }
    for t in [2, 3] {
      #expect(try withKernels(threads: t) { try kernelOutputs() } == reference, "\(t) threads")
    }
    // learn.c runs without FP contraction, so the portable build gives the same bits.
    #expect(try withKernels(threads: 2, level: 0) { try kernelOutputs() } == reference)
  }

  @Test func trainingAndGLAAreTheSameOnEveryThreadCount() throws {
    let x = randomMatrix(1200, 64, seed: 34)
    let y = randomLabels(1200, classes: 300, seed: 35)
    let ds = try Dataset(features: x, labels: y)
    var cfg = TrainConfig()
    cfg.batchSize = 600
    cfg.epochs = 2
    cfg.loss = .la(tau: 1)
    let z = randomMatrix(3000, 300, seed: 36, scale: 2)
    let zy = (0..<3000).map { Int32($0 % 300) }
    func run() throws -> (Head, [Double]) {
      let head = try finetune(features: ds, config: cfg).model.head
      return (head, try estimatePriorGLA(logits: z, labels: zy).prior)
    }
    let one = try withKernels(threads: 1) { try run() }
    let three = try withKernels(threads: 3) { try run() }
    #expect(one.0 == three.0)
    #expect(one.1 == three.1)
  }
}
