import Testing

@testable import LTTensor

struct BroadcastCase: Sendable, CustomTestStringConvertible {
  let a: [Int], b: [Int]
  let expected: [Int]?
  var testDescription: String { "\(a) with \(b)" }
}

@Suite struct BroadcastTests {
  static let cases: [BroadcastCase] = [
    .init(a: [3, 4], b: [4], expected: [3, 4]),
    .init(a: [3, 1], b: [1, 4], expected: [3, 4]),
    .init(a: [], b: [2, 3], expected: [2, 3]),
    .init(a: [2, 1, 5], b: [7, 1], expected: [2, 7, 5]),
    .init(a: [0, 1], b: [1, 3], expected: [0, 3]),
    .init(a: [3, 4], b: [5], expected: nil),
    .init(a: [2, 3], b: [3, 2], expected: nil),
  ]

  @Test(arguments: cases)
  func broadcastShapeFollowsNumPy(_ c: BroadcastCase) throws {
    if let e = c.expected {
      #expect(try broadcastShape(c.a, c.b) == e)
      #expect(try broadcastShape(c.b, c.a) == e)
    } else {
      expectError("shapes \(formatShape(c.a)) and \(formatShape(c.b)) cannot be broadcast") {
        _ = try broadcastShape(c.a, c.b)
      }
    }
  }

  @Test func broadcastViewRepeatsWithoutCopy() throws {
    let t = try Tensor([1, 2, 3], shape: [3])
    let v = try t.broadcast(to: [2, 3])
    #expect(v.shape == [2, 3])
    #expect(v.toDoubles() == [1, 2, 3, 1, 2, 3])
  }

  @Test func formatShapeMatchesNumPy() {
    #expect(formatShape([3, 4]) == "(3, 4)")
    #expect(formatShape([5]) == "(5,)")
    #expect(formatShape([]) == "()")
  }

  @Test func hugeShapesAreErrorsNotCrashes() {
    expectError("too large") { _ = try Tensor.zeros([1 << 40, 1 << 30]) }
    expectError("too large") { _ = try Tensor.zeros([1 << 20, 1 << 20, 1 << 10]) }
    expectError("negative dimension") { _ = try Tensor.zeros([3, -1]) }
    expectError("too large") {
      let a = try Tensor.zeros([200_000, 1]), b = try Tensor.zeros([1, 200_000])
      _ = try a + b
    }
  }
}
