import Testing

@testable import LTTensor

@Suite struct ReduceTests {
  @Test func axisReductionsMatchNumPy() throws {
    let a = try fixture("in_a"), bat = try fixture("in_bat")
    expectClose(try a.sum(axis: 0), try fixture("sum_a0"))
    expectClose(try a.sum(axis: 1, keepdims: true), try fixture("sum_a1k"))
    expectClose(try bat.mean(axis: 1), try fixture("mean_bat1"))
    expectClose(try a.std(axis: 1), try fixture("std_a1"))
    expectClose(try a.variance(axis: 0), try fixture("var_a0"))
    expectClose(try bat.max(axis: -1), try fixture("max_bat2"))
    expectClose(try a.min(axis: 0), try fixture("min_a0"))
    expectClose(try fixture("in_logits").argmax(axis: 1), try fixture("argmax_logits"), dtype: .int32)
    expectClose(try a.argmin(axis: -2), try fixture("argmin_a0"))
  }

  @Test func reductionsOverAllAxesReturnNumbers() throws {
    let a = try fixture("in_a")
    let want = try fixture("scalars_a").toDoubles()
    let got = [try a.sum(), try a.mean(), try a.std(), try a.variance(), try a.min(), try a.max()]
    for (g, w) in zip(got, want) { #expect(Swift.abs(g - w) <= 1e-5 * Swift.abs(w) + 1e-6) }
    #expect(try a.argmax() == 4 * 0 + (a.toDoubles().firstIndex(of: try a.max()) ?? -1))
  }

  @Test func integerAndBoolSumsAreInt32() throws {
    let m = try Tensor(bools: [true, false, true, true], shape: [2, 2])
    #expect(try m.sum(axis: 0).dtype == .int32)
    #expect(try m.sum(axis: 0).toDoubles() == [2, 1])
    #expect(try m.sum() == 3)
    #expect(try m.mean(axis: 1).dtype == .float32)
  }

  @Test func nanPropagatesThroughMinMax() throws {
    let t = try Tensor([1, .nan, 3], shape: [3])
    #expect(try t.max().isNaN)
    #expect(try t.argmax() == 1)
    #expect(try t.reshape([1, 3]).max(axis: 1).toDoubles()[0].isNaN)
  }

  @Test func emptyReductionsAreErrors() throws {
    let e = try Tensor.zeros([0, 3])
    expectError("empty tensor") { _ = try e.max() }
    expectError("empty tensor") { _ = try e.argmax(axis: 0) }
    #expect(try e.sum() == 0)
    #expect(try e.sum(axis: 0).toDoubles() == [0, 0, 0])
    expectError("axis 2 is out of range") { _ = try e.sum(axis: 2) }
  }

  @Test func largeSumIsDeterministicAcrossThreadCounts() throws {
    let x = try sample([3, 1_000_003])
    let saved = Tensor.threadCount
    defer { Tensor.threadCount = saved }
    Tensor.threadCount = 1
    let one = try x.sum(), rows1 = try x.sum(axis: 1).toDoubles()
    Tensor.threadCount = 2
    let two = try x.sum(), rows2 = try x.sum(axis: 1).toDoubles()
    #expect(one == two)
    #expect(rows1 == rows2)
    let exact = x.toDoubles().reduce(0, +)
    #expect(Swift.abs(one - exact) < 1e-6 * Double(x.count))
  }

  @Test func softmaxMatchesNumPy() throws {
    let z = try fixture("in_logits")
    expectClose(try z.softmax(axis: 1), try fixture("softmax_logits"), rtol: 1e-6, atol: 1e-7)
    expectClose(try z.softmax(axis: 0), try fixture("softmax_logits0"), rtol: 1e-6, atol: 1e-7)
    expectClose(try z.logSoftmax(), try fixture("logsoftmax_logits"), rtol: 1e-6, atol: 1e-6)
    expectClose(try z.astype(.float64).softmax(axis: 1), try fixture("softmax_logits"), rtol: 1e-6, atol: 1e-7)
  }

  @Test func softmaxIsStableForHugeLogits() throws {
    let z = try Tensor([1000, 1001, -1000], shape: [1, 3])
    let p = try z.softmax().toDoubles()
    #expect(p.allSatisfy { $0.isFinite })
    #expect(Swift.abs(p[1] - 0.7310586) < 1e-6)
    #expect(try z.logSoftmax().toDoubles()[2] < -2000)
  }
}

@Suite struct UnsafeAccessTests {
  @Test func buildAndReadFloatBuffers() throws {
    let t = try Tensor.build(shape: [2, 3]) { b in for i in b.indices { b[i] = Float(i) } }
    #expect(t.toDoubles() == [0, 1, 2, 3, 4, 5])
    #expect(try t.T.withFloatBuffer { Array($0) } == [0, 3, 1, 4, 2, 5])
    let l = try Tensor.buildInt32(shape: [2]) { $0[1] = 7 }
    #expect(l.toInt32s() == [0, 7])
    let rows = try Tensor([1, .nan, 3, 5, 4, 2], shape: [2, 3])
    #expect(try rows.argmax(axis: 1).toInt32s() == [1, 0])
    #expect(try rows.argmin(axis: -1).toInt32s() == [1, 2])
  }
}
