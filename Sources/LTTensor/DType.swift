/// The element type of a tensor.
///
/// Four types cover the research workflow: float32 features and logits (the
/// default), float64 where precision matters, int32 labels and indices, bool masks.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
  case float32, float64, int32, bool

  /// Bytes per element in storage (bool is one byte, 0 or 1).
  public var itemSize: Int {
    switch self {
    case .float32, .int32: return 4
    case .float64: return 8
    case .bool: return 1
    }
  }

  /// Whether the type is float32 or float64.
  public var isFloat: Bool { self == .float32 || self == .float64 }

  public var description: String { rawValue }

  /// Rank in the promotion order bool < int32 < float32 < float64.
  var rank: Int {
    switch self {
    case .bool: return 0
    case .int32: return 1
    case .float32: return 2
    case .float64: return 3
    }
  }

  /// The type two operands are converted to before a binary op.
  ///
  /// Unlike NumPy (where int32 with float32 gives float64) int32 with float32
  /// gives float32, as in PyTorch and JAX: labels mixed with features should not
  /// silently double the memory of the features.
  public static func promote(_ a: DType, _ b: DType) -> DType {
    a.rank >= b.rank ? a : b
  }

  /// Parses a name as users write it ("float32", "f32", "float", "int", "bool").
  public init(parsing name: String) throws {
    switch name.lowercased() {
    case "float32", "f32", "float": self = .float32
    case "float64", "f64", "double": self = .float64
    case "int32", "i32", "int": self = .int32
    case "bool": self = .bool
    default:
      throw TensorError("unknown dtype '\(name)'; expected float32, float64, int32 or bool")
    }
  }
}
