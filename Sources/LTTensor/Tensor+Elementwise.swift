import Foundation

/// Binary arithmetic and comparisons with broadcasting.
///
/// Operands are promoted (DType.promote) before the op; division and `pow` of
/// integers give float32, other integer arithmetic wraps like int32 in C,
/// bool arithmetic is done in int32. A number operand is "weak" (as a Python
/// scalar in NumPy 2): it takes the tensor's dtype, except that a fractional
/// number with an integer tensor gives float32.
public enum BinaryOp: String, Sendable, CaseIterable {
  case add, sub, mul, div, mod, pow, maximum, minimum
}

/// Elementwise comparisons; the result is a bool tensor.
public enum CompareOp: String, Sendable, CaseIterable {
  case eq, ne, lt, le, gt, ge
}

/// NumPy's floored modulo: the result has the sign of the divisor.
@inline(__always)
func flooredMod<T: FloatingPoint>(_ a: T, _ b: T) -> T {
  let r = a.truncatingRemainder(dividingBy: b)
  return (r != 0 && (r < 0) != (b < 0)) ? r + b : r
}

@inline(__always)
func flooredMod(_ a: Int32, _ b: Int32) -> Int32 {
  if b == 0 { return 0 }
  if b == -1 { return 0 }   // Int32.min % -1 would trap
  let r = a % b
  return (r != 0 && (r < 0) != (b < 0)) ? r &+ b : r
}

@inline(__always)
func nanMax<T: FloatingPoint>(_ a: T, _ b: T) -> T { (a.isNaN || b.isNaN) ? .nan : Swift.max(a, b) }
@inline(__always)
func nanMin<T: FloatingPoint>(_ a: T, _ b: T) -> T { (a.isNaN || b.isNaN) ? .nan : Swift.min(a, b) }

/// Applies `f` to two broadcast operands into a new contiguous tensor.
@inline(__always)
func zipMap<A, B, R>(
  _ a: Tensor, _ b: Tensor, shape: [Int], out dtype: DType,
  _: A.Type, _: B.Type, _: R.Type, _ f: (A, B) -> R
) throws -> Tensor {
  let out = try Tensor.empty(shape, dtype)
  if out.count == 0 { return out }
  let loop = StridedLoop(shape: shape, strides: [a.broadcastStrides(to: shape), b.broadcastStrides(to: shape)])
  let pa = a.pointer(A.self), pb = b.pointer(B.self), po = out.pointer(R.self)
  let sa = loop.innerStride(0), sb = loop.innerStride(1)
  func run(_ x: UnsafePointer<A>, _ y: UnsafePointer<B>, _ o: UnsafeMutablePointer<R>, _ n: Int) {
    if sa == 1 && sb == 1 {
      for i in 0..<n { o[i] = f(x[i], y[i]) }
    } else if sa == 1 && sb == 0 {
      let v = y[0]
      for i in 0..<n { o[i] = f(x[i], v) }
    } else if sa == 0 && sb == 1 {
      let v = x[0]
      for i in 0..<n { o[i] = f(v, y[i]) }
    } else {
      for i in 0..<n { o[i] = f(x[i * sa], y[i * sb]) }
    }
  }
  if loop.rows == 1 {
    parallelFor(loop.inner, grain: 1 << 17) { i0, i1 in
      run(pa + i0 * sa, pb + i0 * sb, po + i0, i1 - i0)
    }
  } else {
    let n = loop.inner
    parallelFor(loop.rows, grain: Swift.max(1, (1 << 17) / n)) { r0, r1 in
      loop.forEachRow(r0..<r1) { start, offs in run(pa + offs[0], pb + offs[1], po + start, n) }
    }
  }
  return out
}

extension Tensor {
  /// `self op other` elementwise with broadcasting.
  public func binary(_ op: BinaryOp, _ other: Tensor) throws -> Tensor {
    let shape = try broadcastShape(self.shape, other.shape)
    var dt = DType.promote(dtype, other.dtype)
    if dt == .bool { dt = .int32 }
    if (op == .div || op == .pow) && !dt.isFloat { dt = .float32 }
    let a = try astype(dt), b = try other.astype(dt)
    switch dt {
    case .float32: return try Tensor.floatBinary(op, a, b, shape, Float.self)
    case .float64: return try Tensor.floatBinary(op, a, b, shape, Double.self)
    default:
      let I = Int32.self
      switch op {
      case .add: return try zipMap(a, b, shape: shape, out: .int32, I, I, I) { $0 &+ $1 }
      case .sub: return try zipMap(a, b, shape: shape, out: .int32, I, I, I) { $0 &- $1 }
      case .mul: return try zipMap(a, b, shape: shape, out: .int32, I, I, I) { $0 &* $1 }
      case .mod: return try zipMap(a, b, shape: shape, out: .int32, I, I, I) { flooredMod($0, $1) }
      case .maximum: return try zipMap(a, b, shape: shape, out: .int32, I, I, I) { Swift.max($0, $1) }
      case .minimum: return try zipMap(a, b, shape: shape, out: .int32, I, I, I) { Swift.min($0, $1) }
      case .div, .pow: return try zipMap(a, b, shape: shape, out: .int32, I, I, I) { _, _ in 0 }  // unreachable: promoted to float
      }
    }
  }

  static func floatBinary<T: BinaryFloatingPoint & ElementaryMath>(
    _ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ shape: [Int], _: T.Type
  ) throws -> Tensor {
    let dt = a.dtype
    switch op {
    case .add: return try zipMap(a, b, shape: shape, out: dt, T.self, T.self, T.self) { $0 + $1 }
    case .sub: return try zipMap(a, b, shape: shape, out: dt, T.self, T.self, T.self) { $0 - $1 }
    case .mul: return try zipMap(a, b, shape: shape, out: dt, T.self, T.self, T.self) { $0 * $1 }
    case .div: return try zipMap(a, b, shape: shape, out: dt, T.self, T.self, T.self) { $0 / $1 }
    case .mod: return try zipMap(a, b, shape: shape, out: dt, T.self, T.self, T.self) { flooredMod($0, $1) }
    case .pow: return try zipMap(a, b, shape: shape, out: dt, T.self, T.self, T.self) { T.power($0, $1) }
    case .maximum: return try zipMap(a, b, shape: shape, out: dt, T.self, T.self, T.self) { nanMax($0, $1) }
    case .minimum: return try zipMap(a, b, shape: shape, out: dt, T.self, T.self, T.self) { nanMin($0, $1) }
    }
  }

  /// Elementwise comparison with broadcasting; NaN compares unequal to everything.
  public func compare(_ op: CompareOp, _ other: Tensor) throws -> Tensor {
    let shape = try broadcastShape(self.shape, other.shape)
    let dt = DType.promote(dtype, other.dtype)
    let a = try astype(dt), b = try other.astype(dt)
    func cmp<T: Comparable>(_: T.Type) throws -> Tensor {
      let U = UInt8.self
      switch op {
      case .eq: return try zipMap(a, b, shape: shape, out: .bool, T.self, T.self, U) { $0 == $1 ? 1 : 0 }
      case .ne: return try zipMap(a, b, shape: shape, out: .bool, T.self, T.self, U) { $0 != $1 ? 1 : 0 }
      case .lt: return try zipMap(a, b, shape: shape, out: .bool, T.self, T.self, U) { $0 < $1 ? 1 : 0 }
      case .le: return try zipMap(a, b, shape: shape, out: .bool, T.self, T.self, U) { $0 <= $1 ? 1 : 0 }
      case .gt: return try zipMap(a, b, shape: shape, out: .bool, T.self, T.self, U) { $0 > $1 ? 1 : 0 }
      case .ge: return try zipMap(a, b, shape: shape, out: .bool, T.self, T.self, U) { $0 >= $1 ? 1 : 0 }
      }
    }
    switch dt {
    case .float32: return try cmp(Float.self)
    case .float64: return try cmp(Double.self)
    case .int32: return try cmp(Int32.self)
    case .bool: return try cmp(UInt8.self)
    }
  }

  /// Elementwise logical and (nonzero is true); the result is bool.
  public func logicalAnd(_ other: Tensor) throws -> Tensor {
    let shape = try broadcastShape(self.shape, other.shape)
    let a = try astype(.bool), b = try other.astype(.bool)
    return try zipMap(a, b, shape: shape, out: .bool, UInt8.self, UInt8.self, UInt8.self) { $0 & $1 }
  }

  /// Elementwise logical or (nonzero is true); the result is bool.
  public func logicalOr(_ other: Tensor) throws -> Tensor {
    let shape = try broadcastShape(self.shape, other.shape)
    let a = try astype(.bool), b = try other.astype(.bool)
    return try zipMap(a, b, shape: shape, out: .bool, UInt8.self, UInt8.self, UInt8.self) { $0 | $1 }
  }

  /// Elementwise logical not; the result is bool.
  public func logicalNot() throws -> Tensor {
    try astype(.bool).compare(.eq, Tensor(scalar: 0, dtype: .bool))
  }

  /// A 0-d tensor for a number combined with this tensor (the "weak scalar" rule).
  public func scalarLike(_ v: Double) -> Tensor {
    if dtype.isFloat { return Tensor(scalar: v, dtype: dtype) }
    if v.rounded() == v && Swift.abs(v) < 2147483648 { return Tensor(scalar: v, dtype: .int32) }
    return Tensor(scalar: v, dtype: .float32)
  }

  /// `self op v` for a number `v`.
  public func binary(_ op: BinaryOp, _ v: Double) throws -> Tensor { try binary(op, scalarLike(v)) }
  /// `v op self` for a number `v`.
  public func binary(_ op: BinaryOp, reversed v: Double) throws -> Tensor { try scalarLike(v).binary(op, self) }
  /// `self op v` for a number `v`.
  public func compare(_ op: CompareOp, _ v: Double) throws -> Tensor { try compare(op, scalarLike(v)) }

  public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.add, b) }
  public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.sub, b) }
  public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.mul, b) }
  public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.div, b) }
  public static func % (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.mod, b) }
  public static func + (a: Tensor, b: Double) throws -> Tensor { try a.binary(.add, b) }
  public static func - (a: Tensor, b: Double) throws -> Tensor { try a.binary(.sub, b) }
  public static func * (a: Tensor, b: Double) throws -> Tensor { try a.binary(.mul, b) }
  public static func / (a: Tensor, b: Double) throws -> Tensor { try a.binary(.div, b) }
  public static func % (a: Tensor, b: Double) throws -> Tensor { try a.binary(.mod, b) }
  public static func + (a: Double, b: Tensor) throws -> Tensor { try b.binary(.add, reversed: a) }
  public static func - (a: Double, b: Tensor) throws -> Tensor { try b.binary(.sub, reversed: a) }
  public static func * (a: Double, b: Tensor) throws -> Tensor { try b.binary(.mul, reversed: a) }
  public static func / (a: Double, b: Tensor) throws -> Tensor { try b.binary(.div, reversed: a) }
}

/// The transcendental functions the kernels need, for Float and Double.
protocol ElementaryMath {
  static func power(_ a: Self, _ b: Self) -> Self
  static func expo(_ x: Self) -> Self
  static func logarithm(_ x: Self) -> Self
  static func hyperbolicTangent(_ x: Self) -> Self
}

extension Float: ElementaryMath {
  static func power(_ a: Float, _ b: Float) -> Float { Foundation.pow(a, b) }
  static func expo(_ x: Float) -> Float { Foundation.exp(x) }
  static func logarithm(_ x: Float) -> Float { Foundation.log(x) }
  static func hyperbolicTangent(_ x: Float) -> Float { Foundation.tanh(x) }
}

extension Double: ElementaryMath {
  static func power(_ a: Double, _ b: Double) -> Double { Foundation.pow(a, b) }
  static func expo(_ x: Double) -> Double { Foundation.exp(x) }
  static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
  static func hyperbolicTangent(_ x: Double) -> Double { Foundation.tanh(x) }
}
