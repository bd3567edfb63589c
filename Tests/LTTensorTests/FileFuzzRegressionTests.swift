import Foundation
import Testing

@testable import LTTensor

/// Inputs that crashed a reader, allocated far more than the file justified, or hung,
/// each found by `make fuzz TARGET=files` (fuzz/Sources/FileFuzzHarness) or by review
/// of the readers, and what the reader must do instead: load, or throw a TensorError
/// naming the file.
@Suite struct FileFuzzRegressionTests {
  static func npy(_ header: String, data: [UInt8] = []) -> [UInt8] {
    NPYTests.npy(Array(header.utf8), data: 0) + data
  }

  @Test func aZeroLengthAxisDoesNotHideAnOverflowingShape() throws {
    // (0, 2^40, 2^40) has no elements, but its strides and its Fortran-order transpose
    // multiply the other lengths: refused as NumPy does ("array is too big").
    for order in ["False", "True"] {
      let b = Self.npy("{'descr': '<f4', 'fortran_order': \(order), 'shape': (0, 1099511627776, 1099511627776), }")
      expectError("is too large") { _ = try Tensor(npyData: Data(b)) }
    }
    #expect(throws: TensorError.self) { try Tensor.zeros([0, 1 << 40, 1 << 40]) }
    #expect(try Tensor.zeros([0, 1 << 20, 1 << 20]).shape == [0, 1 << 20, 1 << 20])
  }

  @Test func anEmptyTensorWithAHugeAxisPrintsWithoutListingIt() throws {
    let b = Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 0), }")
    let t = try Tensor(npyData: Data(b))
    #expect(t.shape == [1 << 40, 0])
    #expect(t.description == "tensor([], shape: (1099511627776, 0), dtype: float32)")
    #expect(try Tensor.zeros([3, 0]).description == "tensor([], shape: (3, 0), dtype: float32)")
  }

  @Test func aHugeWholeNumberLabelIsAnErrorNotMillionsOfClasses() throws {
    let p = try writeBytes(Array("a,label\n1,0\n2,2000000000\n".utf8), "labels.csv")
    expectError(":3: label 2000000000 is too large for a class index (at most 16777215)") {
      _ = try Tensor.loadCSV(p, label: .name("label"))
    }
    let ok = try writeBytes(Array("a,label\n1,0\n2,3\n".utf8), "labels.csv")
    #expect(try Tensor.loadCSV(ok, label: .name("label")).classes == ["0", "1", "2", "3"])
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
