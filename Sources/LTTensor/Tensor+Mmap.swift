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

extension Tensor {
  /// `reduceChunks` over several tensors with the same first dimension, in lockstep:
  /// `body` gets the row offset and block `start..<start + rows` of each tensor. Every
  /// memory-mapped one is advised sequential and has each block's pages released after
  /// use, as in `reduceChunks`, so an ensemble over files stays at one block per member.
  public static func forEachChunk(of tensors: [Tensor], rows: Int, _ body: (Int, [Tensor]) throws -> Void) throws {
    guard let first = tensors.first, first.ndim >= 1 else { return }
    guard rows > 0 else { throw TensorError("forEachChunk needs a positive number of rows, got \(rows)") }
    guard tensors.allSatisfy({ $0.ndim >= 1 && $0.shape[0] == first.shape[0] }) else {
      throw TensorError("forEachChunk needs tensors with the same number of rows, got \(tensors.map { $0.shape })")
    }
    let streaming = tensors.map { $0.storage.isMapped && $0.isContiguous }
    for (t, s) in zip(tensors, streaming) where s { adviseMapped(t.raw, t.count * t.dtype.itemSize, MADV_SEQUENTIAL) }
    defer {
      for (t, s) in zip(tensors, streaming) where s { adviseMapped(t.raw, t.count * t.dtype.itemSize, MADV_NORMAL) }
    }
    var start = 0
    while start < first.shape[0] {
      let stop = Swift.min(start + rows, first.shape[0])
      let blocks = try tensors.map { try $0.index([.slice(start, stop, 1)]) }
      try body(start, blocks)
      for (b, s) in zip(blocks, streaming) where s { adviseMapped(b.raw, b.count * b.dtype.itemSize, MADV_DONTNEED) }
      start = stop
    }
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
