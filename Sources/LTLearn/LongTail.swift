// Long-tailed subsampling of a dataset: count profiles and class orders.

/// How class counts fall from the largest class to the smallest.
public enum LongTailProfile: String, Sendable, CaseIterable {
  /// `n_r = floor(n_max * (1/IF)^(r/(K-1)))`, the CIFAR-LT profile (Cao et al. 2019;
  /// research/lt-methods.md §4.1).
  case exp
  /// A power law `n_r = floor(n_max * (r+1)^(-a))`, `a = ln IF / ln K` so that the last
  /// class has `n_max / IF` (Pareto / Zipf shaped, as ImageNet-LT's Pareto sampling).
  case pareto
  /// The first `floor(K/2)` ranks get `n_max`, the rest `floor(n_max / IF)` (BBN's step profile).
  case step
}

/// Which class gets which rank of the profile.
public enum ClassOrder: Sendable, Equatable {
  /// A seeded random permutation of the classes.
  case random
  /// Class index order: class 0 is the largest (the CIFAR-LT convention).
  case classIndex
  /// Ranked by `prior`, largest first: downstream imbalance consistent with it.
  case consistent([Double])
  /// Ranked by `prior`, smallest first: downstream imbalance reverse to it.
  case reverse([Double])
  /// Every class gets the same count, chosen so the total matches the profile's total.
  case balanced
}

/// The per-rank counts of a profile over `k` classes (rank 0 largest).
public func longTailCounts(
  classes k: Int, maxPerClass nMax: Int, imbalance: Double, profile: LongTailProfile
) throws -> [Int] {
  if k <= 0 { throw LearnError("longtail needs at least one class") }
  if nMax <= 0 { throw LearnError("max_per_class must be positive, got \(nMax)") }
  if !(imbalance >= 1) || !imbalance.isFinite {
    throw LearnError("imbalance factor must be a finite number >= 1, got \(imbalance)")
  }
  let n = Double(nMax)
  switch profile {
  case .exp:
    return (0..<k).map { r in
      let e = k == 1 ? 0 : Double(r) / Double(k - 1)
      // Truncation as in the CIFAR-LT code: int(n_max * (1/IF)**(r/(K-1))).
      return Int(n * dpow(1 / imbalance, e))
    }
  case .pareto:
    let a = k == 1 ? 0 : dlog(imbalance) / dlog(Double(k))
    return (0..<k).map { r in max(1, Int(n * dpow(Double(r + 1), -a) + 1e-9)) }
  case .step:
    return (0..<k).map { r in r < k / 2 ? nMax : max(1, Int(n / imbalance + 1e-9)) }
  }
}

extension Dataset {
  /// A long-tailed subset: the class of rank `r` keeps `n_r` samples (the first ones after
  /// a seeded shuffle of that class), with `n_r` from `profile`, `imbalance` = n_max/n_min
  /// and `maxPerClass` = n_max. A class with fewer samples than its `n_r` keeps all it has.
  public func longtail(
    imbalance: Double, profile: LongTailProfile = .exp, order: ClassOrder = .random,
    maxPerClass: Int = 500, seed: UInt64
  ) throws -> Dataset {
    let k = nClasses
    var perRank = try longTailCounts(
      classes: k, maxPerClass: maxPerClass, imbalance: imbalance, profile: profile)
    var rng = SeededRandom(seed: seed)
    let rankedClasses: [Int]
    switch order {
    case .random: rankedClasses = rng.permutation(k)
    case .classIndex: rankedClasses = Array(0..<k)
    case .consistent(let p), .reverse(let p):
      try checkPrior(p, count: k, "order prior")
      let desc = (0..<k).sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
      if case .reverse = order { rankedClasses = desc.reversed() } else { rankedClasses = desc }
    case .balanced:
      rankedClasses = Array(0..<k)
      let each = max(1, perRank.reduce(0, +) / k)
      perRank = [Int](repeating: each, count: k)
    }
    var keep: [Int] = []
    let byClass = indicesByClass()
    for (rank, c) in rankedClasses.enumerated() {
      var idx = byClass[c]
      var crng = rng.derived(UInt64(c))
      crng.shuffle(&idx)
      keep.append(contentsOf: idx.prefix(perRank[rank]))
    }
    return subset(keep.sorted())
  }
}
