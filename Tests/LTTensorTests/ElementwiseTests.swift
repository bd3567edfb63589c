import Testing

@testable import LTTensor

@Suite struct ElementwiseTests {
  @Test func arithmeticMatchesNumPy() throws {
    let a = try fixture("in_a"), b = try fixture("in_b"), c = try fixture("in_c")
    expectClose(try a + b, try fixture("add_ab"), dtype: .float32)
    expectClose(try a - c, try fixture("sub_ac"))
    expectClose(try a * b, try fixture("mul_ab"))
    expectClose(try a / c, try fixture("div_ac"))
    expectClose(try a % b, try fixture("mod_ab"))
    expectClose(try fixture("in_pos").pow(1.7), try fixture("pow_pos"))
    expectClose(try fixture("in_ints") % 3, try fixture("mod_ints"), dtype: .int32)
  }

  @Test func comparisonsGiveBool() throws {
    let a = try fixture("in_a"), b = try fixture("in_b"), c = try fixture("in_c")
    let lt = try a.compare(.lt, b)
    #expect(lt.dtype == .bool)
    expectClose(lt, try fixture("lt_ab"))
    expectClose(try a.compare(.ge, c), try fixture("ge_ac"))
    let x = try Tensor([1, 2, 3], shape: [3])
    #expect(try x.compare(.eq, 2).toBools() == [false, true, false])
    #expect(try x.compare(.ne, 2).logicalAnd(x.compare(.gt, 1)).toBools() == [false, false, true])
    #expect(try x.compare(.lt, 2).logicalOr(x.compare(.ge, 3)).toBools() == [true, false, true])
  }

  @Test func unaryMatchesNumPy() throws {
    let a = try fixture("in_a"), pos = try fixture("in_pos")
    expectClose(try a.exp(), try fixture("exp_a"), rtol: 3e-7)
    expectClose(try pos.log(), try fixture("log_pos"))
    expectClose(try pos.sqrt(), try fixture("sqrt_pos"))
    expectClose(try a.abs(), try fixture("abs_a"))
    expectClose(try a.sigmoid(), try fixture("sigmoid_a"), rtol: 3e-7)
    expectClose(try a.tanh(), try fixture("tanh_a"))
    expectClose(try a.clip(-0.5, 0.5), try fixture("clip_a"))
    expectClose(try -a, try a * -1)
  }

  @Test func weakScalarsKeepTheTensorDtype() throws {
    let labels = try Tensor(int32s: [1, 2, 3], shape: [3])
    #expect(try (labels + 1).dtype == .int32)
    #expect(try (labels + 0.5).dtype == .float32)
    #expect(try (labels / 2).dtype == .float32)
    let f64 = try Tensor([1, 2], shape: [2], dtype: .float64)
    #expect(try (f64 * 2).dtype == .float64)
    #expect(try (labels + Tensor([1.5], shape: [1])).dtype == .float32)
    #expect(try (f64 + Tensor([1.5], shape: [1])).dtype == .float64)
  }

  @Test func flooredModuloHasTheSignOfTheDivisor() throws {
    let a = try Tensor([-7, 7, -7, 7], shape: [4]), b = try Tensor([3, -3, -3, 3], shape: [4])
    #expect(try (a % b).toDoubles() == [2, -2, -1, 1])
    let ia = try a.astype(.int32), ib = try b.astype(.int32)
    #expect(try (ia % ib).toDoubles() == [2, -2, -1, 1])
    #expect(try (ia % Tensor(int32s: [0], shape: [1])).toDoubles() == [0, 0, 0, 0])
  }

  @Test func largeBroadcastIsParallelAndCorrect() throws {
    let a = try sample([700, 1000]), b = try sample([1000], seed: 2)
    let got = try a + b
    let av = a.toFloats(), bv = b.toFloats(), gv = got.toFloats()
    for i in stride(from: 0, to: av.count, by: 997) { #expect(gv[i] == av[i] + bv[i % 1000]) }
    // non-contiguous operand
    let t = try (a.T * 2).toFloats()
    #expect(t[1] == av[1000] * 2)
  }
}

func Foundation_exp(_ x: Float) -> Float { Float(_exp(Double(x))) }
private func _exp(_ x: Double) -> Double {
  #if canImport(Glibc)
    return Glibc.exp(x)
  #else
    return Darwin.exp(x)
  #endif
}

#if canImport(Glibc)
  import Glibc
#endif
