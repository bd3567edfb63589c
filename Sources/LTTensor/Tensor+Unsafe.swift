/// Raw element access for other modules' kernels (LTLearn's training loops),
/// so they can read, build and share float32 tensors without per-element calls.
extension Tensor {
  /// Calls `body` with the elements in C order as float32 (converted or made
  /// contiguous first when needed).
  public func withFloatBuffer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R {
    let c = try (dtype == .float32 ? self : astype(.float32)).contiguous()
    return try withExtendedLifetime(c) {
      try body(UnsafeBufferPointer(start: c.pointer(Float.self), count: c.count))
    }
  }

  /// A float32 tensor over `values` (C order) without copying them: it keeps the array's
  /// buffer. For results other modules computed as `[Float]` (LTLearn's matrices).
  public init(sharing values: [Float], shape: [Int]) throws {
    let n = try checkedCount(shape)
    guard n == values.count else {
      throw TensorError("cannot make a tensor of shape \(formatShape(shape)) from \(values.count) values")
    }
    guard let s = TensorStorage.adopting(values) else {
      self = try Tensor(floats: values, shape: shape)
      return
    }
    self.init(storage: s, dtype: .float32, shape: shape, strides: Tensor.contiguousStrides(shape), offset: 0)
  }

  /// The array a tensor made by `init(sharing:shape:)` reads, when the tensor covers all
  /// of it in order (the tensor itself or a reshape of it); nil for any other tensor.
  public var sharedFloats: [Float]? {
    guard dtype == .float32, offset == 0, isContiguous, let a = storage.adopted, a.count == count else { return nil }
    return a
  }

  /// A new float32 tensor of `shape` whose elements `fill` writes (in C order;
  /// the buffer starts zeroed unless `zeroed` is false, for a `fill` that writes every
  /// element: zeroing a file-sized output first costs as much as computing it).
  public static func build(shape: [Int], zeroed: Bool = true, _ fill: (UnsafeMutableBufferPointer<Float>) throws -> Void) throws -> Tensor {
    let t = try Tensor.empty(shape, .float32, zeroed: zeroed)
    try fill(UnsafeMutableBufferPointer(start: t.pointer(Float.self), count: t.count))
    return t
  }

  /// A new int32 tensor of `shape` whose elements `fill` writes (in C order;
  /// the buffer starts zeroed).
  public static func buildInt32(shape: [Int], _ fill: (UnsafeMutableBufferPointer<Int32>) throws -> Void) throws -> Tensor {
    let t = try Tensor.empty(shape, .int32)
    try fill(UnsafeMutableBufferPointer(start: t.pointer(Int32.self), count: t.count))
    return t
  }
}
