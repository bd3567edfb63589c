// Matrix products: one register-blocked SIMD kernel, C (+)= A * B, all row-major.
//
// The kernel keeps a 4 x 8 block of C in four SIMD8<Float> accumulators and streams a
// packed 8-column panel of B. (A 6 x 8 kernel measured no faster.) It uses only multiplies and
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
///
/// B is first packed into panels of 8 columns (k x 8, contiguous, the last one zero-padded),
/// so the kernel reads B sequentially; rows of A are taken in blocks of 64 so a block stays
/// in cache while every panel passes over it.
private func gemmKernel(
  m: Int, n: Int, k: Int,
  a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
) {
  let panels = (n + 7) / 8
  let packed = UnsafeMutablePointer<Float>.allocate(capacity: panels * k * 8)
  defer { packed.deallocate() }
  for q in 0..<panels {
    let j0 = q * 8
    let w = min(8, n - j0)
    let dst = packed + q * k * 8
    for p in 0..<k {
      let src = b + p * n + j0
      for t in 0..<8 { dst[p * 8 + t] = t < w ? src[t] : 0 }
    }
  }
  var tile = [Float](repeating: 0, count: 4 * 8)
  tile.withUnsafeMutableBufferPointer { tb in
    guard let tp = tb.baseAddress else { return }
    let mc = 64
    var i0 = 0
    while i0 < m {
      let i1 = min(i0 + mc, m)
      for q in 0..<panels {
        let j0 = q * 8
        let w = min(8, n - j0)
        let panel = UnsafePointer(packed + q * k * 8)
        var i = i0
        while i < i1 {
          let rowsHere = min(4, i1 - i)
          // Load the C tile (zero-padded), run the kernel, store the valid part back.
          for r in 0..<4 {
            for t in 0..<8 { tp[r * 8 + t] = r < rowsHere && t < w ? c[(i + r) * n + j0 + t] : 0 }
          }
          if rowsHere == 4 {
            kernel4x8(k: k, a: a + i * k, lda: k, panel: panel, tile: tp)
          } else {
            for r in 0..<rowsHere {
              kernel1x8(k: k, a: a + (i + r) * k, panel: panel, tile: tp + r * 8)
            }
          }
          for r in 0..<rowsHere {
            for t in 0..<w { c[(i + r) * n + j0 + t] = tp[r * 8 + t] }
          }
          i += rowsHere
        }
      }
      i0 = i1
    }
  }
}

/// tile[4 x 8] += A[4 rows, k] * panel[k x 8].
@inline(__always)
private func kernel4x8(
  k: Int, a: UnsafePointer<Float>, lda: Int, panel: UnsafePointer<Float>,
  tile: UnsafeMutablePointer<Float>
) {
  let a0 = a
  let a1 = a + lda
  let a2 = a + 2 * lda
  let a3 = a + 3 * lda
  var c0 = load8(tile)
  var c1 = load8(tile + 8)
  var c2 = load8(tile + 16)
  var c3 = load8(tile + 24)
  var bq = panel
  for p in 0..<k {
    let bv = load8(bq)
    c0 += SIMD8(repeating: a0[p]) * bv
    c1 += SIMD8(repeating: a1[p]) * bv
    c2 += SIMD8(repeating: a2[p]) * bv
    c3 += SIMD8(repeating: a3[p]) * bv
    bq += 8
  }
  store8(c0, tile)
  store8(c1, tile + 8)
  store8(c2, tile + 16)
  store8(c3, tile + 24)
}

/// tile[8] += a[k] * panel[k x 8].
@inline(__always)
private func kernel1x8(
  k: Int, a: UnsafePointer<Float>, panel: UnsafePointer<Float>, tile: UnsafeMutablePointer<Float>
) {
  var c0 = load8(tile)
  var bq = panel
  for p in 0..<k {
    c0 += SIMD8(repeating: a[p]) * load8(bq)
    bq += 8
  }
  store8(c0, tile)
}
