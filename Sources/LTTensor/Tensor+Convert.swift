/// Element conversion between dtypes and to Swift values.
///
/// Float to int32 truncates toward zero as NumPy does; NaN and values outside
/// the int32 range become Int32.min (NumPy's result on x86) instead of trapping.

@inline(__always)
func int32Value(_ d: Double) -> Int32 {
  if d.isNaN || d >= 2147483648.0 || d < -2147483648.0 { return Int32.min }
  return Int32(d)
}

/// A nested list of numbers or bools, the shape of `tolist()`.
public indirect enum NestedValue: Sendable, Equatable {
  case number(Double)
  case bool(Bool)
  case list([NestedValue])
}

/// Writes doubles into a contiguous tensor, converting to its dtype.
func writeDoubles(_ src: UnsafeBufferPointer<Double>, into t: Tensor) {
  let n = Swift.min(src.count, t.count)
  switch t.dtype {
  case .float32:
    let p = t.pointer(Float.self)
    for i in 0..<n { p[i] = Float(src[i]) }
  case .float64:
    let p = t.pointer(Double.self)
    for i in 0..<n { p[i] = src[i] }
  case .int32:
    let p = t.pointer(Int32.self)
    for i in 0..<n { p[i] = int32Value(src[i]) }
  case .bool:
    let p = t.pointer(UInt8.self)
    for i in 0..<n { p[i] = src[i] != 0 ? 1 : 0 }
  }
}

func writeDouble(_ v: Double, into t: Tensor, at i: Int) {
  switch t.dtype {
  case .float32: t.pointer(Float.self)[i] = Float(v)
  case .float64: t.pointer(Double.self)[i] = v
  case .int32: t.pointer(Int32.self)[i] = int32Value(v)
  case .bool: t.pointer(UInt8.self)[i] = v != 0 ? 1 : 0
  }
}

/// A 1-D tensor's elements by address: what `Tensor.element(_:)` reads, with the shape,
/// strides, storage and dtype looked up once instead of on every read. Valid while the
/// tensor it came from (its storage) is alive; tensors never change, so the view never
/// goes stale. The interpreter's `acc[k]` in a loop reads through one.
public struct VectorElements: @unchecked Sendable {
  @usableFromInline let first: UnsafeRawPointer
  public let count: Int
  /// Bytes from one element to the next (0 for a broadcast axis).
  @usableFromInline let stride: Int
  public let dtype: DType

  init(_ t: Tensor) {
    first = UnsafeRawPointer(t.raw)
    count = t.shape[0]
    stride = t.strides[0] * t.dtype.itemSize
    dtype = t.dtype
  }

  /// Element `i` as a Double, counting from the end when negative; nil out of range.
  @inlinable @inline(__always)
  public func element(_ i: Int) -> Double? {
    let j = i < 0 ? i + count : i
    guard j >= 0 && j < count else { return nil }
    let at = j * stride
    switch dtype {
    case .float32: return Double(first.load(fromByteOffset: at, as: Float.self))
    case .float64: return first.load(fromByteOffset: at, as: Double.self)
    case .int32: return Double(first.load(fromByteOffset: at, as: Int32.self))
    case .bool: return first.load(fromByteOffset: at, as: UInt8.self) != 0 ? 1 : 0
    }
  }
}

extension Tensor {
  /// The view `VectorElements` gives of a 1-D tensor; nil for other ranks.
  public var vectorElements: VectorElements? { shape.count == 1 ? VectorElements(self) : nil }

  /// Element `i` of a 1-D tensor as a Double, counting from the end when negative, as
  /// `index([.index(i)])` would give it; nil for other ranks or an index out of range
  /// (the caller then takes the general path and its message). Reading `acc[k]` in a
  /// notebook loop otherwise builds a 0-d tensor per element.
  @inline(__always)
  public func element(_ i: Int) -> Double? {
    guard shape.count == 1 else { return nil }
    let len = shape[0]
    let j = i < 0 ? i + len : i
    guard j >= 0 && j < len else { return nil }
    return double(atOffset: j * strides[0])
  }

  /// The element at storage offset `o` (relative to the first element), as a Double.
  @inline(__always)
  func double(atOffset o: Int) -> Double {
    switch dtype {
    case .float32: return Double(pointer(Float.self)[o])
    case .float64: return pointer(Double.self)[o]
    case .int32: return Double(pointer(Int32.self)[o])
    case .bool: return pointer(UInt8.self)[o] != 0 ? 1 : 0
    }
  }

  /// All elements in C order as Doubles (exact for every dtype).
  public func toDoubles() -> [Double] {
    let c = (try? contiguous()) ?? self
    let n = c.count
    if !c.isContiguous { return [] }
    switch c.dtype {
    case .float64: return Array(UnsafeBufferPointer(start: c.pointer(Double.self), count: n))
    case .float32:
      let p = c.pointer(Float.self)
      return (0..<n).map { Double(p[$0]) }
    default:
      return (0..<n).map { c.double(atOffset: $0) }
    }
  }

  /// All elements in C order as Floats.
  public func toFloats() -> [Float] {
    if dtype == .float32, let c = try? contiguous() {
      return Array(UnsafeBufferPointer(start: c.pointer(Float.self), count: c.count))
    }
    return toDoubles().map { Float($0) }
  }

  /// All elements in C order as Int32 (floats truncated toward zero).
  public func toInt32s() -> [Int32] {
    if dtype == .int32, let c = try? contiguous() {
      return Array(UnsafeBufferPointer(start: c.pointer(Int32.self), count: c.count))
    }
    return toDoubles().map(int32Value)
  }

  /// All elements in C order as Bools (nonzero is true).
  public func toBools() -> [Bool] { toDoubles().map { $0 != 0 } }

  /// The single element of a one-element tensor.
  public func item() throws -> Double {
    guard count == 1 else {
      throw TensorError("item() needs a tensor with one element, got shape \(formatShape(shape))")
    }
    return double(atOffset: 0)
  }

  /// Nested lists of the elements (numbers, or bools for a bool tensor);
  /// a 0-d tensor gives a single value.
  public func toNested() -> NestedValue {
    let flat = toDoubles()
    let isBool = dtype == .bool
    func build(_ axis: Int, _ start: Int, _ step: Int) -> NestedValue {
      if axis == shape.count {
        return isBool ? .bool(flat[start] != 0) : .number(flat[start])
      }
      let inner = step / Swift.max(shape[axis], 1)
      return .list((0..<shape[axis]).map { build(axis + 1, start + $0 * inner, inner) })
    }
    if flat.isEmpty && !shape.isEmpty {
      // Nested empty lists down to the first zero-length axis, as NumPy's tolist.
      func empty(_ axis: Int) -> NestedValue {
        guard axis < shape.count, shape[axis] > 0 else { return .list([]) }
        return .list(Array(repeating: empty(axis + 1), count: shape[axis]))
      }
      return empty(0)
    }
    return build(0, 0, flat.count)
  }

  /// The same values converted to `dtype` (a copy; `self` if already that dtype).
  public func astype(_ target: DType) throws -> Tensor {
    if target == dtype { return self }
    let src = try contiguous()
    let out = try Tensor.empty(shape, target, zeroed: false)
    let n = count
    func conv<S, D>(_: S.Type, _: D.Type, _ f: (S) -> D) {
      let s = src.pointer(S.self), d = out.pointer(D.self)
      for i in 0..<n { d[i] = f(s[i]) }
    }
    switch (dtype, target) {
    case (.float32, .float64): conv(Float.self, Double.self) { Double($0) }
    case (.float64, .float32): conv(Double.self, Float.self) { Float($0) }
    case (.int32, .float32): conv(Int32.self, Float.self) { Float($0) }
    case (.int32, .float64): conv(Int32.self, Double.self) { Double($0) }
    case (.float32, .int32): conv(Float.self, Int32.self) { int32Value(Double($0)) }
    case (.float64, .int32): conv(Double.self, Int32.self) { int32Value($0) }
    case (.bool, .float32): conv(UInt8.self, Float.self) { Float($0) }
    case (.bool, .float64): conv(UInt8.self, Double.self) { Double($0) }
    case (.bool, .int32): conv(UInt8.self, Int32.self) { Int32($0) }
    case (.float32, .bool): conv(Float.self, UInt8.self) { $0 != 0 ? 1 : 0 }
    case (.float64, .bool): conv(Double.self, UInt8.self) { $0 != 0 ? 1 : 0 }
    case (.int32, .bool): conv(Int32.self, UInt8.self) { $0 != 0 ? 1 : 0 }
    default: break
    }
    return out
  }

  /// A tensor from nested lists of numbers or bools; the shape is read from
  /// the nesting and every level must be regular.
  public init(nested: NestedValue, dtype: DType? = nil) throws {
    var shape: [Int] = []
    var level = nested
    while case .list(let items) = level {
      shape.append(items.count)
      guard let first = items.first else { break }
      level = first
    }
    var values: [Double] = []
    var sawBool = false, sawNumber = false
    func walk(_ v: NestedValue, _ axis: Int, _ path: [Int]) throws {
      switch v {
      case .number(let d):
        guard axis == shape.count else {
          throw TensorError("ragged nested list: expected a list of length \(shape[axis]) at index \(path), got a number")
        }
        sawNumber = true
        values.append(d)
      case .bool(let b):
        guard axis == shape.count else {
          throw TensorError("ragged nested list: expected a list of length \(shape[axis]) at index \(path), got a bool")
        }
        sawBool = true
        values.append(b ? 1 : 0)
      case .list(let items):
        guard axis < shape.count, items.count == shape[axis] else {
          let want = axis < shape.count ? "a list of length \(shape[axis])" : "a number"
          throw TensorError("ragged nested list: expected \(want) at index \(path), got a list of length \(items.count)")
        }
        for (i, item) in items.enumerated() { try walk(item, axis + 1, path + [i]) }
      }
    }
    try walk(nested, 0, [])
    let dt = dtype ?? (sawBool && !sawNumber ? .bool : .float32)
    try self.init(values, shape: shape, dtype: dt)
  }
}
