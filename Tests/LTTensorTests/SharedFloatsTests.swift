import Testing

import LTTensor

/// `Tensor(sharing:shape:)` reads the array's own buffer, and `sharedFloats` gives the
/// same buffer back, so LTStdlib's Matrix <-> Tensor crossings copy nothing (issue 15).
@Suite struct SharedFloatsTests {
  func address(_ a: [Float]) -> UnsafePointer<Float>? { a.withUnsafeBufferPointer { $0.baseAddress } }

  @Test func sharingKeepsTheBufferBothWays() throws {
    let values: [Float] = (0..<600).map { Float($0) * 0.5 - 7 }
    let t = try Tensor(sharing: values, shape: [20, 30])
    #expect(t.toFloats() == values)
    try t.withFloatBuffer { #expect($0.baseAddress == address(values)) }
    let back = try #require(t.sharedFloats)
    #expect(address(back) == address(values))
    #expect(try t.reshape([600]).sharedFloats.map(address) == address(values))
  }

  @Test func viewsAndOtherTensorsAreNotShared() throws {
    let t = try Tensor(sharing: [1, 2, 3, 4, 5, 6], shape: [3, 2])
    #expect(try t.index([.slice(1, 3, 1)]).sharedFloats == nil)
    #expect(try t.transpose().sharedFloats == nil)
    #expect(try Tensor(floats: [1, 2], shape: [2]).sharedFloats == nil)
    #expect(try Tensor(sharing: [], shape: [0, 3]).count == 0)
    #expect(throws: TensorError.self) { try Tensor(sharing: [1, 2, 3], shape: [2, 2]) }
  }

  @Test func theArrayStaysValidAfterItsOwnerMutatesACopy() throws {
    var values: [Float] = [1, 2, 3, 4]
    let t = try Tensor(sharing: values, shape: [4])
    values[0] = 99  // copy on write: the tensor keeps the old buffer
    #expect(t.toFloats() == [1, 2, 3, 4])
    #expect(values[0] == 99)
  }
}
