import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `close(2)`, named apart from `RawFile.close()`.
func posixClose(_ fd: Int32) {
  #if canImport(Glibc)
    _ = Glibc.close(fd)
  #elseif canImport(Darwin)
    _ = Darwin.close(fd)
  #endif
}

/// `mmap(2)` read-only and private, or nil.
func posixMapReadOnly(_ fd: Int32, length: Int) -> UnsafeMutableRawPointer? {
  #if canImport(Glibc)
    let p = Glibc.mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
  #else
    let p = Darwin.mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
  #endif
  guard let p, p != MAP_FAILED else { return nil }
  return p
}

/// Random access to bytes with a name for error messages: a file, or memory
/// (an .npz member).
protocol ByteSource {
  var path: String { get }
  var size: Int { get }
  func read(into dst: UnsafeMutableRawPointer, count: Int, at offset: Int) throws
}

extension ByteSource {
  /// Reads `count` bytes at `offset` into an array.
  func bytes(_ count: Int, at offset: Int) throws -> [UInt8] {
    var b = [UInt8](repeating: 0, count: count)
    try b.withUnsafeMutableBytes { buf in
      if let p = buf.baseAddress { try read(into: p, count: count, at: offset) }
    }
    return b
  }
}

/// Bytes held in memory.
struct MemorySource: ByteSource {
  let path: String
  let data: Data
  var size: Int { data.count }

  func read(into dst: UnsafeMutableRawPointer, count: Int, at offset: Int) throws {
    guard offset >= 0, count >= 0, offset + count <= data.count else {
      throw TensorError("'\(path)' is truncated: expected \(count) bytes at offset \(offset), data ends at \(data.count)")
    }
    data.withUnsafeBytes { src in
      if let base = src.baseAddress, count > 0 { dst.copyMemory(from: base + offset, byteCount: count) }
    }
  }
}

/// Thin POSIX file access for the readers: exact-size reads into tensor
/// storage (no intermediate Data for gigabyte arrays) and errors that name the
/// file and offset.
struct RawFile: ByteSource {
  let path: String
  let fd: Int32
  let size: Int

  init(reading path: String) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw TensorError("cannot open '\(path)': \(String(cString: strerror(errno)))") }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      posixClose(fd)
      throw TensorError("cannot read '\(path)': \(String(cString: strerror(errno)))")
    }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      posixClose(fd)
      throw TensorError("cannot read '\(path)': it is a directory")
    }
    self.path = path
    self.fd = fd
    self.size = Int(st.st_size)
  }

  func close() { posixClose(fd) }

  /// The file's size, closing it.
  func sizeAndClose() -> Int {
    close()
    return size
  }

  /// Reads exactly `count` bytes at `offset` into `dst`, or throws naming the offset.
  func read(into dst: UnsafeMutableRawPointer, count: Int, at offset: Int) throws {
    var done = 0
    while done < count {
      let r = pread(fd, dst + done, Swift.min(count - done, 1 << 30), off_t(offset + done))
      if r < 0 {
        if errno == EINTR { continue }
        throw TensorError("'\(path)': read error at offset \(offset + done): \(String(cString: strerror(errno)))")
      }
      if r == 0 {
        throw TensorError("'\(path)' is truncated: expected \(count) bytes at offset \(offset), file ends at \(offset + done)")
      }
      done += r
    }
  }
}

/// Writes all bytes to `path` atomically: into a temporary file beside it, renamed
/// over `path` once complete, so a failed or interrupted save never leaves a
/// truncated file where a reader (or a notebook cache) would find it.
func writeFile(_ path: String, _ chunks: [(UnsafeRawPointer, Int)]) throws {
  let temp = "\(path).tmp-\(getpid())"
  do {
    try writeChunks(temp, chunks, reportingAs: path)
  } catch {
    unlink(temp)
    throw error
  }
  guard rename(temp, path) == 0 else {
    let reason = String(cString: strerror(errno))
    unlink(temp)
    throw TensorError("cannot write '\(path)': \(reason)")
  }
}

/// Writes all bytes to a new file at `temp` (replacing it); errors name `path`.
private func writeChunks(_ temp: String, _ chunks: [(UnsafeRawPointer, Int)], reportingAs path: String) throws {
  let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  guard fd >= 0 else { throw TensorError("cannot write '\(path)': \(String(cString: strerror(errno)))") }
  defer { posixClose(fd) }
  for (p, n) in chunks {
    var done = 0
    while done < n {
      let w = write(fd, p + done, Swift.min(n - done, 1 << 30))
      if w < 0 {
        if errno == EINTR { continue }
        throw TensorError("cannot write '\(path)': \(String(cString: strerror(errno)))")
      }
      done += w
    }
  }
}

/// IEEE half to single precision (for .npy f2 and safetensors F16).
func halfToFloat(_ h: UInt16) -> Float {
  let sign = UInt32(h & 0x8000) << 16
  let exp = Int((h >> 10) & 0x1F)
  let frac = UInt32(h & 0x3FF)
  if exp == 0 {
    let v = Float(frac) * Float(sign: .plus, exponent: -24, significand: 1)
    return sign != 0 ? -v : v
  }
  if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (frac << 13)) }
  return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (frac << 13))
}
