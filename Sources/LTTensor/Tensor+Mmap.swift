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
  /// and folds the results. Blocks are views, never copies. For a memory-mapped
  /// tensor the range is advised sequential (the kernel reads ahead and keeps
  /// no history) and each block's pages are released after use, so resident
  /// memory stays bounded by about one block whatever the file's size; the
  /// mapping itself is made once, not per block.
  public func reduceChunks<R>(rows: Int, initial: R, _ body: (R, Tensor) throws -> R) throws -> R {
    guard ndim >= 1 else { return try body(initial, self) }
    guard rows > 0 else { throw TensorError("reduceChunks needs a positive number of rows, got \(rows)") }
    let streaming = storage.isMapped && isContiguous
    if streaming { adviseMapped(raw, count * dtype.itemSize, MADV_SEQUENTIAL) }
    defer { if streaming { adviseMapped(raw, count * dtype.itemSize, MADV_NORMAL) } }
    var acc = initial
    var start = 0
    while start < shape[0] {
      let stop = Swift.min(start + rows, shape[0])
      let block = try index([.slice(start, stop, 1)])
      acc = try body(acc, block)
      if streaming { adviseMapped(block.raw, block.count * dtype.itemSize, MADV_DONTNEED) }
      start = stop
    }
    return acc
  }
}

/// madvise over the whole pages inside [p, p + bytes) (a partial page at either
/// end is left alone: it may hold a neighbouring block's bytes).
private func adviseMapped(_ p: UnsafeMutableRawPointer, _ bytes: Int, _ advice: Int32) {
  let page = pageSize
  let begin = (Int(bitPattern: p) + page - 1) / page * page
  let end = (Int(bitPattern: p) + bytes) / page * page
  if end > begin, let q = UnsafeMutableRawPointer(bitPattern: begin) { _ = madvise(q, end - begin, advice) }
}

private let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
