/// Random tensors. Each function takes a shape and either a `seed` (a fresh
/// generator) or an explicit generator; without either it draws from the
/// global generator that `Tensor.seed(_:)` resets. Streams are identical on
/// every machine (see RandomGenerator).
extension Tensor {
  /// Resets the global generator.
  public static func seed(_ seed: UInt64) { GlobalRandom.shared.reseed(seed) }

  static func withGenerator<R>(_ seed: UInt64?, _ body: (inout RandomGenerator) throws -> R) rethrows -> R {
    if let seed {
      var g = RandomGenerator(seed: seed)
      return try body(&g)
    }
    return try GlobalRandom.shared.with(body)
  }

  static func fill(_ shape: [Int], _ dtype: DType, _ g: inout RandomGenerator, _ draw: (inout RandomGenerator) -> Double) throws -> Tensor {
    let t = try Tensor.empty(shape, dtype)
    for i in 0..<t.count { writeDouble(draw(&g), into: t, at: i) }
    return t
  }

  /// Uniform samples in [0, 1).
  public static func rand(_ shape: [Int], seed: UInt64? = nil, dtype: DType = .float32) throws -> Tensor {
    try withGenerator(seed) { try rand(shape, using: &$0, dtype: dtype) }
  }

  /// Uniform samples in [0, 1) from `g`.
  public static func rand(_ shape: [Int], using g: inout RandomGenerator, dtype: DType = .float32) throws -> Tensor {
    // float32 rounding of a 53-bit value could give exactly 1.0; use 24 bits instead
    if dtype == .float32 { return try fill(shape, dtype, &g) { Double($0.next() >> 40) * 0x1.0p-24 } }
    return try fill(shape, dtype, &g) { $0.nextDouble() }
  }

  /// Standard normal samples.
  public static func randn(_ shape: [Int], seed: UInt64? = nil, dtype: DType = .float32) throws -> Tensor {
    try withGenerator(seed) { try randn(shape, using: &$0, dtype: dtype) }
  }

  /// Standard normal samples from `g`.
  public static func randn(_ shape: [Int], using g: inout RandomGenerator, dtype: DType = .float32) throws -> Tensor {
    try fill(shape, dtype, &g) { $0.nextNormal() }
  }

  /// Uniform int32 samples in [low, high).
  public static func randint(_ low: Int, _ high: Int, _ shape: [Int], seed: UInt64? = nil) throws -> Tensor {
    try withGenerator(seed) { try randint(low, high, shape, using: &$0) }
  }

  /// Uniform int32 samples in [low, high) from `g`.
  public static func randint(_ low: Int, _ high: Int, _ shape: [Int], using g: inout RandomGenerator) throws -> Tensor {
    guard low < high else { throw TensorError("randint needs low < high, got \(low) >= \(high)") }
    guard low >= Int(Int32.min), high <= Int(Int32.max) + 1 else { throw TensorError("randint bounds must fit in int32") }
    let span = UInt64(high - low)
    return try fill(shape, .int32, &g) { Double(low + Int($0.nextInt(below: span))) }
  }

  /// A random permutation of 0..<n (int32), by Fisher–Yates.
  public static func permutation(_ n: Int, seed: UInt64? = nil) throws -> Tensor {
    try withGenerator(seed) { try permutation(n, using: &$0) }
  }

  /// A random permutation of 0..<n from `g`.
  public static func permutation(_ n: Int, using g: inout RandomGenerator) throws -> Tensor {
    guard n >= 0 && n <= Int(Int32.max) else { throw TensorError("permutation size \(n) is out of range") }
    var p = (0..<n).map { Int32($0) }
    if n > 1 {
      for i in stride(from: n - 1, to: 0, by: -1) {
        p.swapAt(i, Int(g.nextInt(below: UInt64(i + 1))))
      }
    }
    return try Tensor(int32s: p, shape: [n])
  }

  /// The rows (axis 0) in random order.
  public func shuffled(seed: UInt64? = nil) throws -> Tensor {
    guard ndim >= 1 else { return self }
    return try take(Tensor.permutation(shape[0], seed: seed), axis: 0)
  }

  /// `size` indices drawn from 0..<n (int32), with replacement or not, with
  /// optional probabilities `p` (which must be non-negative and sum to 1).
  public static func choice(_ n: Int, size: Int, replace: Bool = true, p: Tensor? = nil, seed: UInt64? = nil) throws -> Tensor {
    try withGenerator(seed) { try choice(n, size: size, replace: replace, p: p, using: &$0) }
  }

  /// `choice` drawing from `g`.
  public static func choice(_ n: Int, size: Int, replace: Bool = true, p: Tensor? = nil, using g: inout RandomGenerator) throws -> Tensor {
    guard n >= 0, size >= 0 else { throw TensorError("choice needs non-negative n and size, got \(n) and \(size)") }
    guard replace || size <= n else { throw TensorError("cannot take \(size) samples from \(n) without replacement") }
    var weights: [Double]? = nil
    if let p {
      let w = p.toDoubles()
      guard w.count == n else { throw TensorError("choice: p has \(w.count) entries, expected \(n)") }
      guard w.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw TensorError("choice: probabilities must be non-negative and finite") }
      let total = w.reduce(0, +)
      guard Swift.abs(total - 1) < 1e-6 else { throw TensorError("choice: probabilities sum to \(total), not 1") }
      if !replace && w.filter({ $0 > 0 }).count < size {
        throw TensorError("cannot take \(size) samples without replacement: only \(w.filter { $0 > 0 }.count) have nonzero probability")
      }
      weights = w
    }
    guard n > 0 || size == 0 else { throw TensorError("choice: cannot sample from an empty range") }
    var out = [Int32]()
    out.reserveCapacity(size)
    if let w = weights {
      var remaining = w
      for _ in 0..<size {
        let total = remaining.reduce(0, +)
        let u = g.nextDouble() * total
        var acc = 0.0, pick = remaining.lastIndex(where: { $0 > 0 }) ?? 0
        for (i, x) in remaining.enumerated() {
          acc += x
          if u < acc && x > 0 {
            pick = i
            break
          }
        }
        out.append(Int32(pick))
        if !replace { remaining[pick] = 0 }
      }
    } else if replace {
      for _ in 0..<size { out.append(Int32(g.nextInt(below: UInt64(n)))) }
    } else {
      out = Array(try permutation(n, using: &g).toInt32s().prefix(size))
    }
    return try Tensor(int32s: out, shape: [size])
  }
}
