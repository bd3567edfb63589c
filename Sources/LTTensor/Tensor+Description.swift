import Foundation
import LTNumberText

/// NumPy-style printing with the shape and dtype always shown:
///
///     tensor([[1.50, -2.00],
///             [3.00,  4.25]], shape: (2, 2), dtype: float32)
///
/// Elements share one format per tensor: integers without a point when every
/// value is whole; otherwise fixed point with the fewest decimals (at most 4)
/// that show every value exactly, or `1.2346e+09` scientific when some value is
/// at least 1e8 or a nonzero value is below 1e-4. Tensors over 1000 elements
/// show 3 items at each edge of every axis with `...` between. Rows wrap at 75
/// columns. An empty tensor prints as `tensor([], shape: (3, 0), dtype: float32)`.
extension Tensor: CustomStringConvertible {
  /// Element count above which printing is summarised with `...`.
  public static let printThreshold = 1000
  /// Items kept at each end of a summarised axis.
  public static let printEdgeItems = 3
  static let lineWidth = 75

  public var description: String {
    let prefix = "tensor("
    let suffix = ", shape: \(formatShape(shape)), dtype: \(dtype))"
    // Read through the strides: printing a view of a huge (or mapped) tensor
    // must not copy it.
    let c = self
    // An empty tensor prints as NumPy does, `[]` and the shape: listing the
    // (possibly huge) lengths before its zero-length axis would print nothing.
    if count == 0 && ndim > 0 { return prefix + "[]" + suffix }
    let summarise = count > Tensor.printThreshold
    // indices kept along each axis
    let kept: [[Int?]] = shape.map { n in
      let e = Tensor.printEdgeItems
      if summarise && n > 2 * e { return Array(0..<e).map { Optional($0) } + [nil] + Array((n - e)..<n).map { Optional($0) } }
      return Array(0..<n).map { Optional($0) }
    }
    var shown: [Double] = []
    func collect(_ axis: Int, _ base: Int) {
      if axis == shape.count {
        shown.append(c.double(atOffset: base))
        return
      }
      for i in kept[axis] { if let i { collect(axis + 1, base + i * c.strides[axis]) } }
    }
    if count > 0 { collect(0, 0) }
    let fmt = ElementFormat(dtype: dtype, values: shown)
    if ndim == 0 { return prefix + fmt.pad(fmt.text(shown.first ?? 0)) + suffix }
    let width = shown.map { fmt.text($0).count }.max() ?? 0
    func render(_ axis: Int, _ base: Int, _ indent: Int) -> String {
      if axis == shape.count - 1 {
        var lines: [String] = []
        var line = "["
        for (j, i) in kept[axis].enumerated() {
          let item = i.map { fmt.text(c.double(atOffset: base + $0 * c.strides[axis])) } ?? "..."
          let padded = String(repeating: " ", count: Swift.max(0, width - item.count)) + item
          let piece = padded + (j == kept[axis].count - 1 ? "" : ",")
          if line.count > 1 && indent + line.count + piece.count + 1 > Tensor.lineWidth {
            lines.append(line)
            line = " "
          } else if line.count > 1 {
            line += " "
          }
          line += piece
        }
        lines.append(line + "]")
        return lines.joined(separator: "\n" + String(repeating: " ", count: indent))
      }
      let blank = String(repeating: "\n", count: Swift.max(1, shape.count - axis - 1))
      var parts: [String] = []
      for i in kept[axis] {
        if let i {
          parts.append(render(axis + 1, base + i * c.strides[axis], indent + 1))
        } else {
          parts.append("...")
        }
      }
      return "[" + parts.joined(separator: "," + blank + String(repeating: " ", count: indent + 1)) + "]"
    }
    return prefix + render(0, 0, prefix.count) + suffix
  }
}

/// One number format shared by all elements of a printed tensor.
struct ElementFormat {
  enum Style { case integer, fixed(Int), scientific, bool }
  let style: Style

  init(dtype: DType, values: [Double]) {
    if dtype == .bool { style = .bool; return }
    if dtype == .int32 { style = .integer; return }
    let finite = values.filter { $0.isFinite }
    if finite.allSatisfy({ $0.rounded() == $0 && Swift.abs($0) < 1e16 }) { style = .integer; return }
    let maxAbs = finite.map { Swift.abs($0) }.max() ?? 0
    let minNonzero = finite.filter { $0 != 0 }.map { Swift.abs($0) }.min() ?? 0
    if maxAbs >= 1e8 || (minNonzero > 0 && minNonzero < 1e-4) { style = .scientific; return }
    var decimals = 1
    let isFloat32 = dtype == .float32
    for v in finite {
      while decimals < 4 {
        let s = formatFixed(v, digits: decimals)
        let back = Double(s) ?? v
        if isFloat32 ? Float(back) == Float(v) : back == v { break }
        decimals += 1
      }
    }
    style = .fixed(decimals)
  }

  func text(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    switch style {
    case .bool: return v != 0 ? "true" : "false"
    case .integer: return formatFixed(v, digits: 0)
    case .fixed(let d): return formatFixed(v, digits: d)
    case .scientific: return formatScientific(v, digits: 4)
    }
  }

  func pad(_ s: String) -> String { s }
}
