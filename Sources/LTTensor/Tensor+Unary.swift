import CLTKernels
import Foundation

/// Elementwise functions of one tensor. Integer and bool inputs of exp, log,
/// sqrt, sigmoid and tanh give float32; neg and abs keep the dtype.
public enum UnaryOp: String, Sendable, CaseIterable {
  case neg, exp, log, sqrt, abs, sigmoid, tanh, floor, ceil, round
}

extension Tensor {
  /// Applies a unary function elementwise.
  public func unary(_ op: UnaryOp) throws -> Tensor {
    switch (op, dtype) {
    case (.neg, .int32), (.neg, .bool):
      return try mapElements(astype(.int32), out: .int32, INegK.self)
    case (.abs, .int32):
      return try mapElements(self, out: .int32, IAbsK.self)
    case (.abs, .bool), (.floor, .int32), (.ceil, .int32), (.round, .int32):
      return self
    default:
      break
    }
    let x = dtype.isFloat ? self : try astype(.float32)
    if x.dtype == .float32 && (op == .exp || op == .sigmoid) {
      let src = try x.contiguous()
      let out = try Tensor.empty(shape, .float32, zeroed: false)
      if op == .exp {
        lt_exp_f32(src.pointer(Float.self), out.pointer(Float.self), Int64(count))
      } else {
        lt_sigmoid_f32(src.pointer(Float.self), out.pointer(Float.self), Int64(count))
      }
      return out
    }
    if x.dtype == .float32 { return try Tensor.floatUnary(op, x, Float.self) }
    return try Tensor.floatUnary(op, x, Double.self)
  }

  static func floatUnary<T: BinaryFloatingPoint & ElementaryMath>(_ op: UnaryOp, _ x: Tensor, _: T.Type) throws -> Tensor {
    let dt = x.dtype
    switch op {
    case .neg: return try mapElements(x, out: dt, NegK<T>.self)
    case .exp: return try mapElements(x, out: dt, ExpK<T>.self)
    case .log: return try mapElements(x, out: dt, LogK<T>.self)
    case .sqrt: return try mapElements(x, out: dt, SqrtK<T>.self)
    case .abs: return try mapElements(x, out: dt, AbsK<T>.self)
    case .sigmoid: return try mapElements(x, out: dt, SigmoidK<T>.self)
    case .tanh: return try mapElements(x, out: dt, TanhK<T>.self)
    case .floor: return try mapElements(x, out: dt, FloorK<T>.self)
    case .ceil: return try mapElements(x, out: dt, CeilK<T>.self)
    case .round: return try mapElements(x, out: dt, RoundK<T>.self)
    }
  }

  /// Negation.
  public static prefix func - (a: Tensor) throws -> Tensor { try a.unary(.neg) }
  /// e^x elementwise.
  public func exp() throws -> Tensor { try unary(.exp) }
  /// Natural logarithm elementwise (NaN below 0, -inf at 0).
  public func log() throws -> Tensor { try unary(.log) }
  /// Square root elementwise.
  public func sqrt() throws -> Tensor { try unary(.sqrt) }
  /// Absolute value elementwise.
  public func abs() throws -> Tensor { try unary(.abs) }
  /// 1 / (1 + e^-x) elementwise.
  public func sigmoid() throws -> Tensor { try unary(.sigmoid) }
  /// Hyperbolic tangent elementwise.
  public func tanh() throws -> Tensor { try unary(.tanh) }
  /// `self` raised to `p` elementwise.
  public func pow(_ p: Double) throws -> Tensor { try binary(.pow, p) }
  /// `self` raised to `p` elementwise, with broadcasting.
  public func pow(_ p: Tensor) throws -> Tensor { try binary(.pow, p) }

  /// Values limited to [lo, hi] (either bound may be nil); NaN stays NaN.
  public func clip(_ lo: Double?, _ hi: Double?) throws -> Tensor {
    if let lo, let hi, lo > hi { throw TensorError("clip needs lo <= hi, got \(lo) > \(hi)") }
    var r = self
    if let lo { r = try r.binary(.maximum, lo) }
    if let hi { r = try r.binary(.minimum, hi) }
    return r
  }
}
