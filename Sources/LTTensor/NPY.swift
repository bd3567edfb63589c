import Foundation

/// NumPy .npy files: read f2 f4 f8 i1 i2 i4 i8 u1 u2 b1 in either byte order and
/// C or Fortran order; write float32, float64, int32, bool.
///
/// Narrow or wide types are converted to the four tensor dtypes (f2 to
/// float32; integers to int32, with an error naming the element if an i8 value
/// does not fit). Every size in the header is checked against the file before
/// anything is allocated.
struct NPYHeader: Sendable, Equatable {
  /// The descr string, e.g. "<f4".
  let descr: String
  /// Whether data is in Fortran (column-major) order.
  let fortranOrder: Bool
  /// The array shape.
  let shape: [Int]
  /// Byte offset of the data.
  let dataOffset: Int

  /// Size in bytes of one element on disk.
  var itemSize: Int { Int(descr.dropFirst(2)) ?? 0 }
  var kind: Character { descr.dropFirst().first ?? "?" }
  var bigEndian: Bool { descr.first == ">" && itemSize > 1 }

  /// The tensor dtype this file loads as.
  func dtype(_ path: String) throws -> DType {
    switch (kind, itemSize) {
    case ("f", 2), ("f", 4): return .float32
    case ("f", 8): return .float64
    case ("i", 1), ("i", 2), ("i", 4), ("i", 8), ("u", 1), ("u", 2): return .int32
    case ("b", 1): return .bool
    default:
      throw TensorError("'\(path)': unsupported dtype '\(descr)'; supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 b1")
    }
  }

  /// Parses the header of an open file.
  static func read(_ f: some ByteSource) throws -> NPYHeader {
    let path = f.path
    guard f.size >= 10 else { throw TensorError("'\(path)' is not a .npy file: only \(f.size) bytes") }
    let pre = try f.bytes(12 <= f.size ? 12 : 10, at: 0)
    guard pre[0] == 0x93, Array(pre[1..<6]) == Array("NUMPY".utf8) else {
      throw TensorError("'\(path)' is not a .npy file: wrong magic at offset 0")
    }
    let major = pre[6]
    let headerLen: Int, start: Int
    switch major {
    case 1:
      headerLen = Int(pre[8]) | Int(pre[9]) << 8
      start = 10
    case 2, 3:
      guard pre.count >= 12 else { throw TensorError("'\(path)' is truncated in its header at offset 8") }
      let low = Int(pre[8]) | Int(pre[9]) << 8
      headerLen = low | Int(pre[10]) << 16 | Int(pre[11]) << 24
      start = 12
    default:
      throw TensorError("'\(path)': unsupported .npy format version \(major).\(pre[7])")
    }
    guard start + headerLen <= f.size else {
      throw TensorError("'\(path)' is truncated: header of \(headerLen) bytes at offset \(start) goes past the end of the file (\(f.size) bytes)")
    }
    let text = String(decoding: try f.bytes(headerLen, at: start), as: UTF8.self)
    return try parse(text, dataOffset: start + headerLen, path: path)
  }

  /// Parses the Python dict literal of a header.
  static func parse(_ text: String, dataOffset: Int, path: String) throws -> NPYHeader {
    func value(of key: String) throws -> Substring {
      guard let r = text.range(of: "'\(key)'") ?? text.range(of: "\"\(key)\"") else {
        throw TensorError("'\(path)': malformed .npy header, no '\(key)': \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
      }
      var rest = text[r.upperBound...].drop(while: { $0 == " " })
      guard rest.first == ":" else { throw TensorError("'\(path)': malformed .npy header near '\(key)'") }
      rest = rest.dropFirst().drop(while: { $0 == " " })
      return rest
    }
    let d = try value(of: "descr")
    guard let q = d.first, q == "'" || q == "\"", let end = d.dropFirst().firstIndex(of: q) else {
      throw TensorError("'\(path)': unsupported dtype in .npy header (structured or malformed descr)")
    }
    let descr = String(d[d.index(after: d.startIndex)..<end])
    let fo = try value(of: "fortran_order")
    let fortran: Bool
    if fo.hasPrefix("True") { fortran = true } else if fo.hasPrefix("False") { fortran = false } else {
      throw TensorError("'\(path)': malformed fortran_order in .npy header")
    }
    let s = try value(of: "shape")
    guard s.first == "(", let close = s.firstIndex(of: ")") else {
      throw TensorError("'\(path)': malformed shape in .npy header")
    }
    var shape: [Int] = []
    for part in s[s.index(after: s.startIndex)..<close].split(separator: ",") {
      let t = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
      if t.isEmpty { continue }
      guard let v = Int(t), v >= 0 else { throw TensorError("'\(path)': malformed shape in .npy header: '\(s[...close])'") }
      shape.append(v)
    }
    guard descr.count >= 3, "<>|=".contains(descr.first ?? "?") else {
      throw TensorError("'\(path)': unsupported dtype '\(descr)'")
    }
    return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape, dataOffset: dataOffset)
  }
}

extension Tensor {
  /// Loads a .npy file. With `mmap` the file is mapped read-only and the
  /// tensor reads it lazily (only float32/float64/int32/bool little-endian files
  /// can be mapped, as the bytes are used as they are).
  public static func loadNPY(_ path: String, mmap: Bool = false) throws -> Tensor {
    let f = try RawFile(reading: path)
    defer { f.close() }
    return try decodeNPY(f, mapping: mmap ? f : nil)
  }

  /// Decodes .npy bytes (a file or an .npz member); maps `mapping` when given.
  static func decodeNPY(_ f: some ByteSource, mapping: RawFile?) throws -> Tensor {
    let path = f.path
    let h = try NPYHeader.read(f)
    let dt = try h.dtype(path)
    let count = try checkedCount(h.shape)
    let (bytes, o) = count.multipliedReportingOverflow(by: h.itemSize)
    guard !o, bytes <= f.size - h.dataOffset else {
      throw TensorError("'\(path)' is truncated: header says shape \(formatShape(h.shape)) of '\(h.descr)' = \(o ? "too many" : String(bytes)) bytes at offset \(h.dataOffset), but the file has \(f.size - h.dataOffset)")
    }
    let diskShape = h.fortranOrder ? Array(h.shape.reversed()) : h.shape
    let direct = !h.bigEndian && h.itemSize == dt.itemSize && (h.kind == "f" || h.kind == "b" || (h.kind == "i" && h.itemSize == 4))
    var t: Tensor
    if let mapFile = mapping {
      guard direct else {
        throw TensorError("'\(path)': cannot memory-map dtype '\(h.descr)'; mmap needs little-endian f4, f8, i4 or b1 (load without mmap to convert)")
      }
      t = try Tensor.mapFile(mapFile, offset: h.dataOffset, bytes: bytes, shape: diskShape, dtype: dt)
    } else if direct {
      t = try Tensor.empty(diskShape, dt, zeroed: false)
      try f.read(into: t.raw, count: bytes, at: h.dataOffset)
      if dt == .bool { t.normalizeBoolBytes() }
    } else {
      t = try Tensor.empty(diskShape, dt)
      var buf = [UInt8](repeating: 0, count: bytes)
      try buf.withUnsafeMutableBytes { b in
        if let p = b.baseAddress { try f.read(into: p, count: bytes, at: h.dataOffset) }
      }
      try convertNPY(buf, header: h, into: t, path: path)
    }
    if h.fortranOrder { t = t.T }
    return t
  }

  /// Converts raw .npy element bytes of another width or byte order into `t`.
  static func convertNPY(_ buf: [UInt8], header h: NPYHeader, into t: Tensor, path: String) throws {
    let size = h.itemSize
    let big = h.bigEndian
    for i in 0..<t.count {
      var bits: UInt64 = 0
      for b in 0..<size {
        let byte = UInt64(buf[i * size + (big ? size - 1 - b : b)])
        bits |= byte << UInt64(8 * b)
      }
      let v: Double
      switch (h.kind, size) {
      case ("f", 2): v = Double(halfToFloat(UInt16(truncatingIfNeeded: bits)))
      case ("f", 4): v = Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
      case ("f", 8): v = Double(bitPattern: bits)
      case ("i", _):
        let shift = UInt64(64 - 8 * size)
        let signed = Int64(bitPattern: bits << shift) >> Int64(shift)
        guard signed >= Int64(Int32.min) && signed <= Int64(Int32.max) else {
          throw TensorError("'\(path)': value \(signed) at element \(i) does not fit in int32")
        }
        v = Double(signed)
      default: v = Double(bits)   // u1, u2, b1
      }
      writeDouble(v, into: t, at: i)
    }
  }

  /// The .npy header text for this tensor (C order, little-endian), padded to 64 bytes.
  func npyHeaderBytes() -> [UInt8] {
    let descr: String
    switch dtype {
    case .float32: descr = "<f4"
    case .float64: descr = "<f8"
    case .int32: descr = "<i4"
    case .bool: descr = "|b1"
    }
    var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(formatShape(shape)), }"
    let unpadded = 10 + dict.utf8.count + 1
    dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    let n = dict.utf8.count
    return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(dict.utf8)
  }

  /// The whole .npy file as bytes.
  public func npyData() throws -> Data {
    let c = try contiguous()
    var d = Data(npyHeaderBytes())
    d.append(Data(bytes: c.raw, count: c.count * dtype.itemSize))
    return d
  }

  /// Writes this tensor to a .npy file (version 1.0, C order, little-endian).
  public func saveNPY(_ path: String) throws {
    let c = try contiguous()
    let header = npyHeaderBytes()
    try header.withUnsafeBytes { h in
      guard let hp = h.baseAddress else { return }
      try writeFile(path, [(hp, h.count), (UnsafeRawPointer(c.raw), c.count * dtype.itemSize)])
    }
  }
}

extension Tensor {
  /// Makes every byte of a freshly read bool tensor 0 or 1: a file may hold any
  /// nonzero byte for true, and conversions (astype to int32, sums in the kernels)
  /// read the byte as a number. (A memory-mapped file is read-only and kept as is.)
  func normalizeBoolBytes() {
    let p = pointer(UInt8.self)
    for i in 0..<count where p[i] > 1 { p[i] = 1 }
  }

  /// Decodes .npy bytes held in memory (the inverse of `npyData()`); `name` is used in errors.
  public init(npyData data: Data, name: String = "<npy bytes>") throws {
    self = try Tensor.decodeNPY(MemorySource(path: name, data: data), mapping: nil)
  }
}
