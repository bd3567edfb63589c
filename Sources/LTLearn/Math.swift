// Elementwise math: libm access, a vectorised exp, stable softmax and log-sum-exp rows.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#elseif canImport(Musl)
  import Musl
#endif

@inline(__always) func dlog(_ x: Double) -> Double { log(x) }
@inline(__always) func dexp(_ x: Double) -> Double { exp(x) }
@inline(__always) func dsin(_ x: Double) -> Double { sin(x) }
@inline(__always) func dcos(_ x: Double) -> Double { cos(x) }
@inline(__always) func dpow(_ x: Double, _ y: Double) -> Double { pow(x, y) }

/// exp on eight lanes: Cephes' expf polynomial (relative error about 1e-7) with the
/// power of two built from exponent bits. Inputs are clamped to [-87.3, 88.37], so the
/// result is never inf, NaN or denormal for finite input.
@inline(__always)
func exp8(_ v: SIMD8<Float>) -> SIMD8<Float> {
  // Clamp with masks: the stdlib's generic pointwiseMin/Max are not inlined here.
  var x = v.replacing(with: 88.37, where: v .> 88.37)
  x.replace(with: -87.3, where: x .< -87.3)
  let magic: Float = 12_582_912  // 1.5 * 2^23: adding it rounds to an integer
  let t = x * 1.442_695_04 + magic
  let n = t - magic
  var r = x - n * 0.693_359_375
  r = r - n * -2.121_944_4e-4
  var p = r * 1.987_569_15e-4 + 1.398_199_950_7e-3
  p = p * r + 8.333_451_907_3e-3
  p = p * r + 4.166_579_589_4e-2
  p = p * r + 1.666_666_545_9e-1
  p = p * r + 5.000_000_120_1e-1
  p = p * (r * r) + r + 1
  let ni = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
  let scale = unsafeBitCast((ni &+ 127) &<< 23, to: SIMD8<Float>.self)
  return p * scale
}

/// In place: `row[j] = exp(row[j] - shift)`; returns the sum (in Double).
@inline(__always)
func expShiftedSum(_ row: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> Double {
  var j = 0
  var acc = SIMD8<Float>(repeating: 0)
  var total = 0.0
  let s = SIMD8<Float>(repeating: shift)
  while j + 8 <= n {
    let e = exp8(UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self) - s)
    UnsafeMutableRawPointer(row + j).storeBytes(of: e, as: SIMD8<Float>.self)
    acc += e
    j += 8
    if j % 512 == 0 {
      total += Double(acc.sum())
      acc = .zero
    }
  }
  total += Double(acc.sum())
  while j < n {
    let e = expf(row[j] - shift)
    row[j] = e
    total += Double(e)
    j += 1
  }
  return total
}

@inline(__always)
func rowMax(_ row: UnsafePointer<Float>, _ n: Int) -> Float {
  var j = 0
  var mv = SIMD8<Float>(repeating: -.infinity)
  while j + 8 <= n {
    let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
    mv.replace(with: v, where: v .> mv)
    j += 8
  }
  var m = mv.max()
  while j < n {
    if row[j] > m { m = row[j] }
    j += 1
  }
  return m
}

extension Matrix {
  /// Row-wise softmax, computed stably (max subtracted).
  public func softmaxRows() -> Matrix {
    var out = self
    out.softmaxRowsInPlace()
    return out
  }

  mutating func softmaxRowsInPlace() {
    let (m, n) = (rows, cols)
    if n == 0 { return }
    data.withUnsafeMutableBufferPointer { buf in
      guard let base = buf.baseAddress else { return }
      for i in 0..<m {
        let row = base + i * n
        let mx = rowMax(row, n)
        let inv = Float(1 / expShiftedSum(row, n, shift: mx))
        for j in 0..<n { row[j] *= inv }
      }
    }
  }

  /// Row-wise log-sum-exp, in Double.
  public func logSumExpRows() -> [Double] {
    var out = [Double](repeating: 0, count: rows)
    let n = cols
    if n == 0 { return out.map { _ in -.infinity } }
    var scratch = [Float](repeating: 0, count: n)
    data.withUnsafeBufferPointer { src in
      scratch.withUnsafeMutableBufferPointer { sp in
        guard let s = sp.baseAddress, let b = src.baseAddress else { return }
        for i in 0..<rows {
          s.update(from: b + i * n, count: n)
          let mx = rowMax(s, n)
          out[i] = Double(mx) + log(expShiftedSum(s, n, shift: mx))
        }
      }
    }
    return out
  }
}
