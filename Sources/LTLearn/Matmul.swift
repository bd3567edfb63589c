// Matrix products: CLTKernels' blocked, CPU-dispatched `lt_sgemm` (the kernel LTTensor's
// matmul uses), which takes both operands strided, so A^T B and A B^T read the stored
// matrices in place instead of materialising a transpose.
//
// `lt_sgemm` sums every element of C in the same order whatever the thread count, so a
// product is the same bytes on one core or many. The bits can differ between CPUs of
// different instruction sets (FMA or not), which docs/decisions.md accepts.
import CLTKernels

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
    stridedProduct(
      m: a.rows, n: b.cols, k: a.cols, a, rowStride: a.cols, colStride: 1,
      b, rowStride: b.cols, colStride: 1)
  }

  /// `a^T * b` (`a` is k x m, `b` is k x n): A read column by column.
  static func productTN(_ a: Matrix, _ b: Matrix) -> Matrix {
    stridedProduct(
      m: a.cols, n: b.cols, k: a.rows, a, rowStride: 1, colStride: a.cols,
      b, rowStride: b.cols, colStride: 1)
  }

  /// `a * b^T` (`a` is m x k, `b` is n x k): B read column by column.
  static func productNT(_ a: Matrix, _ b: Matrix) -> Matrix {
    stridedProduct(
      m: a.rows, n: b.rows, k: a.cols, a, rowStride: a.cols, colStride: 1,
      b, rowStride: 1, colStride: b.cols)
  }

  /// `op(a) * op(b)` into a new m x n matrix, where element (i, p) of op(a) is
  /// `a.data[i * aRS + p * aCS]` and likewise for b. Shapes must already agree.
  private static func stridedProduct(
    m: Int, n: Int, k: Int, _ a: Matrix, rowStride aRS: Int, colStride aCS: Int,
    _ b: Matrix, rowStride bRS: Int, colStride bCS: Int
  ) -> Matrix {
    if m == 0 || n == 0 { return Matrix(rows: m, cols: n) }
    if k == 0 { return Matrix(rows: m, cols: n) }
    let out = [Float](unsafeUninitializedCapacity: m * n) { buf, count in
      a.data.withUnsafeBufferPointer { ap in
        b.data.withUnsafeBufferPointer { bp in
          guard let pa = ap.baseAddress, let pb = bp.baseAddress, let pc = buf.baseAddress
          else {
            buf.initialize(repeating: 0)
            return
          }
          let rc = lt_sgemm(
            Int64(m), Int64(n), Int64(k), pa, Int64(aRS), Int64(aCS), pb, Int64(bRS),
            Int64(bCS), pc, Int64(n))
          // The kernel fails only when its packing buffers cannot be allocated; the plain
          // loop needs no memory of its own.
          if rc != 0 {
            naiveProduct(m: m, n: n, k: k, pa, aRS, aCS, pb, bRS, bCS, into: pc)
          }
        }
      }
      count = m * n
    }
    return Matrix(uncheckedRows: m, cols: n, data: out)
  }

  /// The textbook triple loop for strided operands: the fallback when `lt_sgemm` cannot
  /// allocate, and the oracle the tests hold the kernel to.
  static func naiveProduct(
    m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, _ aRS: Int, _ aCS: Int,
    _ b: UnsafePointer<Float>, _ bRS: Int, _ bCS: Int, into c: UnsafeMutablePointer<Float>
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var s: Float = 0
        for p in 0..<k { s += a[i * aRS + p * aCS] * b[p * bRS + j * bCS] }
        c[i * n + j] = s
      }
    }
  }

  /// `a * b` by `naiveProduct` (for tests).
  static func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, cols: b.cols)
    if a.rows == 0 || b.cols == 0 { return c }
    a.data.withUnsafeBufferPointer { ap in
      b.data.withUnsafeBufferPointer { bp in
        c.data.withUnsafeMutableBufferPointer { cp in
          guard let pa = ap.baseAddress, let pb = bp.baseAddress, let pc = cp.baseAddress
          else { return }
          naiveProduct(
            m: a.rows, n: b.cols, k: a.cols, pa, a.cols, 1, pb, b.cols, 1, into: pc)
        }
      }
    }
    return c
  }
}
