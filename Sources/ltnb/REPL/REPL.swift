import CReadline
import Foundation
import LTLang
import LTNotebook
import LTStdlib

/// Where the REPL writes: the terminal, or a buffer in tests.
protocol REPLOutput: AnyObject {
    func write(_ text: String)
    func writeError(_ text: String)
    func flush()
    /// Colours for diagnostics; plain when not a terminal or NO_COLOR is set.
    var errorStyle: DiagnosticRenderer.Style { get }
}

/// stdout and stderr through `Terminal`.
final class TerminalOutput: REPLOutput {
    let errorStyle = Terminal.errorStyle
    func write(_ text: String) { Terminal.write(text) }
    func writeError(_ text: String) { Terminal.writeError(text) }
    func flush() { Terminal.flush() }
}

/// Display items of a REPL entry: values per LANGUAGE.md (figures and tables are
/// objects whose display text is already a terminal rendering), errors in place.
final class REPLSink: DisplaySink {
    let output: REPLOutput
    init(_ output: REPLOutput) { self.output = output }

    func emit(_ item: DisplayItem) {
        switch item {
        case .text(let s): output.write(s)
        case .value(let v): output.write(v.displayText + "\n")
        case .error(let d): output.writeError(DiagnosticRenderer.render(d, style: output.errorStyle))
        }
    }
}

/// The read-eval-print loop. Reads entries (continuing with `...` while the parser
/// says the input is incomplete), runs meta-commands, evaluates code on the current
/// thread and keeps every binding after an error or an interrupt.
final class REPL {
    static let prompt = "ltnb> "
    static let continuationPrompt = "...   "

    let interpreter: Interpreter
    let reader: LineReader
    let output: REPLOutput
    /// Code that ran without error, in order: what `:save` writes as cells.
    private(set) var successfulEntries: [String] = []
    private var entryCount = 0

    init(reader: LineReader, output: REPLOutput) {
        self.reader = reader
        self.output = output
        self.interpreter = Stdlib.makeInterpreter(sink: REPLSink(output))
        let reporter = ProgressReporter()
        reporter.draw = { [progressBar] what, step, total, loss in
            progressBar.update(Double(step) / Double(max(total, 1)),
                               label: "\(what) \(step)/\(total) loss \(String(format: "%.3f", loss))")
        }
        interpreter.userData[ProgressReporter.key] = reporter
    }

    /// Drawn by long-running built-ins (finetune) while an entry runs, on a terminal.
    private let progressBar = ProgressBar()

    /// Runs until Ctrl-D, end of input or `:quit`; returns the exit status.
    func run() -> Int32 {
        var pending: [String] = []
        while true {
            output.flush()
            switch reader.read(prompt: pending.isEmpty ? Self.prompt : Self.continuationPrompt) {
            case .end:
                return 0
            case .interrupted:
                pending = []
            case .line(let line):
                if pending.isEmpty, MetaCommand.isMeta(line) {
                    reader.remember(line)
                    if runMeta(line) == .quit { return 0 }
                    continue
                }
                pending.append(line)
                let text = pending.joined(separator: "\n")
                if text.allSatisfy(\.isWhitespace) { pending = []; continue }
                let file = SourceFile(name: "<repl:\(entryCount + 1)>", text: text)
                if EntryStatus.of(text) == .incomplete { continue }
                pending = []
                entryCount += 1
                reader.remember(text)
                if evaluate(file) { successfulEntries.append(text.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
    }

    /// Evaluates one unit and displays its value or its error; true when it succeeded.
    @discardableResult
    func evaluate(_ file: SourceFile) -> Bool {
        PlotDisplay.width = TerminalSize.columns
        defer { progressBar.finish() }
        do {
            if let value = try interpreter.evaluate(file) { interpreter.sink.emit(.value(value)) }
            return true
        } catch {
            if error.kind == .interrupt { output.write("\n") }  // after the terminal's ^C echo
            output.writeError(DiagnosticRenderer.render(error, style: output.errorStyle))
            return false
        }
    }

    /// Records code that `:load` ran, so `:save` reproduces the session.
    func recordSuccess(_ code: String) { successfulEntries.append(code) }

    func forgetEntries() { successfulEntries.removeAll() }
}

extension REPL {
    /// Starts the REPL on the terminal: readline, history, completion and Ctrl-C handling.
    static func start() -> Int32 {
        // Readline needs a UTF-8 locale to edit non-ASCII text as characters.
        let locale = setlocale(LC_CTYPE, "").map { String(cString: $0) } ?? "C"
        if locale == "C" || locale == "POSIX" { setlocale(LC_CTYPE, "C.UTF-8") }
        guard rlshim_load() == 0 else {
            Terminal.writeError("ltnb: \(String(cString: rlshim_error()))\n")
            return 1
        }
        REPLSignals.install()
        let output = TerminalOutput()
        let history = HistoryFile.defaultPath().map { HistoryFile(path: $0) }
        let reader = ReadlineReader(history: history)
        let repl = REPL(reader: reader, output: output)
        reader.completer = Completer(interpreter: repl.interpreter)
        output.write("ltnb \(ltnbVersion) - :help for commands, Ctrl-D to quit\n")
        let status = repl.run()
        output.flush()
        return status
    }
}
