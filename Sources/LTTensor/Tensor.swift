import Foundation

/// An n-dimensional array of float32, float64, int32 or bool elements.
///
/// A value type: ops never modify a tensor, they return a new one. Slices,
/// transposes and reshapes of contiguous data are views that share storage
/// (shape, strides and an offset over the same bytes), so they cost nothing;
/// since storage is never written after creation, sharing needs no copy-on-write.
public struct Tensor: Sendable {
  let storage: TensorStorage
  /// The element type.
  public let dtype: DType
  /// The length of each axis.
  public let shape: [Int]
  /// Element (not byte) step of each axis; 0 for a broadcast axis.
  let strides: [Int]
  /// Element offset of the first element in the storage.
  let offset: Int

  init(storage: TensorStorage, dtype: DType, shape: [Int], strides: [Int], offset: Int) {
    self.storage = storage
    self.dtype = dtype
    self.shape = shape
    self.strides = strides
    self.offset = offset
  }

  /// A new contiguous tensor (sizes are checked before allocating), zero-filled
  /// unless `zeroed` is false because the caller writes every element.
  static func empty(_ shape: [Int], _ dtype: DType, zeroed: Bool = true) throws -> Tensor {
    let n = try checkedCount(shape)
    let s = try TensorStorage.allocate(count: n, dtype: dtype, shape: shape, zeroed: zeroed)
    return Tensor(storage: s, dtype: dtype, shape: shape, strides: contiguousStrides(shape), offset: 0)
  }

  static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      s[i] = acc
      acc *= Swift.max(shape[i], 1)
    }
    return s
  }

  /// Number of axes.
  public var ndim: Int { shape.count }
  /// Number of elements (NumPy's `size`).
  public var count: Int { shape.reduce(1, *) }
  /// Number of elements; the language's `size` property.
  public var size: Int { count }

  /// Whether elements are laid out in C order without gaps (so kernels can
  /// treat the tensor as a flat buffer).
  var isContiguous: Bool {
    var expected = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
      if strides[i] != expected { return false }
      expected *= shape[i]
    }
    return true
  }

  /// Whether the tensor's bytes come from a memory-mapped file.
  public var isMemoryMapped: Bool { storage.isMapped }

  /// Address of the first element.
  var raw: UnsafeMutableRawPointer { storage.base + offset * dtype.itemSize }

  func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> { raw.assumingMemoryBound(to: T.self) }

  /// The same elements in a C-contiguous tensor; `self` when already contiguous.
  func contiguous() throws -> Tensor {
    if isContiguous { return self }
    let out = try Tensor.empty(shape, dtype, zeroed: false)
    stridedCopy(from: self, to: out.raw)
    return out
  }

  /// A new contiguous tensor for shapes whose size is already known to be
  /// small or to fit in memory (a copy of existing data); OOM traps as any
  /// Swift array allocation would.
  static func emptyUnchecked(_ shape: [Int], _ dtype: DType) -> Tensor {
    let n = shape.reduce(1, *)
    let s = TensorStorage.allocateUnchecked(bytes: n * dtype.itemSize)
    return Tensor(storage: s, dtype: dtype, shape: shape, strides: contiguousStrides(shape), offset: 0)
  }

  // MARK: - Creation from Swift arrays

  /// A tensor from flat values in C order, converted to `dtype`.
  public init(_ values: [Double], shape: [Int], dtype: DType = .float32) throws {
    let n = try checkedCount(shape)
    guard n == values.count else {
      throw TensorError("cannot make a tensor of shape \(formatShape(shape)) from \(values.count) values")
    }
    let t = try Tensor.empty(shape, dtype)
    values.withUnsafeBufferPointer { writeDoubles($0, into: t) }
    self = t
  }

  /// A float32 tensor from flat values in C order.
  public init(floats values: [Float], shape: [Int]) throws {
    let n = try checkedCount(shape)
    guard n == values.count else {
      throw TensorError("cannot make a tensor of shape \(formatShape(shape)) from \(values.count) values")
    }
    let t = try Tensor.empty(shape, .float32)
    values.withUnsafeBufferPointer { b in
      if let p = b.baseAddress { t.pointer(Float.self).update(from: p, count: n) }
    }
    self = t
  }

  /// An int32 tensor from flat values in C order.
  public init(int32s values: [Int32], shape: [Int]) throws {
    let n = try checkedCount(shape)
    guard n == values.count else {
      throw TensorError("cannot make a tensor of shape \(formatShape(shape)) from \(values.count) values")
    }
    let t = try Tensor.empty(shape, .int32)
    values.withUnsafeBufferPointer { b in
      if let p = b.baseAddress { t.pointer(Int32.self).update(from: p, count: n) }
    }
    self = t
  }

  /// A bool tensor from flat values in C order.
  public init(bools values: [Bool], shape: [Int]) throws {
    let n = try checkedCount(shape)
    guard n == values.count else {
      throw TensorError("cannot make a tensor of shape \(formatShape(shape)) from \(values.count) values")
    }
    let t = try Tensor.empty(shape, .bool)
    let p = t.pointer(UInt8.self)
    for i in 0..<n { p[i] = values[i] ? 1 : 0 }
    self = t
  }

  /// A 0-d tensor holding one number.
  public init(scalar: Double, dtype: DType = .float32) {
    let t = Tensor.emptyUnchecked([], dtype)
    writeDouble(scalar, into: t, at: 0)
    self = t
  }

  /// A 1-d float32 tensor from values.
  public init(_ values: [Double]) {
    let t = Tensor.emptyUnchecked([values.count], .float32)
    values.withUnsafeBufferPointer { writeDoubles($0, into: t) }
    self = t
  }

  /// A 2-d tensor from rows of equal length.
  public init(rows: [[Double]], dtype: DType = .float32) throws {
    let width = rows.first?.count ?? 0
    for (i, r) in rows.enumerated() where r.count != width {
      throw TensorError("row \(i) has \(r.count) values, expected \(width)")
    }
    try self.init(rows.flatMap { $0 }, shape: [rows.count, width], dtype: dtype)
  }
}
