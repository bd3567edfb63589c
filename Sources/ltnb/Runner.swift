import Foundation
import LTLang
import LTStdlib

/// Runs scripts for `exec`, `-e` and piped stdin: values to stdout, errors to stderr.
enum Runner {
    static func exec(_ file: SourceFile) -> Int32 {
        let sink = TerminalSink()
        let interpreter = Stdlib.makeInterpreter(sink: sink)
        do {
            if let value = try interpreter.evaluate(file) { sink.emit(.value(value)) }
            return 0
        } catch {
            Terminal.writeError(DiagnosticRenderer.render(error, style: Terminal.errorStyle))
            return 1
        }
    }

    /// Runs the script in `bytes` (a file or stdin); bytes that are not UTF-8 are an error
    /// at their position, exit 1, as any other error in the script.
    static func exec(bytes: [UInt8], name: String) -> Int32 {
        do throws(Diagnostic) {
            return exec(try SourceFile.decoding(bytes, name: name))
        } catch {
            Terminal.writeError(DiagnosticRenderer.render(error, style: Terminal.errorStyle))
            return 1
        }
    }

    static func readStandardInput() -> [UInt8] {
        [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    }

    static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code))).lowercased()
        }
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoSuchFileError { return "no such file" }
        return ns.localizedDescription
    }
}

/// Writes display items to the terminal as text.
final class TerminalSink: DisplaySink {
    func emit(_ item: DisplayItem) {
        switch item {
        case .text(let s): Terminal.write(s)
        case .value(let v): Terminal.write(v.displayText + "\n")
        case .error(let d):
            Terminal.writeError(DiagnosticRenderer.render(d, style: Terminal.errorStyle))
        }
    }
}

