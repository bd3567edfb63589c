// Matrix products: one register-blocked SIMD kernel, C (+)= A * B, all row-major.
//
// The kernel keeps a 4 x 8 block of C in four SIMD8<Float> accumulators and streams
// one row-segment of B per step of the inner dimension. It uses only multiplies and
// adds, which LLVM vectorises at the baseline x86-64 target (SSE2) without turning
// into library calls (a fused multiply-add would, without -target-cpu; see deps.md).
// A^T B and A B^T are formed by an explicit transpose, which costs O(size) against the
// O(size * k) of the product.

extension Matrix {
  /// `self * other`. Throws if the inner dimensions differ.
  public func matmul(_ other: Matrix) throws -> Matrix {
    if cols != other.rows {
      throw LearnError(
        "shapes (\(rows), \(cols)) and (\(other.rows), \(other.cols)) cannot be multiplied: \(cols) != \(other.rows)"
      )
    }
    return Matrix.product(self, other)
  }

  /// Unchecked `a * b` for internal callers that know the shapes agree.
  static func product(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, cols: b.cols)
    gemm(a, b, into: &c, accumulate: false)
    return c
  }

  /// `a^T * b`.
  static func productTN(_ a: Matrix, _ b: Matrix) -> Matrix { product(a.transposed, b) }

  /// `a * b^T`.
  static func productNT(_ a: Matrix, _ b: Matrix) -> Matrix { product(a, b.transposed) }
}

/// `c = a * b` or `c += a * b`; shapes must already agree (`c` is `a.rows x b.cols`).
func gemm(_ a: Matrix, _ b: Matrix, into c: inout Matrix, accumulate: Bool) {
  let (m, k, n) = (a.rows, a.cols, b.cols)
  if m == 0 || n == 0 { return }
  a.data.withUnsafeBufferPointer { ap in
    b.data.withUnsafeBufferPointer { bp in
      c.data.withUnsafeMutableBufferPointer { cp in
        guard let pa = ap.baseAddress, let pb = bp.baseAddress, let pc = cp.baseAddress else {
          return
        }
        if !accumulate { pc.update(repeating: 0, count: m * n) }
        if k == 0 { return }
        gemmKernel(m: m, n: n, k: k, a: pa, b: pb, c: pc)
      }
    }
  }
}

@inline(__always)
private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// C[m x n] += A[m x k] * B[k x n], all contiguous row-major.
private func gemmKernel(
  m: Int, n: Int, k: Int,
  a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
) {
  let n8 = n - n % 8
  var i = 0
  while i + 4 <= m {
    let a0 = a + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
    var j = 0
    while j < n8 {
      var c0 = load8(c + i * n + j)
      var c1 = load8(c + (i + 1) * n + j)
      var c2 = load8(c + (i + 2) * n + j)
      var c3 = load8(c + (i + 3) * n + j)
      var bq = b + j
      for p in 0..<k {
        let bv = load8(bq)
        c0 += SIMD8(repeating: a0[p]) * bv
        c1 += SIMD8(repeating: a1[p]) * bv
        c2 += SIMD8(repeating: a2[p]) * bv
        c3 += SIMD8(repeating: a3[p]) * bv
        bq += n
      }
      store8(c0, c + i * n + j)
      store8(c1, c + (i + 1) * n + j)
      store8(c2, c + (i + 2) * n + j)
      store8(c3, c + (i + 3) * n + j)
      j += 8
    }
    if n8 < n {
      for r in i..<(i + 4) { scalarTail(row: r, from: n8, n: n, k: k, a: a, b: b, c: c) }
    }
    i += 4
  }
  while i < m {
    let a0 = a + i * k
    var j = 0
    while j < n8 {
      var c0 = load8(c + i * n + j)
      var bq = b + j
      for p in 0..<k {
        c0 += SIMD8(repeating: a0[p]) * load8(bq)
        bq += n
      }
      store8(c0, c + i * n + j)
      j += 8
    }
    if n8 < n { scalarTail(row: i, from: n8, n: n, k: k, a: a, b: b, c: c) }
    i += 1
  }
}

@inline(__always)
private func scalarTail(
  row r: Int, from j0: Int, n: Int, k: Int,
  a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
) {
  let ar = a + r * k
  for j in j0..<n {
    var s: Float = 0
    for p in 0..<k { s += ar[p] * b[p * n + j] }
    c[r * n + j] += s
  }
}
