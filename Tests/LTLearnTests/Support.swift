// Shared helpers for the LTLearn tests.
import Foundation
import Testing

@testable import LTLearn

/// A matrix of standard normals from a fixed seed.
func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, scale: Double = 1) -> Matrix {
  var rng = SeededRandom(seed: seed)
  var m = Matrix(rows: rows, cols: cols)
  for i in 0..<m.data.count { m.data[i] = Float(rng.normal() * scale) }
  return m
}

func randomLabels(_ n: Int, classes: Int, seed: UInt64) -> [Int32] {
  var rng = SeededRandom(seed: seed)
  return (0..<n).map { _ in Int32(rng.int(below: classes)) }
}

/// Reads a JSON fixture next to this file (Fixtures/NAME).
func fixture(_ name: String) throws -> [String: Any] {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent(name)
  let data = try Data(contentsOf: url)
  guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
    throw LearnError("fixture \(name) is not a JSON object")
  }
  return obj
}

func doubles(_ any: Any?) throws -> [Double] {
  guard let a = any as? [NSNumber] else { throw LearnError("fixture field is not a number list") }
  return a.map { $0.doubleValue }
}

func number(_ any: Any?) throws -> Double {
  guard let n = any as? NSNumber else { throw LearnError("fixture field is not a number") }
  return n.doubleValue
}

func int32s(_ any: Any?) throws -> [Int32] { try doubles(any).map { Int32($0) } }

func l1(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) } }

/// Expects `body` to throw a LearnError whose message contains `fragment`.
func expectLearnError(
  _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws -> Void
) {
  do {
    try body()
    Issue.record("expected an error containing \"\(fragment)\"", sourceLocation: sourceLocation)
  } catch let e as LearnError {
    #expect(
      e.message.contains(fragment), "message was: \(e.message)", sourceLocation: sourceLocation)
  } catch {
    Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
  }
}

func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }

/// The unbiased sample variance (n - 1 in the denominator).
func sampleVariance(_ xs: [Double]) -> Double {
  let m = mean(xs)
  return xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
}
