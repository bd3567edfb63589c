/// A minimal SVG builder: elements with attributes in a fixed order, numbers through
/// `NumberFormat.coord`, and every piece of text escaped. Nothing else in LTPlot writes
/// angle brackets for SVG, so escaping cannot be forgotten.
struct SVGWriter {
    private(set) var body = ""
    private var depth = 1

    /// Escapes `&`, `<`, `>`, `"` and `'` for use in text and attribute values, and drops
    /// control characters that XML 1.0 forbids.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out += " "
            default:
                if ch.value < 0x20 || (0xFFFE...0xFFFF).contains(ch.value) { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// An attribute value: numbers formatted as coordinates, strings escaped.
    enum Value {
        case n(Double)
        case s(String)

        var text: String {
            switch self {
            case .n(let v): return NumberFormat.coord(v)
            case .s(let s): return SVGWriter.escape(s)
            }
        }
    }

    private static func attrs(_ a: KeyValuePairs<String, Value>) -> String {
        a.map { " \($0.key)=\"\($0.value.text)\"" }.joined()
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    /// A self-closing element such as `<line .../>`.
    mutating func empty(_ name: String, _ a: KeyValuePairs<String, Value>) {
        body += "\(indent)<\(name)\(SVGWriter.attrs(a))/>\n"
    }

    /// An element holding escaped text, such as `<text ...>label</text>`.
    mutating func text(_ name: String, _ a: KeyValuePairs<String, Value>, _ content: String) {
        body += "\(indent)<\(name)\(SVGWriter.attrs(a))>\(SVGWriter.escape(content))</\(name)>\n"
    }

    /// Opens a group (or other container); close it with `close`.
    mutating func open(_ name: String, _ a: KeyValuePairs<String, Value>) {
        body += "\(indent)<\(name)\(SVGWriter.attrs(a))>\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        body += "\(indent)</\(name)>\n"
    }

    /// A points list for `<polyline>` / `<polygon>`.
    static func points(_ pts: [(Double, Double)]) -> String {
        pts.map { "\(NumberFormat.coord($0.0)),\(NumberFormat.coord($0.1))" }.joined(separator: " ")
    }
}
