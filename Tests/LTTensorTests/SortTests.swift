import Testing

@testable import LTTensor

@Suite struct SortTests {
  @Test func argsortIsStableLikeNumPy() throws {
    let dup = try fixture("in_dup")
    expectClose(try dup.argsort(), try fixture("argsort_dup"), dtype: .int32)
    expectClose(try dup.argsort(descending: true), try fixture("argsort_dup_desc"))
    expectClose(try dup.astype(.float64).argsort(descending: true), try fixture("argsort_dup_desc"))
    expectClose(try dup.astype(.int32).argsort(), try fixture("argsort_dup"))
    expectClose(try fixture("in_a").sort(axis: 0), try fixture("sort_a0"))
    expectClose(try fixture("in_logits").argsort(axis: 1), try fixture("argsort_logits"))
    expectClose(try dup.unique(), try fixture("unique_dup"))
  }

  @Test func radixSortOrdersSignsZerosAndNaN() throws {
    let v = try Tensor([3, -0.0, .nan, -5, 0, .infinity, -.infinity, 1e-30, -1e-30], shape: [9])
    let s = try v.sort().toDoubles()
    #expect(Array(s.prefix(8)) == [-.infinity, -5, -1e-30, -0.0, 0, 1e-30, 3, .infinity].map { Double(Float($0)) })
    #expect(s[8].isNaN)
    let big = try sample([5000])
    let sorted = try big.sort().toDoubles()
    #expect(sorted == big.toDoubles().sorted())
  }

  @Test func topkGivesLargestFirst() throws {
    let t = try Tensor([[1, 5, 3, 5], [9, 0, 2, 8]].flatMap { $0 }, shape: [2, 4])
    let (values, indices) = try t.topk(2)
    #expect(values.toDoubles() == [5, 5, 9, 8])
    #expect(indices.toDoubles() == [1, 3, 0, 3])
    #expect(try t.topk(1, axis: 0).indices.toDoubles() == [1, 0, 0, 1])
    expectError("k = 5 is out of range") { _ = try t.topk(5) }
  }

  @Test func labelsCumsumAndNorms() throws {
    let labels = try fixture("in_labels")
    expectClose(try labels.bincount(9), try fixture("bincount_labels"), dtype: .int32)
    expectClose(try labels.oneHot(7), try fixture("onehot_labels"), dtype: .float32)
    expectError("is out of range for 5 classes") { _ = try labels.oneHot(5) }
    expectError("negative") { _ = try Tensor(int32s: [1, -1], shape: [2]).bincount() }
    let a = try fixture("in_a")
    expectClose(try a.cumsum(axis: 1), try fixture("cumsum_a1"))
    expectClose(try fixture("in_ints").cumsum(), try fixture("cumsum_ints"), dtype: .int32)
    expectClose(try a.norm(axis: 1), try fixture("norm_a1"))
    expectClose(try a.normalize(axis: 1), try fixture("normalize_a"))
    #expect(try Tensor.zeros([2, 3]).normalize().toDoubles().allSatisfy { $0 == 0 })
  }

  @Test func equalAndAllclose() throws {
    let a = try Tensor([1, 2, 3], shape: [3])
    #expect(a.equal(try a.astype(.int32)))
    #expect(!a.equal(try a.reshape([1, 3])))
    #expect(try a.allclose(a + 1e-7))
    #expect(try !a.allclose(a + 1e-3))
    #expect(try a.allclose(Tensor([1, 2, 3.01], shape: [3]), rtol: 0, atol: 0.02))
    #expect(try !Tensor([.nan], shape: [1]).allclose(Tensor([.nan], shape: [1])))
  }
}
