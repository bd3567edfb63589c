// A labelled feature set, and its stratified split.

/// A labelled dataset: `features` is N x D, `labels[i]` is the class of row `i`.
public struct Dataset: Sendable, Equatable {
  public var features: Matrix
  public var labels: [Int32]
  public var classNames: [String]

  public var nClasses: Int { classNames.count }
  public var size: Int { labels.count }
  public var dim: Int { features.cols }

  /// Checks that there is one label per row and every label names a class.
  /// Without `classNames`, the classes are `"class0"`, `"class1"`, ... up to the largest label.
  public init(features: Matrix, labels: [Int32], classNames: [String]? = nil) throws {
    let k = classNames?.count ?? (Int(labels.max() ?? -1) + 1)
    if k == 0 && !labels.isEmpty { throw LearnError("a dataset needs at least one class") }
    if !labels.isEmpty || features.rows > 0 {
      try checkLabels(labels, count: features.rows, nClasses: max(k, 1))
    }
    try checkFinite(features, "features")
    self.features = features
    self.labels = labels
    self.classNames = classNames ?? (0..<k).map { "class\($0)" }
  }

  init(unchecked features: Matrix, labels: [Int32], classNames: [String]) {
    self.features = features
    self.labels = labels
    self.classNames = classNames
  }

  /// The samples at `indices`, same classes; throws on an index out of range.
  public func selecting(_ indices: [Int]) throws -> Dataset {
    if let bad = indices.first(where: { $0 < 0 || $0 >= size }) {
      throw LearnError("sample index \(bad) is out of range for \(size) samples")
    }
    return subset(indices)
  }

  /// The rows at `indices` (unchecked).
  func subset(_ indices: [Int]) -> Dataset {
    Dataset(
      unchecked: features.gatherRows(indices), labels: indices.map { labels[$0] },
      classNames: classNames)
  }

  /// Indices of the samples of each class, in dataset order.
  func indicesByClass() -> [[Int]] {
    var out = [[Int]](repeating: [], count: nClasses)
    for (i, y) in labels.enumerated() { out[Int(y)].append(i) }
    return out
  }

  /// Number of samples per class.
  public var classCounts: [Int] { LTLearn.classCounts(labels, nClasses: nClasses) }

  /// Splits by `fractions` (positive, summing to at most 1) after a seeded shuffle.
  /// Stratified (the default): every class is split on its own, so every part keeps the
  /// class proportions; part `p` of a class with `n` samples gets
  /// `floor(n * (f_0+...+f_p)) - floor(n * (f_0+...+f_{p-1}))`. Otherwise the same rule
  /// applies to the whole shuffled dataset.
  public func split(_ fractions: [Double], stratify: Bool = true, seed: UInt64) throws
    -> [Dataset]
  {
    if fractions.isEmpty { throw LearnError("split needs at least one fraction") }
    for f in fractions where !(f > 0 && f <= 1) {
      throw LearnError("split fractions must be in (0, 1], got \(f)")
    }
    let total = fractions.reduce(0, +)
    if total > 1 + 1e-9 { throw LearnError("split fractions sum to \(total), more than 1") }
    var rng = SeededRandom(seed: seed)
    var parts = [[Int]](repeating: [], count: fractions.count)
    let groups = stratify ? indicesByClass() : [Array(0..<size)]
    for var idx in groups {
      rng.shuffle(&idx)
      var cum = 0.0
      var start = 0
      for (p, f) in fractions.enumerated() {
        cum += f
        let end = min(idx.count, Int((Double(idx.count) * cum + 1e-9).rounded(.down)))
        parts[p].append(contentsOf: idx[start..<max(start, end)])
        start = max(start, end)
      }
    }
    return parts.map { subset($0.sorted()) }
  }
}

/// Number of samples per class among `labels`; labels outside `0..<nClasses` are ignored.
public func classCounts(_ labels: [Int32], nClasses: Int) -> [Int] {
  var c = [Int](repeating: 0, count: max(nClasses, 0))
  for y in labels where y >= 0 && Int(y) < c.count { c[Int(y)] += 1 }
  return c
}

/// `max(counts) / min(counts)` over classes with at least one sample; `inf` if some class is empty.
public func imbalanceFactor(_ counts: [Int]) throws -> Double {
  guard let mx = counts.max(), let mn = counts.min() else {
    throw LearnError("imbalance_factor needs at least one class count")
  }
  if mn < 0 { throw LearnError("class counts must be non-negative, got \(mn)") }
  if mn == 0 { return .infinity }
  return Double(mx) / Double(mn)
}
