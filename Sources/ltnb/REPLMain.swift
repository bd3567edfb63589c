import Foundation
import LTLang
import LTStdlib

/// The interactive REPL (a plain line reader until the readline REPL lands).
enum REPLMain {
    static func start() -> Int32 {
        let sink = TerminalSink()
        let interpreter = Stdlib.makeInterpreter(sink: sink)
        var buffer = ""
        var n = 0
        while true {
            Terminal.write(buffer.isEmpty ? "ltnb> " : "  ... ")
            Terminal.flush()
            guard let line = readLine() else { break }
            buffer += (buffer.isEmpty ? "" : "\n") + line
            n += 1
            let file = SourceFile(name: "<repl:\(n)>", text: buffer)
            if let d = Interpreter.parse(file), d.kind == .incomplete { continue }
            do {
                if let v = try interpreter.evaluate(file) { sink.emit(.value(v)) }
            } catch {
                sink.emit(.error(error))
            }
            buffer = ""
        }
        return 0
    }
}
