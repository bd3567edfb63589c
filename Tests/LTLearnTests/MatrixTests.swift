import Testing

@testable import LTLearn

@Suite struct MatrixTests {
  func naive(_ a: Matrix, _ b: Matrix) -> [Double] {
    var out = [Double](repeating: 0, count: a.rows * b.cols)
    for i in 0..<a.rows {
      for j in 0..<b.cols {
        var s = 0.0
        for p in 0..<a.cols { s += Double(a[i, p]) * Double(b[p, j]) }
        out[i * b.cols + j] = s
      }
    }
    return out
  }

  @Test(arguments: [
    (1, 1, 1), (4, 8, 8), (5, 3, 9), (7, 13, 17), (33, 64, 100), (2, 0, 5), (0, 4, 4),
  ])
  func matmulMatchesNaiveReference(shape: (Int, Int, Int)) throws {
    let (m, k, n) = shape
    let a = randomMatrix(m, k, seed: 1)
    let b = randomMatrix(k, n, seed: 2)
    let c = try a.matmul(b)
    let ref = naive(a, b)
    #expect(c.rows == m && c.cols == n)
    for i in 0..<ref.count { #expect(abs(Double(c.data[i]) - ref[i]) < 1e-4 * (1 + abs(ref[i]))) }
  }

  @Test func matmulRejectsMismatchedShapes() {
    expectLearnError("cannot be multiplied") {
      _ = try Matrix(rows: 2, cols: 3).matmul(Matrix(rows: 4, cols: 2))
    }
  }

  @Test func transposeAndGather() throws {
    let a = try Matrix(rowArrays: [[1, 2, 3], [4, 5, 6]])
    #expect(a.transposed == (try Matrix(rowArrays: [[1, 4], [2, 5], [3, 6]])))
    #expect(try a.selecting(rows: [1, 0]).data == [4, 5, 6, 1, 2, 3])
    #expect(try a.selecting(columns: [2, 0]).data == [3, 1, 6, 4])
    expectLearnError("row index 2 is out of range") { _ = try a.selecting(rows: [2]) }
    expectLearnError("column index -1") { _ = try a.selecting(columns: [-1]) }
    let big = randomMatrix(37, 70, seed: 3)
    #expect(big.transposed.transposed == big)
  }

  @Test func constructionChecksCounts() {
    expectLearnError("needs 6 values") { _ = try Matrix(rows: 2, cols: 3, data: [1, 2]) }
    expectLearnError("row 1 has") { _ = try Matrix(rowArrays: [[1, 2], [3]]) }
    #expect(Matrix(rows: -3, cols: 2).data.isEmpty)
  }

  @Test func vectorisedExpIsAccurate() {
    var x: Float = -80
    while x < 80 {
      let v = exp8(SIMD8<Float>(repeating: x))[0]
      let ref = dexp(Double(x))
      #expect(abs(Double(v) - ref) <= 3e-7 * ref)
      x += 0.173
    }
  }

  @Test func softmaxRowsSumToOneAndLogSumExpIsStable() throws {
    var z = randomMatrix(9, 21, seed: 4, scale: 30)
    z[0, 0] = 1e4
    let p = z.softmaxRows()
    for r in 0..<z.rows {
      let s = (0..<z.cols).reduce(0.0) { $0 + Double(p[r, $1]) }
      #expect(abs(s - 1) < 1e-5)
    }
    let lse = z.logSumExpRows()
    #expect(abs(lse[0] - 1e4) < 1e-3)
    for r in 1..<z.rows {
      let ref = dlog((0..<z.cols).reduce(0.0) { $0 + dexp(Double(z[r, $1])) })
      #expect(abs(lse[r] - ref) < 1e-4 * max(1, abs(ref)))
    }
  }
}

@Suite struct RandomTests {
  @Test func streamsArePinned() {
    var r = SeededRandom(seed: 42)
    // SplitMix64 reference values for seed 42.
    #expect(r.next() == 0xBDD7_3226_2FEB_6E95)
    #expect(r.next() == 0x28EF_E333_B266_F103)
  }

  @Test func sameSeedSameStreamAndDerivedStreamsDiffer() {
    var a = SeededRandom(seed: 9)
    var b = SeededRandom(seed: 9)
    #expect((0..<10).map { _ in a.normal() } == (0..<10).map { _ in b.normal() })
    var c = SeededRandom(seed: 9).derived(1)
    var d = SeededRandom(seed: 9).derived(2)
    #expect(c.next() != d.next())
  }

  @Test func distributionsHaveTheRightMoments() {
    var r = SeededRandom(seed: 1)
    let n = 20000
    let u = (0..<n).map { _ in r.uniform() }
    #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
    #expect(abs(u.reduce(0, +) / Double(n) - 0.5) < 0.01)
    let g = (0..<n).map { _ in r.normal() }
    let mean = g.reduce(0, +) / Double(n)
    let v = g.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
    #expect(abs(mean) < 0.03 && abs(v - 1) < 0.05)
    var counts = [0, 0, 0]
    for _ in 0..<n { counts[r.categorical([0.2, 0.5, 0.3])] += 1 }
    #expect(abs(Double(counts[1]) / Double(n) - 0.5) < 0.02)
    let sampler = CategoricalSampler([0.2, 0.5, 0.3])
    counts = [0, 0, 0]
    for _ in 0..<n { counts[sampler.draw(&r)] += 1 }
    #expect(abs(Double(counts[2]) / Double(n) - 0.3) < 0.02)
    #expect(r.permutation(50).sorted() == Array(0..<50))
  }
}
