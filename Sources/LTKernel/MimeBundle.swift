import Foundation
import LTLang
import LTPlot
import LTStdlib

/// Values as Jupyter mime bundles: every value has `text/plain` (its REPL text); figures
/// add `image/svg+xml`, tables `text/html` and `text/markdown`, so each front end picks the
/// richest form it can show.
public enum MimeBundle {
    public static func of(_ value: Value) -> JSONObject {
        if case .object(let o) = value {
            if let f = o as? FigureObject {
                return ["image/svg+xml": f.figure.svg(), "text/plain": o.display]
            }
            if let t = o as? TableObject {
                return ["text/html": t.table.html(), "text/markdown": t.table.markdown(), "text/plain": t.table.text()]
            }
        }
        return ["text/plain": value.displayText]
    }

    public static func isFigure(_ value: Value) -> Bool {
        if case .object(let o) = value { return o is FigureObject }
        return false
    }

    /// Jupyter's error triple: a Python-style name from the diagnostic's kind, its message,
    /// and the caret diagnostic (ANSI-coloured, as front ends render it) one line per entry.
    public static func error(_ d: Diagnostic) -> (ename: String, evalue: String, traceback: [String]) {
        let rendered = DiagnosticRenderer.render(d, style: .ansi)
        var lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return (errorName(d.kind), d.message, lines)
    }

    static func errorName(_ kind: Diagnostic.Kind) -> String {
        switch kind {
        case .syntax, .incomplete: return "SyntaxError"
        case .name: return "NameError"
        case .type: return "TypeError"
        case .value: return "ValueError"
        case .index: return "IndexError"
        case .io: return "IOError"
        case .limit: return "LimitError"
        case .interrupt: return "Interrupt"
        case .user: return "Error"
        case .usage: return "UsageError"
        }
    }
}
