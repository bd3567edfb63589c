// A seeded random generator whose streams are identical on every machine.

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): a 64-bit counter passed through a bijective mixer.
///
/// Every draw in LTLearn comes from one of these, seeded explicitly, so a seed fixes
/// every dataset, initialisation and mini-batch order. Normals use Box–Muller in Double.
public struct SeededRandom: Sendable, RandomNumberGenerator {
  private var state: UInt64
  private var spareNormal: Double?

  public init(seed: UInt64) {
    state = seed
    spareNormal = nil
  }

  /// A generator for an independent sub-stream, labelled by `stream` (e.g. a model index).
  public func derived(_ stream: UInt64) -> SeededRandom {
    var mixer = SeededRandom(seed: state ^ (stream &* 0xD1B5_4A32_D192_ED03))
    return SeededRandom(seed: mixer.next())
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// Uniform integer in `0..<n` (`n > 0`), without modulo bias.
  public mutating func int(below n: Int) -> Int {
    if n <= 1 { return 0 }
    let bound = UInt64(n)
    let limit = UInt64.max - UInt64.max % bound
    while true {
      let x = next()
      if x < limit { return Int(x % bound) }
    }
  }

  /// Standard normal by the Box–Muller transform; the second value is kept for the next call.
  public mutating func normal() -> Double {
    if let s = spareNormal {
      spareNormal = nil
      return s
    }
    var u1 = uniform()
    while u1 <= 0 { u1 = uniform() }
    let u2 = uniform()
    let r = (-2 * dlog(u1)).squareRoot()
    let t = 2 * Double.pi * u2
    spareNormal = r * dsin(t)
    return r * dcos(t)
  }

  /// Fisher–Yates shuffle in place.
  public mutating func shuffle<T>(_ a: inout [T]) {
    if a.count < 2 { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) {
      let j = int(below: i + 1)
      if i != j { a.swapAt(i, j) }
    }
  }

  /// A random permutation of `0..<n`.
  public mutating func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<max(n, 0))
    shuffle(&p)
    return p
  }

  /// One draw from the categorical distribution with probabilities `p` (need not sum to 1).
  public mutating func categorical(_ p: [Double]) -> Int {
    let total = p.reduce(0, +)
    var u = uniform() * total
    for (i, w) in p.enumerated() {
      u -= w
      if u < 0 { return i }
    }
    return max(p.count - 1, 0)
  }
}

/// Many draws from one categorical distribution: binary search on the cumulative sums.
struct CategoricalSampler: Sendable {
  let cumulative: [Double]

  init(_ p: [Double]) {
    var acc = 0.0
    cumulative = p.map {
      acc += $0
      return acc
    }
  }

  func draw(_ rng: inout SeededRandom) -> Int {
    guard let total = cumulative.last, total > 0 else { return 0 }
    let u = rng.uniform() * total
    var lo = 0
    var hi = cumulative.count - 1
    while lo < hi {
      let mid = (lo + hi) / 2
      if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }
}
