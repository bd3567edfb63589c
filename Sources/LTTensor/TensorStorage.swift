import Foundation

/// The bytes behind one or more tensors.
///
/// Tensors are immutable, so a storage is written only while the op that
/// creates it fills it in, before any tensor shares it; after that it is
/// read-only, which is why sharing it across threads (`@unchecked Sendable`) is
/// safe and why copy-on-write never has to copy. Storage is either heap memory
/// or a read-only memory-mapped file.
final class TensorStorage: @unchecked Sendable {
  let base: UnsafeMutableRawPointer
  let byteCount: Int
  private let unmapLength: Int   // > 0 for mmap'd storage
  private let mapBase: UnsafeMutableRawPointer?
  private let swiftAllocated: Bool
  /// A Swift array whose buffer this storage reads (see `adopting`); nil otherwise.
  let adopted: [Float]?

  /// Largest allocation accepted (`MemoryLimit`: physical memory, the cgroup's limit,
  /// `LTNB_MAX_TENSOR_MB`). Anything larger would be killed by the OS later; failing
  /// early gives the user a message instead.
  static var maxBytes: Int { MemoryLimit.bytes }

  private init(base: UnsafeMutableRawPointer, byteCount: Int, mapBase: UnsafeMutableRawPointer?, unmapLength: Int, swiftAllocated: Bool = false, adopted: [Float]? = nil) {
    self.swiftAllocated = swiftAllocated
    self.adopted = adopted
    self.base = base
    self.byteCount = byteCount
    self.mapBase = mapBase
    self.unmapLength = unmapLength
  }

  /// Allocates 64-byte aligned storage for `count` elements of `dtype`,
  /// zero-filled unless the caller will overwrite every byte (`zeroed: false`
  /// saves a pass over memory in every elementwise op).
  static func allocate(count: Int, dtype: DType, shape: [Int], zeroed: Bool = true) throws -> TensorStorage {
    let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
    if overflow || (bytes > MemoryLimit.floor && bytes > maxBytes) {
      throw TensorError("tensor of shape \(formatShape(shape)) is too large (\(dtype), more than the \(maxBytes >> 20) MiB of memory\(MemoryLimit.source))")
    }
    var raw: UnsafeMutableRawPointer?
    // Buffers of 4 MiB and more are marked for transparent huge pages, as
    // NumPy does: first-touch page faults otherwise dominate file loads
    // (measured: a 1 GB .npy load 4x slower). Only the very large ones are
    // also 2 MiB aligned: glibc serves a 2 MiB-aligned request with a fresh
    // mmap every time, so a 16 MB elementwise output paid 4M page faults per
    // op (add of 4M floats: 3.1 ms instead of 1.6 ms); 64-byte aligned,
    // buffers below glibc's largest mmap threshold (32 MiB) are reused from
    // the heap, as NumPy's are.
    let huge = bytes >= 4 << 20
    let hugeAligned = bytes >= 32 << 20
    let rc = posix_memalign(&raw, hugeAligned ? 2 << 20 : 64, Swift.max(bytes, 64))
    guard rc == 0, let p = raw else {
      throw TensorError("tensor of shape \(formatShape(shape)) is too large: cannot allocate \(bytes) bytes")
    }
    #if os(Linux)
      if huge {
        // madvise needs a page-aligned start: advise the pages inside the buffer.
        let page = 4096
        let start = (Int(bitPattern: p) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: p) + bytes) & ~(page - 1)
        if end > start, let q = UnsafeMutableRawPointer(bitPattern: start) { _ = madvise(q, end - start, MADV_HUGEPAGE) }
      }
    #endif
    if zeroed { memset(p, 0, Swift.max(bytes, 64)) }
    return TensorStorage(base: p, byteCount: bytes, mapBase: nil, unmapLength: 0)
  }

  /// Allocates zeroed storage without the size check, for copies of data
  /// that already exists in memory.
  static func allocateUnchecked(bytes: Int) -> TensorStorage {
    let p = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(bytes, 64), alignment: 64)
    memset(p, 0, Swift.max(bytes, 64))
    return TensorStorage(base: p, byteCount: bytes, mapBase: nil, unmapLength: 0, swiftAllocated: true)
  }

  /// Wraps a region of a read-only file mapping; the mapping is released with the storage.
  static func mapped(mapBase: UnsafeMutableRawPointer, mapLength: Int, dataOffset: Int, byteCount: Int) -> TensorStorage {
    TensorStorage(base: mapBase + dataOffset, byteCount: byteCount, mapBase: mapBase, unmapLength: mapLength)
  }

  /// Storage over a non-empty array's buffer, without copying it. The array is kept
  /// (`adopted`) and never written, so its buffer neither moves nor is freed while the
  /// storage lives; a later mutation of another copy of the array copies on write.
  static func adopting(_ values: [Float]) -> TensorStorage? {
    guard let p = values.withUnsafeBufferPointer({ $0.baseAddress }), !values.isEmpty else { return nil }
    return TensorStorage(
      base: UnsafeMutableRawPointer(mutating: p), byteCount: values.count * 4, mapBase: nil, unmapLength: 0,
      adopted: values)
  }

  /// Whether the bytes come from a memory-mapped file.
  var isMapped: Bool { unmapLength > 0 }

  deinit {
    if adopted != nil {
      return  // the array frees its own buffer
    } else if let m = mapBase, unmapLength > 0 {
      munmap(m, unmapLength)
    } else if swiftAllocated {
      base.deallocate()
    } else {
      free(base)
    }
  }
}

/// Number of elements of a shape, or an error naming the shape when a length
/// is negative or the product overflows.
///
/// As in NumPy, the product of the nonzero lengths must fit even when some length
/// is 0: strides, transposes and reshapes multiply those lengths, so a shape like
/// (0, 2^40, 2^40) read from a file must be refused here, not trap later.
func checkedCount(_ shape: [Int]) throws -> Int {
  var n = 1
  var empty = false
  for d in shape {
    if d < 0 { throw TensorError("negative dimension \(d) in shape \(formatShape(shape))") }
    if d == 0 {
      empty = true
      continue
    }
    let (p, o) = n.multipliedReportingOverflow(by: d)
    if o { throw TensorError("tensor of shape \(formatShape(shape)) is too large") }
    n = p
  }
  return empty ? 0 : n
}
