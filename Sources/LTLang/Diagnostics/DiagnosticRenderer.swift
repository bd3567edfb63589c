import Foundation

/// Renders a `Diagnostic` as the caret block of LANGUAGE.md:
///
///     error: shapes (3, 4) and (5, 2) cannot be multiplied: 4 != 5
///       --> analysis.ltnb:12:9
///        |
///     12 |     z = a @ b
///        |         ^^^^^
///       in fn project (analysis.ltnb:10:1)
///
/// One renderer serves the REPL, `ltnb exec` and the notebook report.
public enum DiagnosticRenderer {
    /// ANSI styles; empty strings when colour is off.
    public struct Style: Sendable {
        public var error = "", caret = "", gutter = "", reset = ""
        public static let plain = Style()
        public static let ansi = Style(error: "\u{1B}[1;31m", caret: "\u{1B}[1;31m", gutter: "\u{1B}[34m", reset: "\u{1B}[0m")
    }

    public static func render(_ d: Diagnostic, style: Style = .plain) -> String {
        var out = "\(style.error)error\(style.reset): \(d.message)\n"
        if let file = d.file, let range = d.range {
            let start = file.location(of: range.start)
            let lineIndex = file.lineIndex(of: min(range.start, file.bytes.count))
            let lineText = file.lineText(lineIndex).replacingTabs()
            let gutterWidth = String(start.line).count
            let pad = String(repeating: " ", count: gutterWidth)
            out += "\(pad)\(style.gutter)-->\(style.reset) \(file.name):\(start)\n"
            out += "\(pad) \(style.gutter)|\(style.reset)\n"
            out += "\(style.gutter)\(start.line) |\(style.reset) \(lineText)\n"
            // Underline to the end of the range, but not past the end of the first line.
            let lineLength = lineText.count
            let end = file.location(of: range.end)
            let endColumn = end.line == start.line ? end.column : lineLength + 1
            let width = max(1, min(endColumn, lineLength + 1) - start.column)
            let indent = String(repeating: " ", count: max(0, start.column - 1))
            out += "\(pad) \(style.gutter)|\(style.reset) \(indent)\(style.caret)\(String(repeating: "^", count: width))\(style.reset)\n"
        }
        for note in d.notes { out += "  = \(note)\n" }
        for entry in d.callStack {
            out += "  in fn \(entry.function) (\(entry.file):\(entry.location))\n"
            if entry.repeats > 0 { out += "  ... repeated \(entry.repeats) more time\(entry.repeats == 1 ? "" : "s")\n" }
        }
        if d.omittedStackEntries > 0 { out += "  ... and \(d.omittedStackEntries) more calls\n" }
        return out
    }
}

extension String {
    /// Tabs become single spaces so carets line up with what the terminal shows.
    func replacingTabs() -> String { replacingOccurrences(of: "\t", with: " ") }
}
