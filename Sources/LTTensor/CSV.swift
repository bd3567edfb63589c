import Foundation
import LTNumberText

/// CSV files of numeric features with an optional label column.
///
/// Fields follow RFC 4180: commas and newlines inside double quotes, `""` for
/// a quote. Empty fields and NA/NaN/null are missing values, read as NaN. A
/// row with a different number of fields is an error naming its line.
public struct CSVTable: Sendable {
  /// Names of the feature columns, in order.
  public let columns: [String]
  /// The features, float32 of shape (rows, columns).
  public let features: Tensor
  /// The label column as int32 class indices, when a label column was given.
  public let labels: Tensor?
  /// Class names: the sorted distinct label strings; for whole-number labels
  /// (class indices) "0" up to the largest label.
  public let classes: [String]

  /// Whole-number labels must be below this (one_hot's limit on classes).
  public static let maxClasses = 1 << 24
}

/// Which column holds the labels.
public enum CSVColumn: Sendable {
  case name(String)
  case index(Int)
}

/// Splits CSV text into records of fields, with the 1-based line each record starts on.
func parseCSV(_ text: String, path: String) throws -> [(line: Int, fields: [String])] {
  try parseCSV(Array(text.utf8), path: path)
}

/// Splits CSV bytes (UTF-8) into records of fields, with the 1-based line each record
/// starts on. It works on the bytes, as every delimiter is ASCII, so a file costs its
/// own size in memory plus its fields, not four bytes per character.
func parseCSV(_ bytes: [UInt8], path: String) throws -> [(line: Int, fields: [String])] {
  let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, newline: UInt8 = 0x0A, ret: UInt8 = 0x0D
  var records: [(Int, [String])] = []
  var field: [UInt8] = [], fields: [String] = []
  var inQuotes = false, line = 1, recordLine = 1, fieldStarted = false
  var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0   // a UTF-8 byte-order mark
  func endField() {
    fields.append(String(decoding: field, as: UTF8.self))
    field.removeAll(keepingCapacity: true)
  }
  func endRecord() {
    endField()
    if !(fields.count == 1 && fields[0].isEmpty && !fieldStarted) { records.append((recordLine, fields)) }
    fields = []
    fieldStarted = false
  }
  while i < bytes.count {
    let c = bytes[i]
    if inQuotes {
      if c == quote {
        if i + 1 < bytes.count && bytes[i + 1] == quote {
          field.append(quote)
          i += 1
        } else {
          inQuotes = false
        }
      } else {
        if c == newline { line += 1 }
        field.append(c)
      }
    } else if c == quote {
      inQuotes = true
      fieldStarted = true
    } else if c == comma {
      endField()
      fieldStarted = true
    } else if c == newline || c == ret {
      if c == ret && i + 1 < bytes.count && bytes[i + 1] == newline { i += 1 }
      endRecord()
      line += 1
      recordLine = line
    } else {
      field.append(c)
      fieldStarted = true
    }
    i += 1
  }
  if inQuotes { throw TensorError("'\(path)':\(recordLine): unterminated quoted field") }
  if !field.isEmpty || !fields.isEmpty || fieldStarted { endRecord() }
  return records
}

extension Tensor {
  /// Reads a CSV file. `header` says whether the first row names the columns;
  /// `label` picks the label column; `columns` restricts the feature columns
  /// (default: every other column, which must all be numeric).
  public static func loadCSV(_ path: String, header: Bool = true, label: CSVColumn? = nil, columns: [String]? = nil) throws -> CSVTable {
    let f = try RawFile(reading: path)
    defer { f.close() }
    guard f.size <= TensorStorage.maxBytes else { throw TensorError("'\(path)' is too large to read") }
    var records = try parseCSV(try f.bytes(f.size, at: 0), path: path)
    guard let first = records.first else { throw TensorError("'\(path)' is empty") }
    let width = first.fields.count
    let names = header ? first.fields.map { $0.trimmingCharacters(in: .whitespaces) } : (0..<width).map { "c\($0)" }
    if header { records.removeFirst() }
    for r in records where r.fields.count != width {
      throw TensorError("'\(path)':\(r.line): row has \(r.fields.count) fields, expected \(width)")
    }
    var labelIndex: Int? = nil
    switch label {
    case .name(let n)?:
      guard let i = names.firstIndex(of: n) else { throw TensorError("'\(path)': no column named '\(n)'; columns are \(names.joined(separator: ", "))") }
      labelIndex = i
    case .index(let i)?:
      let j = i < 0 ? i + width : i
      guard j >= 0 && j < width else { throw TensorError("'\(path)': label column \(i) is out of range for \(width) columns") }
      labelIndex = j
    case nil: break
    }
    var featureIdx = (0..<width).filter { $0 != labelIndex }
    if let columns {
      featureIdx = try columns.map { c in
        guard let i = names.firstIndex(of: c) else { throw TensorError("'\(path)': no column named '\(c)'") }
        return i
      }
    }
    let out = try Tensor.empty([records.count, featureIdx.count], .float32)
    let p = out.pointer(Float.self)
    for (r, rec) in records.enumerated() {
      for (j, c) in featureIdx.enumerated() {
        let s = rec.fields[c].trimmingCharacters(in: .whitespaces)
        if s.isEmpty || ["na", "nan", "null", "none"].contains(s.lowercased()) {
          p[r * featureIdx.count + j] = .nan
        } else if let v = Double(s) {
          p[r * featureIdx.count + j] = Float(v)
        } else {
          throw TensorError("'\(path)':\(rec.line): column '\(names[c])': cannot read '\(s)' as a number")
        }
      }
    }
    var labels: Tensor? = nil
    var classes: [String] = []
    if let li = labelIndex {
      let raw = records.map { $0.fields[li].trimmingCharacters(in: .whitespaces) }
      let ints = raw.map { Int32($0) }
      if !raw.isEmpty, ints.allSatisfy({ $0 != nil && $0 ?? -1 >= 0 }) {
        let v = ints.map { $0 ?? 0 }
        // Whole-number labels are class indices 0...max, one class name each: a label
        // past one_hot's limit would make millions of classes from one row.
        if let big = v.firstIndex(where: { Int($0) >= CSVTable.maxClasses }) {
          throw TensorError("'\(path)':\(records[big].line): label \(v[big]) is too large for a class index (at most \(CSVTable.maxClasses - 1))")
        }
        labels = try Tensor(int32s: v, shape: [v.count])
        classes = (0...(v.max() ?? 0)).map { String($0) }
      } else {
        classes = Array(Set(raw)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Int32($0)) })
        let v = raw.map { index[$0] ?? 0 }
        labels = try Tensor(int32s: v, shape: [v.count])
      }
    }
    return CSVTable(columns: featureIdx.map { names[$0] }, features: out, labels: labels, classes: classes)
  }

  /// Writes a 1-d or 2-d tensor as CSV with a header row (default c0, c1, ...),
  /// optionally followed by a `label` column.
  public func saveCSV(_ path: String, header: [String]? = nil, labels: Tensor? = nil, labelName: String = "label") throws {
    guard ndim == 1 || ndim == 2 else { throw TensorError("save_csv needs a 1-d or 2-d tensor, got shape \(formatShape(shape))") }
    let rows = shape[0], cols = ndim == 2 ? shape[1] : 1
    let names = header ?? (0..<cols).map { "c\($0)" }
    guard names.count == cols else { throw TensorError("save_csv: \(names.count) header names for \(cols) columns") }
    if let labels, labels.count != rows { throw TensorError("save_csv: \(labels.count) labels for \(rows) rows") }
    func quote(_ s: String) -> String {
      s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    let values = toDoubles(), lab = labels?.toDoubles()
    var text = (names + (labels == nil ? [] : [labelName])).map(quote).joined(separator: ",") + "\n"
    for r in 0..<rows {
      var fields = (0..<cols).map { c -> String in
        let v = values[r * cols + c]
        if v.isNaN { return "" }
        if dtype == .float32 { return "\(Float(v))" }
        return dtype.isFloat ? "\(v)" : formatFixed(v, digits: 0)
      }
      if let lab { fields.append(lab[r].isFinite ? formatFixed(lab[r], digits: 0) : "") }
      text += fields.joined(separator: ",") + "\n"
    }
    let bytes = Array(text.utf8)
    try bytes.withUnsafeBytes { b in
      guard let p = b.baseAddress else { return }
      try writeFile(path, [(p, b.count)])
    }
  }
}
