import Foundation
import Testing

@testable import LTTensor

/// Randomised property checks (seeded, so failures reproduce): broadcasting and
/// reductions against naive element-by-element definitions on random shapes.
@Suite struct PropertyTests {
  /// A random shape of 0...4 axes with lengths 1...5.
  static func shape(_ g: inout RandomGenerator) -> [Int] {
    (0..<Int(g.nextInt(below: 5))).map { _ in 1 + Int(g.nextInt(below: 5)) }
  }

  /// A shape that broadcasts with `s`: a suffix of it with some lengths set to 1.
  static func compatible(_ s: [Int], _ g: inout RandomGenerator) -> [Int] {
    let k = Int(g.nextInt(below: UInt64(s.count + 1)))
    return s.suffix(k).map { g.nextInt(below: 3) == 0 ? 1 : $0 }
  }

  /// C-order multi-index of flat position i in `shape`.
  static func unravel(_ i: Int, _ shape: [Int]) -> [Int] {
    var r = i
    return shape.reversed().map { d in
      defer { r /= d }
      return r % d
    }.reversed()
  }

  static func flat(_ idx: [Int], _ shape: [Int]) -> Int {
    // broadcast: align right, length-1 axes read index 0
    let pad = idx.count - shape.count
    var f = 0
    for (a, d) in shape.enumerated() { f = f * d + (d == 1 ? 0 : idx[a + pad]) }
    return f
  }

  @Test func broadcastBinaryOpsMatchTheElementwiseDefinition() throws {
    var g = RandomGenerator(seed: 2024)
    for trial in 0..<150 {
      let sa = Self.shape(&g)
      let sb = Self.compatible(sa, &g)
      let (x, y) = trial % 2 == 0 ? (sa, sb) : (sb, sa)
      let a = try Tensor.randn(x, using: &g), b = try Tensor.randn(y, using: &g)
      let out = try broadcastShape(x, y)
      #expect(out == (x.count >= y.count ? x : y).enumerated().map { i, _ in
        let xa = i - (out.count - x.count), ya = i - (out.count - y.count)
        return Swift.max(xa >= 0 ? x[xa] : 1, ya >= 0 ? y[ya] : 1)
      })
      let got = try (a - b).toDoubles(), av = a.toDoubles(), bv = b.toDoubles()
      #expect(got.count == out.reduce(1, *))
      for i in got.indices {
        let idx = Self.unravel(i, out)
        let want = Float(av[Self.flat(idx, x)]) - Float(bv[Self.flat(idx, y)])
        #expect(Float(got[i]) == want, "trial \(trial) \(x) - \(y) at \(idx)")
      }
      // a view of a transposed operand gives the same result as its copy
      let at = try a.T.contiguous().T
      #expect(try (at - b).equal(a - b))
    }
  }

  @Test func axisReductionsAgreeWithTotalsAndNaiveSums() throws {
    var g = RandomGenerator(seed: 7)
    for _ in 0..<100 {
      let s = Self.shape(&g)
      guard !s.isEmpty else { continue }
      let t = try Tensor.randn(s, using: &g, dtype: .float64)
      let axis = Int(g.nextInt(below: UInt64(s.count))) - (g.nextInt(below: 2) == 0 ? 0 : s.count)
      let summed = try t.sum(axis: axis)
      #expect(Swift.abs(try summed.sum() - t.sum()) < 1e-9)
      let kept = try t.sum(axis: axis, keepdims: true)
      var ks = s
      ks[(axis + s.count) % s.count] = 1
      #expect(kept.shape == ks)
      let m = try t.max(axis: axis, keepdims: true)
      #expect(try t.compare(.le, m).toBools().allSatisfy { $0 })
      let am = try t.argmax(axis: axis, keepdims: true)
      #expect(try t.takeAlong(am, axis: axis).equal(m))
      let mean = try t.mean(axis: axis), n = Double(s[(axis + s.count) % s.count])
      #expect(try (mean * n).allclose(summed, rtol: 1e-12, atol: 1e-12))
      let v = try t.variance(axis: axis), sq = try ((t - t.mean(axis: axis, keepdims: true)).pow(2)).mean(axis: axis)
      #expect(try v.allclose(sq, rtol: 1e-9, atol: 1e-12))
    }
  }

  @Test func sortIsAPermutationInOrder() throws {
    var g = RandomGenerator(seed: 11)
    for _ in 0..<60 {
      let n = 1 + Int(g.nextInt(below: 300))
      let t = try Tensor.randint(-20, 20, [n], using: &g).astype(.float32)
      let order = try t.argsort()
      #expect(try order.sort().toInt32s() == (0..<n).map(Int32.init))
      let v = try t.take(order).toDoubles()
      let idx = order.toInt32s()
      for i in 1..<n {
        #expect(v[i - 1] <= v[i])
        if v[i - 1] == v[i] { #expect(idx[i - 1] < idx[i]) }   // stable
      }
    }
  }
}

@Suite struct ArchiveFuzzTests {
  @Test func corruptedNPZFilesAreErrorsNotCrashes() throws {
    let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixturePath("deflated.npz"))))
    var g = RandomGenerator(seed: 5)
    let p = tempPath("fuzz.npz")
    for _ in 0..<150 {
      var b = good
      for _ in 0..<(1 + Int(g.nextInt(below: 6))) {
        b[Int(g.nextInt(below: UInt64(b.count)))] = UInt8(truncatingIfNeeded: g.next())
      }
      if g.nextInt(below: 4) == 0 { b = Array(b.prefix(Int(g.nextInt(below: UInt64(b.count))))) }
      try Data(b).write(to: URL(fileURLWithPath: p))
      do { _ = try Tensor.loadNPZ(p) } catch is TensorError {}
    }
  }
}
