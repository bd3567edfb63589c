import Foundation
import Testing

@testable import LTTensor

/// Behaviours where an audit against NumPy found LTTensor apart, each with NumPy's
/// closed-form answer (the value in each comment is what NumPy 2 returns).
@Suite struct NumPyParityTests {
  @Test func allcloseTreatsInfinitiesAsNumPysIsclose() throws {
    // np.allclose([inf], [-inf]) -> False; np.allclose([1], [inf]) -> False;
    // np.allclose([inf], [inf]) -> True; np.allclose([nan], [nan]) -> False.
    let inf = Double.infinity
    #expect(try !Tensor([inf]).allclose(Tensor([-inf])))
    #expect(try !Tensor([1]).allclose(Tensor([inf])))
    #expect(try !Tensor([inf]).allclose(Tensor([1])))
    #expect(try Tensor([inf, -inf, 1]).allclose(Tensor([inf, -inf, 1 + 1e-9])))
    #expect(try !Tensor([.nan]).allclose(Tensor([.nan])))
  }

  @Test func uniqueCountsNaNOnce() throws {
    // np.unique([nan, 1, nan, 0, 1]) -> [0., 1., nan] (equal_nan=True since NumPy 1.21)
    let u = try Tensor([.nan, 1, .nan, 0, 1]).unique().toDoubles()
    #expect(u.count == 3 && u[0] == 0 && u[1] == 1 && u[2].isNaN)
    #expect(try Tensor([.nan, .nan], shape: [2], dtype: .float64).unique().count == 1)
  }

  @Test func bincountRefusesAStrayHugeLabelBeforeAllocating() throws {
    // np.bincount([0, 2]) -> [1, 0, 1]; a label of 2e9 would need 8 GB of counts.
    #expect(try Tensor(int32s: [0, 2], shape: [2]).bincount().toInt32s() == [1, 0, 1])
    expectError("bincount: label 2000000000 is too large (the result has at most 67108864 entries)") {
      _ = try Tensor(int32s: [0, 2_000_000_000], shape: [2]).bincount()
    }
    expectError("bincount: n = 100000000 is too large") { _ = try Tensor(int32s: [0], shape: [1]).bincount(100_000_000) }
  }

  @Test func tolistOfAnEmptyTensorNestsDownToTheZeroAxis() throws {
    // np.zeros((2, 3, 0)).tolist() -> [[[], [], []], [[], [], []]]
    let e = NestedValue.list([])
    let row = NestedValue.list([e, e, e])
    #expect(try Tensor.zeros([2, 3, 0]).toNested() == .list([row, row]))
    #expect(try Tensor.zeros([0, 3]).toNested() == .list([]))
  }

  @Test func savesAreAtomic() throws {
    // A save goes to a temporary file renamed over the target: no partial file, no
    // leftover temporary, and errors name the target.
    let dir = tempPath("atomic")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let p = dir + "/x.npy"
    try Tensor([1, 2, 3]).saveNPY(p)
    try Tensor([4, 5]).saveNPY(p)
    #expect(try Tensor.loadNPY(p).toDoubles() == [4, 5])
    try Tensor([1, 2]).saveCSV(dir + "/x.csv")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["x.csv", "x.npy"])
    expectError("cannot write '\(dir)/missing/x.npy'") { try Tensor([1]).saveNPY(dir + "/missing/x.npy") }
  }
}
