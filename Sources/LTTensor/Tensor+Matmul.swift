import CLTKernels

/// Matrix products with NumPy's `matmul` rules: 2-d @ 2-d, batched over
/// leading axes (which broadcast), and 1-d operands promoted to a row (left) or
/// column (right) vector whose axis is removed from the result.
///
/// float32 and float64 go to the packed AVX-512/AVX2 kernels of CLTKernels
/// (lt_sgemm, lt_dgemm; see docs/tensors.md for why not a BLAS), int32 and
/// bool are multiplied in float64 and converted back. `matmulReference` is the
/// naive triple loop kept as the test oracle.
struct MatmulPlan {
  let batch: [Int]
  let m: Int, k: Int, n: Int
  let a: Tensor, b: Tensor     // at least 2-d views
  let outShape: [Int]
  let dtype: DType

  init(_ a0: Tensor, _ b0: Tensor) throws {
    guard a0.ndim >= 1 && b0.ndim >= 1 else {
      throw TensorError("matmul needs tensors with at least 1 dimension, got shapes \(formatShape(a0.shape)) and \(formatShape(b0.shape))")
    }
    let a = a0.ndim == 1 ? try a0.expandDims(0) : a0
    let b = b0.ndim == 1 ? try b0.expandDims(-1) : b0
    let ka = a.shape[a.ndim - 1], kb = b.shape[b.ndim - 2]
    guard ka == kb else {
      throw TensorError("shapes \(formatShape(a0.shape)) and \(formatShape(b0.shape)) cannot be multiplied: \(ka) != \(kb)")
    }
    let batch: [Int]
    do {
      batch = try broadcastShape(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)))
    } catch {
      throw TensorError("shapes \(formatShape(a0.shape)) and \(formatShape(b0.shape)) cannot be multiplied: batch axes do not broadcast")
    }
    self.batch = batch
    self.m = a.shape[a.ndim - 2]
    self.k = ka
    self.n = b.shape[b.ndim - 1]
    self.a = a
    self.b = b
    var out = batch
    if a0.ndim > 1 { out.append(m) }
    if b0.ndim > 1 { out.append(n) }
    self.outShape = out
    self.dtype = DType.promote(a0.dtype, b0.dtype)
  }

  /// Runs `product(i, offsetA, offsetB)` for every matrix of the batch and
  /// says whether all succeeded. Several small products run side by side on
  /// the worker pool, each on one thread (a kernel called from inside a pool
  /// job runs alone); a large one gets the pool to itself. Either way every
  /// product is computed by the same kernel calls, so the bits are the same.
  func forEachProduct(_ product: (Int, Int, Int) -> Bool) -> Bool {
    let offsets = batchOffsets()
    let flops = 2.0 * Double(m) * Double(n) * Double(k)
    // Below ~16 MFLOP a product splits poorly over threads; a batch of them splits well.
    if offsets.count >= 2 && flops < 16e6 && Tensor.threadCount > 1 {
      let failed = UnsafeMutablePointer<UInt8>.allocate(capacity: offsets.count)
      failed.initialize(repeating: 0, count: offsets.count)
      defer { failed.deallocate() }
      let grain = Swift.max(1, Int(2e6 / Swift.max(flops, 1)))
      offsets.withUnsafeBufferPointer { offs in
        parallelFor(offs.count, grain: grain) { b0, b1 in
          for i in b0..<b1 where !product(i, offs[i].0, offs[i].1) { failed[i] = 1 }
        }
      }
      return !(0..<offsets.count).contains { failed[$0] != 0 }
    }
    var ok = true
    for (i, (oa, ob)) in offsets.enumerated() where !product(i, oa, ob) { ok = false }
    return ok
  }

  /// Element offsets of the a and b matrices for each batch index, in C order.
  func batchOffsets() -> [(Int, Int)] {
    let sa = Array(a.broadcastStrides(to: batch + [m, k]).dropLast(2))
    let sb = Array(b.broadcastStrides(to: batch + [k, n]).dropLast(2))
    let total = batch.reduce(1, *)
    var result: [(Int, Int)] = []
    result.reserveCapacity(total)
    var index = [Int](repeating: 0, count: batch.count)
    for _ in 0..<total {
      var oa = 0, ob = 0
      for d in 0..<batch.count {
        oa += index[d] * sa[d]
        ob += index[d] * sb[d]
      }
      result.append((oa, ob))
      var d = batch.count - 1
      while d >= 0 {
        index[d] += 1
        if index[d] < batch[d] { break }
        index[d] = 0
        d -= 1
      }
    }
    return result
  }
}

extension Tensor {
  /// Matrix product `self @ other` (NumPy `matmul` semantics).
  public func matmul(_ other: Tensor) throws -> Tensor {
    let plan = try MatmulPlan(self, other)
    let (m, k, n) = (plan.m, plan.k, plan.n)
    switch plan.dtype {
    case .float32:
      let a = try plan.a.astype(.float32), b = try plan.b.astype(.float32)
      let out = try Tensor.empty(plan.batch + [m, n], .float32, zeroed: false)
      let (ars, acs) = (a.strides[a.ndim - 2], a.strides[a.ndim - 1])
      let (brs, bcs) = (b.strides[b.ndim - 2], b.strides[b.ndim - 1])
      let pa = a.pointer(Float.self), pb = b.pointer(Float.self), pc = out.pointer(Float.self)
      let ok = plan.forEachProduct { i, oa, ob in
        lt_sgemm(
          Int64(m), Int64(n), Int64(k), pa + oa, Int64(ars), Int64(acs),
          pb + ob, Int64(brs), Int64(bcs), pc + i * m * n, Int64(n)) == 0
      }
      if !ok { throw TensorError("matmul of shapes \(formatShape(shape)) and \(formatShape(other.shape)) is too large: out of memory") }
      return try out.reshape(plan.outShape)
    case .float64:
      return try Tensor.dgemm(plan).reshape(plan.outShape)
    case .int32, .bool:
      let p = try MatmulPlan(astype(.float64), other.astype(.float64))
      return try Tensor.dgemm(p).reshape(plan.outShape).astype(.int32)
    }
  }

  static func dgemm(_ plan: MatmulPlan) throws -> Tensor {
    let (m, k, n) = (plan.m, plan.k, plan.n)
    let a = try plan.a.astype(.float64), b = try plan.b.astype(.float64)
    let out = try Tensor.empty(plan.batch + [m, n], .float64, zeroed: false)
    let (ars, acs) = (a.strides[a.ndim - 2], a.strides[a.ndim - 1])
    let (brs, bcs) = (b.strides[b.ndim - 2], b.strides[b.ndim - 1])
    let pa = a.pointer(Double.self), pb = b.pointer(Double.self), pc = out.pointer(Double.self)
    let ok = plan.forEachProduct { i, oa, ob in
      lt_dgemm_checked(
        Int64(m), Int64(n), Int64(k), pa + oa, Int64(ars), Int64(acs),
        pb + ob, Int64(brs), Int64(bcs), pc + i * m * n, Int64(n)) == 0
    }
    if !ok { throw TensorError("matmul of shapes \(formatShape(plan.a.shape)) and \(formatShape(plan.b.shape)) is too large: out of memory") }
    return out
  }

  /// The naive triple-loop product, summed in double: the oracle the fast
  /// kernels are tested against. Same shapes and dtypes as `matmul`.
  public static func matmulReference(_ a0: Tensor, _ b0: Tensor) throws -> Tensor {
    let plan = try MatmulPlan(a0, b0)
    let (m, k, n) = (plan.m, plan.k, plan.n)
    let outType: DType = plan.dtype == .bool ? .int32 : plan.dtype
    let out = try Tensor.empty(plan.batch + [m, n], outType)
    let (a, b) = (plan.a, plan.b)
    let (ars, acs) = (a.strides[a.ndim - 2], a.strides[a.ndim - 1])
    let (brs, bcs) = (b.strides[b.ndim - 2], b.strides[b.ndim - 1])
    for (bi, (oa, ob)) in plan.batchOffsets().enumerated() {
      for i in 0..<m {
        for j in 0..<n {
          var s = 0.0
          for p in 0..<k {
            s += a.double(atOffset: oa + i * ars + p * acs) * b.double(atOffset: ob + p * brs + j * bcs)
          }
          writeDouble(s, into: out, at: bi * m * n + i * n + j)
        }
      }
    }
    return try out.reshape(plan.outShape)
  }
}
