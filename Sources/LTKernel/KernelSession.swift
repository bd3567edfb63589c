import Foundation
import LTLang
import LTNotebook
import LTStdlib

/// The language side of the kernel, free of sockets so it is tested directly: one
/// interpreter for the whole session, its execution counter and history, and the answers
/// to execute, complete, inspect, is_complete and history requests.
public final class KernelSession {
    /// An output of a running cell, published on iopub as it happens.
    public enum Output {
        case stream(name: String, text: String)
        case displayData(JSONObject)
        case executeResult(JSONObject)
        case error(ename: String, evalue: String, traceback: [String])
    }

    public enum Outcome {
        case ok
        case error(ename: String, evalue: String, traceback: [String])
    }

    public let interpreter: Interpreter
    /// Cells run with store_history so far; the next one gets this plus one.
    public private(set) var executionCount = 0
    /// Stored cells: (execution count, input, text/plain of its result or "").
    public private(set) var history: [(line: Int, input: String, output: String)] = []
    private let sink: Sink

    /// `publish` receives every output of a cell while it runs (silent cells publish nothing).
    public init(publish: @escaping (Output) -> Void) {
        sink = Sink(publish)
        interpreter = Stdlib.makeInterpreter(sink: sink)
    }

    /// Runs one cell. Bindings survive errors and interrupts, as at the REPL.
    public func execute(_ code: String, silent: Bool = false, storeHistory: Bool = true) -> (count: Int, outcome: Outcome) {
        let store = storeHistory && !silent
        if store { executionCount += 1 }
        let count = store ? executionCount : max(executionCount, 1)
        sink.silent = silent
        defer { sink.silent = false }
        let file = SourceFile(name: "<cell \(count)>", text: code)
        do {
            var resultText = ""
            if let value = try interpreter.evaluate(file) {
                let bundle = MimeBundle.of(value)
                resultText = bundle.string("text/plain") ?? ""
                // A figure is shown as a plot, not as the cell's Out[n] (as matplotlib's are).
                sink.send(MimeBundle.isFigure(value) ? .displayData(bundle) : .executeResult(bundle))
            }
            if store { history.append((count, code, resultText)) }
            return (count, .ok)
        } catch {
            let e = MimeBundle.error(error)
            sink.send(.error(ename: e.ename, evalue: e.evalue, traceback: e.traceback))
            if store { history.append((count, code, "")) }
            return (count, .error(ename: e.ename, evalue: e.evalue, traceback: e.traceback))
        }
    }

    // MARK: - Introspection

    /// The REPL's completer at `cursor` (in Unicode code points, as Jupyter counts).
    public func complete(_ code: String, cursor: Int) -> (matches: [String], start: Int, end: Int, notes: [String: String]) {
        let scalars = Array(code.unicodeScalars)
        let end = min(max(cursor, 0), scalars.count)
        let before = String(String.UnicodeScalarView(scalars[..<end]))
        let c = CodeCompleter(interpreter: interpreter).complete(code, cursor: before.utf8.count)
        let startByte = min(c.start, before.utf8.count)
        let start = String(decoding: Array(before.utf8)[..<startByte], as: UTF8.self).unicodeScalars.count
        return (c.candidates, start, end, c.notes)
    }

    /// `help(name)` text for the name under or before the cursor: a built-in's full
    /// documentation, or a binding's type and summary.
    public func inspect(_ code: String, cursor: Int) -> String? {
        guard let name = Self.word(in: code, at: cursor) else { return nil }
        if let text = Help.text(forName: name) { return text }
        guard let value = interpreter.global(name) else { return nil }
        return "\(name): \(CodeCompleter.note(for: value))\n"
    }

    /// The identifier touching code point `cursor`.
    static func word(in code: String, at cursor: Int) -> String? {
        let scalars = Array(code.unicodeScalars)
        func isWord(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || s == "_" || ("0"..."9").contains(s) }
        var lo = min(max(cursor, 0), scalars.count), hi = lo
        while lo > 0, isWord(scalars[lo - 1]) { lo -= 1 }
        while hi < scalars.count, isWord(scalars[hi]) { hi += 1 }
        guard lo < hi else { return nil }
        return String(String.UnicodeScalarView(scalars[lo..<hi]))
    }

    /// is_complete: the REPL's rule for when `...` continues an entry.
    public func isComplete(_ code: String) -> (status: String, indent: String) {
        switch EntryStatus.of(code) {
        case .complete: return ("complete", "")
        case .incomplete: return ("incomplete", Self.indent(for: code))
        case .invalid: return ("invalid", "")
        }
    }

    /// Two spaces per bracket still open at the end, as a console should indent the next line.
    static func indent(for code: String) -> String {
        let scan = CodeCompleter.Scan(Array(code.utf8))
        return String(repeating: "  ", count: scan.openBrackets)
    }

    // MARK: - History

    /// history_request: `tail` (last n), `range` (lines start..<stop; session 0 is this one)
    /// and `search` (glob pattern, optionally unique, last n). Sessions are not kept across
    /// restarts, so every entry is in session 1.
    public func history(_ content: JSONObject) -> [[Any]] {
        let output = content.bool("output") ?? false
        func entry(_ h: (line: Int, input: String, output: String)) -> [Any] {
            output ? [1, h.line, [h.input, h.output]] : [1, h.line, h.input]
        }
        switch content.string("hist_access_type") ?? "tail" {
        case "range":
            let session = content.int("session") ?? 0
            guard session == 0 || session == 1 else { return [] }
            let start = content.int("start") ?? 0
            let stop = content.int("stop") ?? Int.max
            return history.filter { $0.line >= start && $0.line < stop }.map(entry)
        case "search":
            let pattern = content.string("pattern") ?? "*"
            var found = history.filter { fnmatch(pattern, $0.input, 0) == 0 }
            if content.bool("unique") ?? false {
                var seen = Set<String>()
                found = found.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let n = content.int("n"), n >= 0 { found = Array(found.suffix(n)) }
            return found.map(entry)
        default:
            let n = max(content.int("n") ?? 10, 0)
            return history.suffix(n).map(entry)
        }
    }

    /// Turns display items into outputs: prints to stdout, `show(x)` as display_data.
    final class Sink: DisplaySink {
        let publish: (Output) -> Void
        var silent = false
        init(_ publish: @escaping (Output) -> Void) { self.publish = publish }

        func send(_ output: Output) { if !silent { publish(output) } }

        func emit(_ item: DisplayItem) {
            switch item {
            case .text(let s): send(.stream(name: "stdout", text: s))
            case .value(let v): send(.displayData(MimeBundle.of(v)))
            case .error(let d): send(.stream(name: "stderr", text: DiagnosticRenderer.render(d, style: .ansi)))
            }
        }
    }
}
