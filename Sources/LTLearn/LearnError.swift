// The one public error of LTLearn: a message a user can act on.
import LTNumberText

/// An error caused by bad input to an LTLearn function: a wrong shape, a label out of
/// range, a prior that is not a probability vector, a NaN in logits, an unknown option.
///
/// The message is complete on its own (it names the argument and the offending value),
/// so a caller can show it as is.
public struct LearnError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

// MARK: - Checks shared by the public entry points

/// Throws unless `labels` has `count` entries, each in `0..<nClasses`.
func checkLabels(_ labels: [Int32], count: Int, nClasses: Int, _ what: String = "labels")
  throws
{
  if labels.count != count {
    throw LearnError("\(what) has \(labels.count) entries but there are \(count) samples")
  }
  if nClasses <= 0 { throw LearnError("the number of classes must be positive, got \(nClasses)") }
  for (i, y) in labels.enumerated() where y < 0 || Int(y) >= nClasses {
    throw LearnError("\(what)[\(i)] = \(y) is out of range 0..<\(nClasses)")
  }
}

/// Throws unless every entry of `m` is finite.
func checkFinite(_ m: Matrix, _ what: String) throws {
  try m.withView { try checkFinite($0, what) }
}

func checkFinite(_ m: MatrixView, _ what: String) throws {
  for (i, v) in m.elements.enumerated() where !v.isFinite {
    throw LearnError(
      "\(what) contains \(formatNumber(v)) at row \(i / max(m.cols, 1)), column \(i % max(m.cols, 1))")
  }
}

/// Throws unless `prior` is a probability vector of length `k`: finite, positive
/// entries summing to 1 within `1e-6 * k` (so float32 round-off passes).
func checkPrior(_ prior: [Double], count k: Int, _ what: String = "prior") throws {
  if prior.count != k {
    throw LearnError("\(what) has \(prior.count) entries but there are \(k) classes")
  }
  for (j, p) in prior.enumerated() {
    if !p.isFinite { throw LearnError("\(what)[\(j)] is \(formatNumber(p))") }
    if p <= 0 {
      throw LearnError("\(what)[\(j)] = \(formatNumber(p)): a prior must be positive (its log is taken)")
    }
  }
  let s = prior.reduce(0, +)
  if abs(s - 1) > 1e-6 * Double(max(k, 1)) + 1e-9 {
    throw LearnError("\(what) sums to \(formatNumber(s)), not 1; normalise it first")
  }
}
