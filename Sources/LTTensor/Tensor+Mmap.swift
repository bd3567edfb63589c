import Foundation

/// Memory-mapped tensors and chunked reduction, so an array larger than
/// memory can be reduced row block by row block.
extension Tensor {
  /// Maps `bytes` at `offset` of an open file read-only as a tensor.
  static func mapFile(_ f: RawFile, offset: Int, bytes: Int, shape: [Int], dtype: DType) throws -> Tensor {
    if bytes == 0 { return try Tensor.empty(shape, dtype) }
    let length = offset + bytes
    guard let base = posixMapReadOnly(f.fd, length: length) else {
      throw TensorError("'\(f.path)': cannot memory-map \(length) bytes: \(String(cString: strerror(errno)))")
    }
    let s = TensorStorage.mapped(mapBase: base, mapLength: length, dataOffset: offset, byteCount: bytes)
    return Tensor(storage: s, dtype: dtype, shape: shape, strides: contiguousStrides(shape), offset: 0)
  }

  /// Calls `body` on consecutive blocks of at most `rows` rows (along axis 0)
  /// and folds the results. For a memory-mapped tensor the pages of each block
  /// are released after use, so memory stays bounded by one block.
  public func reduceChunks<R>(rows: Int, initial: R, _ body: (R, Tensor) throws -> R) throws -> R {
    guard ndim >= 1 else { return try body(initial, self) }
    guard rows > 0 else { throw TensorError("reduceChunks needs a positive number of rows, got \(rows)") }
    var acc = initial
    var start = 0
    while start < shape[0] {
      let stop = Swift.min(start + rows, shape[0])
      let block = try index([.slice(start, stop, 1)])
      acc = try body(acc, block)
      if storage.isMapped && block.isContiguous {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let begin = Int(bitPattern: block.raw) / page * page
        let end = Int(bitPattern: block.raw) + block.count * dtype.itemSize
        if let p = UnsafeMutableRawPointer(bitPattern: begin), end > begin {
          madvise(p, end - begin, MADV_DONTNEED)
        }
      }
      start = stop
    }
    return acc
  }
}
