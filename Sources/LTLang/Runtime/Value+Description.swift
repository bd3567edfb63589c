/// Text forms of values (LANGUAGE.md "Display"), shared by `print`, `str` and display.

// formatNumber lives in LTNumberText, so diagnostics below the language print numbers
// the same way; re-exported, as every user of LTLang displays values.
@_exported import LTNumberText

/// Quotes a string with escapes, as displayed inside lists and records.
public func quoteString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

extension Value {
    /// The text `print` and `str` use: strings bare, everything else as displayed.
    public var plainText: String {
        if case .string(let s) = self { return s }
        return displayText
    }

    /// The display form: strings quoted, containers recursively, cycles as `[...]`.
    public var displayText: String {
        var out = ""
        var visiting = Set<ObjectIdentifier>()
        Value.write(self, into: &out, visiting: &visiting, multiline: true, depth: 0)
        return out
    }

    /// One line, for nesting in containers and error messages.
    public var inlineText: String {
        var out = ""
        var visiting = Set<ObjectIdentifier>()
        Value.write(self, into: &out, visiting: &visiting, multiline: false, depth: 0)
        return out
    }

    /// Containers nested deeper than this print as `[...]` / `{...}`, so printing a
    /// structure built by a long loop cannot exhaust the stack.
    static let maxDisplayDepth = 1_000
    /// Text past this many bytes is cut with `...`: a list holding itself twice per level
    /// (a DAG, not a cycle) would otherwise print exponentially long.
    static let maxDisplayBytes = 1 << 24

    private static func write(_ value: Value, into out: inout String, visiting: inout Set<ObjectIdentifier>, multiline: Bool,
                              depth: Int) {
        if out.utf8.count > maxDisplayBytes { return }
        switch value {
        case .nil: out += "nil"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += formatNumber(n)
        case .string(let s): out += quoteString(s)
        case .list(let box):
            let id = ObjectIdentifier(box)
            if visiting.contains(id) || depth >= maxDisplayDepth { out += "[...]"; return }
            visiting.insert(id)
            out += "["
            for (i, item) in box.items.enumerated() {
                if i > 0 { out += ", " }
                if out.utf8.count > maxDisplayBytes { out += "..."; break }
                write(item, into: &out, visiting: &visiting, multiline: false, depth: depth + 1)
            }
            out += "]"
            visiting.remove(id)
        case .record(let box):
            let id = ObjectIdentifier(box)
            if visiting.contains(id) || depth >= maxDisplayDepth { out += "{...}"; return }
            visiting.insert(id)
            out += "{"
            for (i, key) in box.keys.enumerated() {
                if i > 0 { out += ", " }
                if out.utf8.count > maxDisplayBytes { out += "..."; break }
                out += isPlainName(key) ? key : quoteString(key)
                out += ": "
                write(box.values[i], into: &out, visiting: &visiting, multiline: false, depth: depth + 1)
            }
            out += "}"
            visiting.remove(id)
        case .function(let f): out += f.signatureText
        case .object(let o): out += multiline ? o.display : o.summary
        }
    }
}

/// True for identifiers that need no quotes as record keys.
func isPlainName(_ s: String) -> Bool {
    guard let first = s.utf8.first, !(first >= 48 && first <= 57) else { return false }
    return s.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        && Keyword(rawValue: s) == nil
}
