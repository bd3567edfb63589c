import Testing

@testable import LTTensor

@Suite struct MatmulTests {
  @Test func matmulMatchesNumPy() throws {
    let m = try fixture("in_m"), n = try fixture("in_n"), bat = try fixture("in_bat")
    expectClose(try m.matmul(n), try fixture("matmul_mn"), rtol: 1e-5, atol: 1e-5)
    expectClose(try bat.matmul(n), try fixture("matmul_batn"), rtol: 1e-5, atol: 1e-5)
    expectClose(try m.matmul(n.index([.all, .index(0)])), try fixture("matmul_vec"), rtol: 1e-5, atol: 1e-5)
    expectClose(try m.index([.index(0)]).matmul(n), try fixture("matmul_vecmat"), rtol: 1e-5, atol: 1e-5)
  }

  @Test func nonContiguousAndBatchedOperands() throws {
    let a = try sample([40, 30]), b = try sample([50, 40], seed: 3)
    // a.T is (30, 40), b.T is (40, 50): both strided views
    expectClose(try a.T.matmul(b.T), try Tensor.matmulReference(a.T, b.T), rtol: 1e-4, atol: 1e-4)
    let sliced = try a.index([.slice(nil, nil, 2), .slice(1, nil, 3)])
    let w = try sample([10, 7], seed: 4)
    expectClose(try sliced.matmul(w), try Tensor.matmulReference(sliced, w), rtol: 1e-4, atol: 1e-4)
    let x = try sample([3, 1, 6, 5], seed: 5), y = try sample([4, 5, 2], seed: 6)
    let batched = try x.matmul(y)
    #expect(batched.shape == [3, 4, 6, 2])
    expectClose(batched, try Tensor.matmulReference(x, y), rtol: 1e-4, atol: 1e-5)
    let d = try a.astype(.float64)
    expectClose(try d.T.matmul(d), try Tensor.matmulReference(d.T, d), rtol: 1e-12, atol: 1e-12, dtype: .float64)
    let i = try Tensor(int32s: [1, 2, 3, 4], shape: [2, 2])
    #expect(try i.matmul(i).toDoubles() == [7, 10, 15, 22])
    #expect(try i.matmul(i).dtype == .int32)
  }

  @Test func vectorCasesFollowNumPy() throws {
    let v = try Tensor([1, 2, 3], shape: [3])
    let dot = try v.matmul(v)
    #expect(dot.shape == [])
    #expect(try dot.item() == 14)
  }

  @Test func shapeErrorsNameBothShapes() throws {
    let a = try Tensor.zeros([3, 4]), b = try Tensor.zeros([5, 2])
    expectError("shapes (3, 4) and (5, 2) cannot be multiplied: 4 != 5") { _ = try a.matmul(b) }
    expectError("at least 1 dimension") { _ = try Tensor(scalar: 1).matmul(a) }
  }
}

/// Tests that switch the kernels' instruction set or thread count. They share
/// one serialized suite because the instruction set is process-wide and changes
/// the bits of a product (FMA or not): a determinism check must not see another
/// test switch it midway. (Suites run in parallel; tests in this one do not.)
@Suite(.serialized) struct KernelPathTests {
  static let shapes: [(Int, Int, Int)] = [
    (1, 1, 1), (1, 37, 1), (1, 300, 45), (45, 300, 1), (0, 5, 3), (3, 0, 4), (7, 5, 0),
    (17, 33, 65), (8, 32, 32), (9, 257, 33), (130, 70, 150), (200, 600, 3),
  ]

  @Test func fastPathMatchesReferenceOnAwkwardShapesForEveryKernel() throws {
    for level in [0, 1, 2] {
      Tensor.forceKernelLevel(level)
      defer { Tensor.forceKernelLevel(nil) }
      for (i, (m, k, n)) in Self.shapes.enumerated() {
        let a = try sample([m, k], seed: UInt64(i)), b = try sample([k, n], seed: UInt64(100 + i))
        let fast = try a.matmul(b), ref = try Tensor.matmulReference(a, b)
        #expect(fast.shape == [m, n])
        expectClose(fast, ref, rtol: 1e-4, atol: 1e-5 * Double(Swift.max(k, 1)))
      }
    }
  }

  @Test func expKernelHandlesExtremesOnEveryInstructionSet() throws {
    let xs: [Float] = [-200, -104, -103, -87.5, -20, -1e-8, 0, 1e-8, 1, 20, 88, 88.72, 88.8, 1000, .infinity, -.infinity, .nan]
    let t = try Tensor(floats: xs + Array(repeating: 0.5, count: 15), shape: [32])
    for level in [0, 1, 2] {
      Tensor.forceKernelLevel(level)
      defer { Tensor.forceKernelLevel(nil) }
      let got = try t.exp().toFloats()
      for (i, x) in xs.enumerated() {
        let want = Foundation_exp(x)
        if want.isNaN { #expect(got[i].isNaN); continue }
        if want.isInfinite || want == 0 { #expect(got[i] == want || Swift.abs(got[i]) < Float.leastNormalMagnitude, "exp(\(x)) = \(got[i])"); continue }
        #expect(Swift.abs(got[i] - want) <= 3e-7 * want + Float.leastNormalMagnitude, "exp(\(x)) = \(got[i]) vs \(want)")
      }
    }
  }

  @Test func resultBitsDoNotDependOnThreadCount() throws {
    let a = try sample([300, 257]), b = try sample([257, 190], seed: 9)
    let saved = Tensor.threadCount
    defer { Tensor.threadCount = saved }
    Tensor.threadCount = 1
    let one = try a.matmul(b).toFloats(), wide1 = try b.T.matmul(a.T).toFloats()
    Tensor.threadCount = 2
    let two = try a.matmul(b).toFloats(), wide2 = try b.T.matmul(a.T).toFloats()
    Tensor.threadCount = 3
    let three = try a.matmul(b).toFloats()
    #expect(one == two)
    #expect(one == three)
    #expect(wide1 == wide2)
  }
}
