import Foundation

/// Elementwise operations as types rather than closures.
///
/// The parallel loops hand their body to C threads, which hides a closure
/// argument from the optimiser: every element then costs an indirect call
/// (measured: 10x slower, no vectorisation). A kernel type is a generic
/// parameter instead, so each loop is specialised and inlined per op.
protocol BinaryKernel {
  associatedtype A
  associatedtype B
  associatedtype R
  static func apply(_ a: A, _ b: B) -> R
}

protocol UnaryKernel {
  associatedtype A
  associatedtype R
  static func apply(_ a: A) -> R
}

typealias FloatElement = BinaryFloatingPoint & ElementaryMath

enum AddK<T: FloatElement>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> T { a + b } }
enum SubK<T: FloatElement>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> T { a - b } }
enum MulK<T: FloatElement>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> T { a * b } }
enum DivK<T: FloatElement>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> T { a / b } }
enum ModK<T: FloatElement>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> T { flooredMod(a, b) } }
enum PowK<T: FloatElement>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> T { T.power(a, b) } }
enum MaxK<T: FloatElement>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> T { nanMax(a, b) } }
enum MinK<T: FloatElement>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> T { nanMin(a, b) } }

enum IAddK: BinaryKernel { @inline(__always) static func apply(_ a: Int32, _ b: Int32) -> Int32 { a &+ b } }
enum ISubK: BinaryKernel { @inline(__always) static func apply(_ a: Int32, _ b: Int32) -> Int32 { a &- b } }
enum IMulK: BinaryKernel { @inline(__always) static func apply(_ a: Int32, _ b: Int32) -> Int32 { a &* b } }
enum IModK: BinaryKernel { @inline(__always) static func apply(_ a: Int32, _ b: Int32) -> Int32 { flooredMod(a, b) } }
enum IMaxK: BinaryKernel { @inline(__always) static func apply(_ a: Int32, _ b: Int32) -> Int32 { Swift.max(a, b) } }
enum IMinK: BinaryKernel { @inline(__always) static func apply(_ a: Int32, _ b: Int32) -> Int32 { Swift.min(a, b) } }

enum EqK<T: Comparable>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> UInt8 { a == b ? 1 : 0 } }
enum NeK<T: Comparable>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> UInt8 { a != b ? 1 : 0 } }
enum LtK<T: Comparable>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> UInt8 { a < b ? 1 : 0 } }
enum LeK<T: Comparable>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> UInt8 { a <= b ? 1 : 0 } }
enum GtK<T: Comparable>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> UInt8 { a > b ? 1 : 0 } }
enum GeK<T: Comparable>: BinaryKernel { @inline(__always) static func apply(_ a: T, _ b: T) -> UInt8 { a >= b ? 1 : 0 } }
enum AndK: BinaryKernel { @inline(__always) static func apply(_ a: UInt8, _ b: UInt8) -> UInt8 { a & b } }
enum OrK: BinaryKernel { @inline(__always) static func apply(_ a: UInt8, _ b: UInt8) -> UInt8 { a | b } }

enum NegK<T: FloatElement>: UnaryKernel { @inline(__always) static func apply(_ a: T) -> T { -a } }
enum ExpK<T: FloatElement>: UnaryKernel { @inline(__always) static func apply(_ a: T) -> T { T.expo(a) } }
enum LogK<T: FloatElement>: UnaryKernel { @inline(__always) static func apply(_ a: T) -> T { T.logarithm(a) } }
enum SqrtK<T: FloatElement>: UnaryKernel { @inline(__always) static func apply(_ a: T) -> T { a.squareRoot() } }
enum AbsK<T: FloatElement>: UnaryKernel { @inline(__always) static func apply(_ a: T) -> T { Swift.abs(a) } }
enum SigmoidK<T: FloatElement>: UnaryKernel { @inline(__always) static func apply(_ a: T) -> T { 1 / (1 + T.expo(-a)) } }
enum TanhK<T: FloatElement>: UnaryKernel { @inline(__always) static func apply(_ a: T) -> T { T.hyperbolicTangent(a) } }
enum FloorK<T: FloatElement>: UnaryKernel { @inline(__always) static func apply(_ a: T) -> T { a.rounded(.down) } }
enum CeilK<T: FloatElement>: UnaryKernel { @inline(__always) static func apply(_ a: T) -> T { a.rounded(.up) } }
enum RoundK<T: FloatElement>: UnaryKernel { @inline(__always) static func apply(_ a: T) -> T { a.rounded(.toNearestOrEven) } }
enum INegK: UnaryKernel { @inline(__always) static func apply(_ a: Int32) -> Int32 { 0 &- a } }
enum IAbsK: UnaryKernel { @inline(__always) static func apply(_ a: Int32) -> Int32 { a < 0 ? 0 &- a : a } }

/// A vectorised C row kernel for a binary op (CLTKernels' lt_binary_* and
/// lt_compare_*): `(a, strideA, b, strideB, out, n)` with strides 0 or 1,
/// returning 0, or nonzero when it does not handle the pattern.
typealias CRowKernel<A, B, R> = (UnsafePointer<A>, Int, UnsafePointer<B>, Int, UnsafeMutablePointer<R>, Int) -> Int32

/// Applies kernel `K` to two broadcast operands into a new contiguous tensor.
/// `cRow`, when given, computes the same values as `K` in vector code; it is
/// used for rows whose operands are contiguous or one broadcast value.
func zipMap<K: BinaryKernel>(
  _ a: Tensor, _ b: Tensor, shape: [Int], out dtype: DType, _: K.Type, cRow: CRowKernel<K.A, K.B, K.R>? = nil
) throws -> Tensor {
  let out = try Tensor.empty(shape, dtype, zeroed: false)
  if out.count == 0 { return out }
  let pa = a.pointer(K.A.self), pb = b.pointer(K.B.self), po = out.pointer(K.R.self)
  // Same-shape contiguous operands (the common case) or one of them a single
  // value: one long row, without building a StridedLoop (a few array
  // allocations that cost ~5% of an in-cache op of 100K elements).
  let flatA = a.shape == shape && a.isContiguous, flatB = b.shape == shape && b.isContiguous
  if (flatA || a.count == 1) && (flatB || b.count == 1) && out.count >= 32 && (flatA || flatB) {
    let sa = flatA ? 1 : 0, sb = flatB ? 1 : 0
    parallelFor(out.count, grain: 1 << 18) { i0, i1 in
      let x = pa + i0 * sa, y = pb + i0 * sb, o = po + i0, n = i1 - i0
      if let cRow, cRow(x, sa, y, sb, o, n) == 0 { return }
      zipRow(K.self, x, sa, y, sb, o, n)
    }
    return out
  }
  let loop = StridedLoop(shape: shape, strides: [a.broadcastStrides(to: shape), b.broadcastStrides(to: shape)])
  let sa = loop.innerStride(0), sb = loop.innerStride(1)
  // Short rows stay in Swift: a C call per row of a few elements costs more than it saves.
  let c = loop.inner >= 32 && (sa == 0 || sa == 1) && (sb == 0 || sb == 1) && sa + sb > 0 ? cRow : nil
  @inline(__always) func row(_ x: UnsafePointer<K.A>, _ y: UnsafePointer<K.B>, _ o: UnsafeMutablePointer<K.R>, _ n: Int) {
    if let c, c(x, sa, y, sb, o, n) == 0 { return }
    zipRow(K.self, x, sa, y, sb, o, n)
  }
  if loop.rows == 1 {
    parallelFor(loop.inner, grain: 1 << 18) { i0, i1 in
      row(pa + i0 * sa, pb + i0 * sb, po + i0, i1 - i0)
    }
  } else {
    let n = loop.inner
    parallelFor(loop.rows, grain: Swift.max(1, (1 << 18) / n)) { r0, r1 in
      loop.forEachRow(r0..<r1) { start, offs in row(pa + offs[0], pb + offs[1], po + start, n) }
    }
  }
  return out
}

/// One inner row of a binary op, with the common stride patterns split out
/// so the contiguous ones vectorise.
@inline(__always)
func zipRow<K: BinaryKernel>(
  _: K.Type, _ x: UnsafePointer<K.A>, _ sa: Int, _ y: UnsafePointer<K.B>, _ sb: Int, _ o: UnsafeMutablePointer<K.R>, _ n: Int
) {
  if sa == 1 && sb == 1 {
    for i in 0..<n { o[i] = K.apply(x[i], y[i]) }
  } else if sa == 1 && sb == 0 {
    let v = y[0]
    for i in 0..<n { o[i] = K.apply(x[i], v) }
  } else if sa == 0 && sb == 1 {
    let v = x[0]
    for i in 0..<n { o[i] = K.apply(v, y[i]) }
  } else {
    for i in 0..<n { o[i] = K.apply(x[i * sa], y[i * sb]) }
  }
}

/// Applies kernel `K` to every element of `t` (made contiguous) into a new tensor.
func mapElements<K: UnaryKernel>(_ t: Tensor, out dtype: DType, _: K.Type) throws -> Tensor {
  let src = try t.contiguous()
  let out = try Tensor.empty(t.shape, dtype, zeroed: false)
  let p = src.pointer(K.A.self), o = out.pointer(K.R.self)
  parallelFor(out.count, grain: 1 << 18) { i0, i1 in
    mapRow(K.self, p + i0, o + i0, i1 - i0)
  }
  return out
}

@inline(__always)
func mapRow<K: UnaryKernel>(_: K.Type, _ p: UnsafePointer<K.A>, _ o: UnsafeMutablePointer<K.R>, _ n: Int) {
  for i in 0..<n { o[i] = K.apply(p[i]) }
}
