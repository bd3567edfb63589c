import Foundation

/// A seedable PCG64 (XSL-RR 128/64) generator with the same stream on every
/// machine: integer arithmetic only, 128-bit state kept as two UInt64s so it
/// does not depend on platform UInt128 support.
///
/// A value type: copying a generator forks its stream, and `inout` use keeps
/// the sequence explicit (LTLearn threads one through training loops).
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
  private var stateHi: UInt64, stateLo: UInt64
  private let incHi: UInt64, incLo: UInt64
  private var spareNormal: Double?

  private static let multHi: UInt64 = 0x2360_ED05_1FC6_5DA4
  private static let multLo: UInt64 = 0x4385_DF64_9FCC_F645

  /// A generator whose stream is determined by `seed` (expanded with splitmix64).
  public init(seed: UInt64) {
    var sm = seed
    func splitmix() -> UInt64 {
      sm &+= 0x9E37_79B9_7F4A_7C15
      var z = sm
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    let (s0, s1, i0, i1) = (splitmix(), splitmix(), splitmix(), splitmix())
    incHi = i0
    incLo = i1 | 1
    stateHi = 0
    stateLo = 0
    step()
    let (lo, carry) = stateLo.addingReportingOverflow(s1)
    stateLo = lo
    stateHi = stateHi &+ s0 &+ (carry ? 1 : 0)
    step()
  }

  private mutating func step() {
    // state = state * mult + inc (mod 2^128)
    let (h, l) = stateLo.multipliedFullWidth(by: Self.multLo)
    let hi = h &+ stateLo &* Self.multHi &+ stateHi &* Self.multLo
    let (lo, carry) = l.addingReportingOverflow(incLo)
    stateLo = lo
    stateHi = hi &+ incHi &+ (carry ? 1 : 0)
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    step()
    let rot = stateHi >> 58
    let x = stateHi ^ stateLo
    return (x >> rot) | (x << ((64 &- rot) & 63))
  }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// Uniform integer in [0, n) without modulo bias (Lemire's method); 0 when n is 0.
  public mutating func nextInt(below n: UInt64) -> UInt64 {
    if n == 0 { return 0 }
    var (hi, lo) = next().multipliedFullWidth(by: n)
    if lo < n {
      let threshold = (0 &- n) % n
      while lo < threshold { (hi, lo) = next().multipliedFullWidth(by: n) }
    }
    return hi
  }

  /// Standard normal sample (Marsaglia's polar method: only `log` and `sqrt`
  /// from libm, and values come in cached pairs).
  public mutating func nextNormal() -> Double {
    if let s = spareNormal {
      spareNormal = nil
      return s
    }
    while true {
      let u = 2 * nextDouble() - 1, v = 2 * nextDouble() - 1
      let s = u * u + v * v
      if s >= 1 || s == 0 { continue }
      let f = (-2 * Foundation.log(s) / s).squareRoot()
      spareNormal = v * f
      return u * f
    }
  }
}

/// The process-wide generator behind `seed(n)` and unseeded random calls.
final class GlobalRandom: @unchecked Sendable {
  static let shared = GlobalRandom()
  private let lock = NSLock()
  private var generator = RandomGenerator(seed: 0)

  func reseed(_ seed: UInt64) {
    lock.lock()
    generator = RandomGenerator(seed: seed)
    lock.unlock()
  }

  /// Runs `body` with exclusive access to the generator.
  func with<R>(_ body: (inout RandomGenerator) throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    return try body(&generator)
  }
}
