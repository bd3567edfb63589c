import CLTKernels
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
      switch op {
      case .add: return try zipMap(a, b, shape: shape, out: .int32, IAddK.self)
      case .sub: return try zipMap(a, b, shape: shape, out: .int32, ISubK.self)
      case .mul: return try zipMap(a, b, shape: shape, out: .int32, IMulK.self)
      case .mod: return try zipMap(a, b, shape: shape, out: .int32, IModK.self)
      case .maximum: return try zipMap(a, b, shape: shape, out: .int32, IMaxK.self)
      case .minimum: return try zipMap(a, b, shape: shape, out: .int32, IMinK.self)
      case .div, .pow: return try zipMap(a, b, shape: shape, out: .int32, IMulK.self)  // unreachable: promoted to float
      }
    }
  }

  static func floatBinary<T: BinaryFloatingPoint & ElementaryMath>(
    _ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ shape: [Int], _: T.Type
  ) throws -> Tensor {
    let dt = a.dtype
    // Operands and result larger than half the last-level cache: the result
    // would leave the cache before it is used again, so it is written with
    // streaming stores, which skip reading each output line first (add of 4M
    // floats: a third less memory traffic).
    let touched = (a.count + b.count + ((try? checkedCount(shape)) ?? 0)) * dt.itemSize
    let stream: Int32 = touched > Int(lt_cache_bytes()) / 2 ? Int32(LT_OP_STREAM) : 0
    func c(_ code: Int32) -> CRowKernel<T, T, T> { { T.cBinary(code | stream, $0, $1, $2, $3, $4, $5) } }
    switch op {
    case .add: return try zipMap(a, b, shape: shape, out: dt, AddK<T>.self, cRow: c(Int32(LT_OP_ADD)))
    case .sub: return try zipMap(a, b, shape: shape, out: dt, SubK<T>.self, cRow: c(Int32(LT_OP_SUB)))
    case .mul: return try zipMap(a, b, shape: shape, out: dt, MulK<T>.self, cRow: c(Int32(LT_OP_MUL)))
    case .div: return try zipMap(a, b, shape: shape, out: dt, DivK<T>.self, cRow: c(Int32(LT_OP_DIV)))
    case .mod: return try zipMap(a, b, shape: shape, out: dt, ModK<T>.self)
    case .pow: return try zipMap(a, b, shape: shape, out: dt, PowK<T>.self)
    case .maximum: return try zipMap(a, b, shape: shape, out: dt, MaxK<T>.self, cRow: c(Int32(LT_OP_MAX)))
    case .minimum: return try zipMap(a, b, shape: shape, out: dt, MinK<T>.self, cRow: c(Int32(LT_OP_MIN)))
    }
  }

  /// Elementwise comparison with broadcasting; NaN compares unequal to everything.
  public func compare(_ op: CompareOp, _ other: Tensor) throws -> Tensor {
    let shape = try broadcastShape(self.shape, other.shape)
    let dt = DType.promote(dtype, other.dtype)
    let a = try astype(dt), b = try other.astype(dt)
    func cmp<T: Comparable>(_: T.Type) throws -> Tensor {
      switch op {
      case .eq: return try zipMap(a, b, shape: shape, out: .bool, EqK<T>.self)
      case .ne: return try zipMap(a, b, shape: shape, out: .bool, NeK<T>.self)
      case .lt: return try zipMap(a, b, shape: shape, out: .bool, LtK<T>.self)
      case .le: return try zipMap(a, b, shape: shape, out: .bool, LeK<T>.self)
      case .gt: return try zipMap(a, b, shape: shape, out: .bool, GtK<T>.self)
      case .ge: return try zipMap(a, b, shape: shape, out: .bool, GeK<T>.self)
      }
    }
    /// Floats also have vectorised C rows.
    func fcmp<T: FloatElement>(_: T.Type) throws -> Tensor {
      let code: Int32
      switch op {
      case .eq: code = Int32(LT_CMP_EQ)
      case .ne: code = Int32(LT_CMP_NE)
      case .lt: code = Int32(LT_CMP_LT)
      case .le: code = Int32(LT_CMP_LE)
      case .gt: code = Int32(LT_CMP_GT)
      case .ge: code = Int32(LT_CMP_GE)
      }
      let c: CRowKernel<T, T, UInt8> = { T.cCompare(code, $0, $1, $2, $3, $4, $5) }
      switch op {
      case .eq: return try zipMap(a, b, shape: shape, out: .bool, EqK<T>.self, cRow: c)
      case .ne: return try zipMap(a, b, shape: shape, out: .bool, NeK<T>.self, cRow: c)
      case .lt: return try zipMap(a, b, shape: shape, out: .bool, LtK<T>.self, cRow: c)
      case .le: return try zipMap(a, b, shape: shape, out: .bool, LeK<T>.self, cRow: c)
      case .gt: return try zipMap(a, b, shape: shape, out: .bool, GtK<T>.self, cRow: c)
      case .ge: return try zipMap(a, b, shape: shape, out: .bool, GeK<T>.self, cRow: c)
      }
    }
    switch dt {
    case .float32: return try fcmp(Float.self)
    case .float64: return try fcmp(Double.self)
    case .int32: return try cmp(Int32.self)
    case .bool: return try cmp(UInt8.self)
    }
  }

  /// Elementwise logical and (nonzero is true); the result is bool.
  public func logicalAnd(_ other: Tensor) throws -> Tensor {
    let shape = try broadcastShape(self.shape, other.shape)
    let a = try astype(.bool), b = try other.astype(.bool)
    return try zipMap(a, b, shape: shape, out: .bool, AndK.self)
  }

  /// Elementwise logical or (nonzero is true); the result is bool.
  public func logicalOr(_ other: Tensor) throws -> Tensor {
    let shape = try broadcastShape(self.shape, other.shape)
    let a = try astype(.bool), b = try other.astype(.bool)
    return try zipMap(a, b, shape: shape, out: .bool, OrK.self)
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

/// The transcendental functions the kernels need, for Float and Double, and
/// their vectorised C rows for binary ops and comparisons (op codes LT_OP_*
/// and LT_CMP_* of CLTKernels).
protocol ElementaryMath {
  static func power(_ a: Self, _ b: Self) -> Self
  static func expo(_ x: Self) -> Self
  static func logarithm(_ x: Self) -> Self
  static func hyperbolicTangent(_ x: Self) -> Self
  static func cBinary(
    _ op: Int32, _ a: UnsafePointer<Self>, _ sa: Int, _ b: UnsafePointer<Self>, _ sb: Int, _ y: UnsafeMutablePointer<Self>, _ n: Int
  ) -> Int32
  static func cCompare(
    _ op: Int32, _ a: UnsafePointer<Self>, _ sa: Int, _ b: UnsafePointer<Self>, _ sb: Int, _ y: UnsafeMutablePointer<UInt8>, _ n: Int
  ) -> Int32
}

extension Float: ElementaryMath {
  static func cBinary(
    _ op: Int32, _ a: UnsafePointer<Float>, _ sa: Int, _ b: UnsafePointer<Float>, _ sb: Int, _ y: UnsafeMutablePointer<Float>, _ n: Int
  ) -> Int32 { lt_binary_f32(op, a, Int64(sa), b, Int64(sb), y, Int64(n)) }
  static func cCompare(
    _ op: Int32, _ a: UnsafePointer<Float>, _ sa: Int, _ b: UnsafePointer<Float>, _ sb: Int, _ y: UnsafeMutablePointer<UInt8>, _ n: Int
  ) -> Int32 { lt_compare_f32(op, a, Int64(sa), b, Int64(sb), y, Int64(n)) }
  static func power(_ a: Float, _ b: Float) -> Float { Foundation.pow(a, b) }
  static func expo(_ x: Float) -> Float { Foundation.exp(x) }
  static func logarithm(_ x: Float) -> Float { Foundation.log(x) }
  static func hyperbolicTangent(_ x: Float) -> Float { Foundation.tanh(x) }
}

extension Double: ElementaryMath {
  static func cBinary(
    _ op: Int32, _ a: UnsafePointer<Double>, _ sa: Int, _ b: UnsafePointer<Double>, _ sb: Int, _ y: UnsafeMutablePointer<Double>, _ n: Int
  ) -> Int32 { lt_binary_f64(op, a, Int64(sa), b, Int64(sb), y, Int64(n)) }
  static func cCompare(
    _ op: Int32, _ a: UnsafePointer<Double>, _ sa: Int, _ b: UnsafePointer<Double>, _ sb: Int, _ y: UnsafeMutablePointer<UInt8>, _ n: Int
  ) -> Int32 { lt_compare_f64(op, a, Int64(sa), b, Int64(sb), y, Int64(n)) }
  static func power(_ a: Double, _ b: Double) -> Double { Foundation.pow(a, b) }
  static func expo(_ x: Double) -> Double { Foundation.exp(x) }
  static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
  static func hyperbolicTangent(_ x: Double) -> Double { Foundation.tanh(x) }
}
