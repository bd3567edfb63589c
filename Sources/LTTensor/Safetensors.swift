import Foundation

/// safetensors files (read only): an 8-byte little-endian header length, a
/// JSON header mapping names to dtype, shape and data offsets, then the data.
/// F16 F32 F64 I32 I64 BOOL are read (F16 to float32, I64 to int32 with a range
/// check). Offsets and sizes are validated against the file before reading.
extension Tensor {
  /// Loads every tensor of a .safetensors file, in data-offset order.
  public static func loadSafetensors(_ path: String) throws -> NamedTensors {
    let f = try RawFile(reading: path)
    defer { f.close() }
    guard f.size >= 8 else { throw TensorError("'\(path)' is not a safetensors file: only \(f.size) bytes") }
    let lenBytes = try f.bytes(8, at: 0)
    let headerLen = lenBytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    guard headerLen <= UInt64(f.size - 8) else {
      throw TensorError("'\(path)': header length \(headerLen) at offset 0 goes past the end of the file (\(f.size) bytes)")
    }
    let dataStart = 8 + Int(headerLen)
    let json = try f.bytes(Int(headerLen), at: 8)
    guard let header = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
      throw TensorError("'\(path)': header at offset 8 is not a JSON object")
    }
    var found: [(offset: Int, name: String, tensor: Tensor)] = []
    for (name, value) in header where name != "__metadata__" {
      guard let info = value as? [String: Any], let dt = info["dtype"] as? String,
        let shapeAny = info["shape"] as? [Any], let offs = info["data_offsets"] as? [Any], offs.count == 2
      else { throw TensorError("'\(path)': malformed header entry for tensor '\(name)'") }
      let shape = try shapeAny.map { v -> Int in
        guard let n = jsonSize(v) else { throw TensorError("'\(path)': tensor '\(name)' has a malformed shape") }
        return n
      }
      guard let begin = jsonSize(offs[0]), let end = jsonSize(offs[1]), end >= begin else {
        throw TensorError("'\(path)': tensor '\(name)' has malformed data_offsets")
      }
      let (dtype, width): (DType, Int)
      switch dt {
      case "F16": (dtype, width) = (.float32, 2)
      case "F32": (dtype, width) = (.float32, 4)
      case "F64": (dtype, width) = (.float64, 8)
      case "I32": (dtype, width) = (.int32, 4)
      case "I64": (dtype, width) = (.int32, 8)
      case "BOOL": (dtype, width) = (.bool, 1)
      default: throw TensorError("'\(path)': tensor '\(name)' has unsupported dtype '\(dt)'; supported: F16 F32 F64 I32 I64 BOOL")
      }
      let count = try checkedCount(shape)
      let (bytes, o) = count.multipliedReportingOverflow(by: width)
      guard !o, bytes == end - begin else {
        throw TensorError("'\(path)': tensor '\(name)' of shape \(formatShape(shape)) \(dt) needs \(o ? "too many" : String(bytes)) bytes but data_offsets give \(end - begin)")
      }
      guard end <= f.size - dataStart else {
        throw TensorError("'\(path)' is truncated: tensor '\(name)' ends at data offset \(end) (file offset \(dataStart) + \(end)), file has \(f.size) bytes")
      }
      let t = try Tensor.empty(shape, dtype)
      if width == dtype.itemSize {
        try f.read(into: t.raw, count: bytes, at: dataStart + begin)
        if dtype == .bool { t.normalizeBoolBytes() }
      } else {
        let raw = try f.bytes(bytes, at: dataStart + begin)
        let desc = dt == "F16" ? "<f2" : "<i8"
        try convertNPY(raw, header: NPYHeader(descr: desc, fortranOrder: false, shape: shape, dataOffset: 0), into: t, path: "\(path)[\(name)]")
      }
      found.append((begin, name, t))
    }
    found.sort { ($0.offset, $0.name) < ($1.offset, $1.name) }
    return NamedTensors(found.map { ($0.name, $0.tensor) })
  }
}

/// A JSON number that is a whole number in 0..<2^53 (exact in a Double, more than any
/// file offset), or nil: 1.5, -1, 1e300 and 2^64 - 1 are malformed sizes, where
/// `NSNumber.intValue` would truncate or wrap them.
func jsonSize(_ v: Any) -> Int? {
  guard let n = v as? NSNumber else { return nil }
  let d = n.doubleValue
  guard d >= 0, d < 9_007_199_254_740_992, d.rounded() == d else { return nil }
  return Int(d)
}
