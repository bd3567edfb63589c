import Foundation
import LTLang
import LTStdlib

/// Runs scripts for `exec`, `-e` and piped stdin: values to stdout, errors to stderr.
enum Runner {
    static func exec(_ file: SourceFile) -> Int32 {
        let sink = TerminalSink()
        let interpreter = Stdlib.makeInterpreter(sink: sink)
        // The process exits right after the script: freeing the session first (every
        // global, built-in and function, one by one) was a tenth of a one-line script's
        // instructions, and no deinit does more than free memory.
        defer { _ = Unmanaged.passRetained(interpreter) }
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

    /// Runs the script at `path` ('-' is stdin); an unreadable path is an error, exit 1.
    static func exec(path: String) -> Int32 {
        if path == "-" { return exec(bytes: readStandardInput(), name: "<stdin>") }
        switch readFile(path) {
        case .success(let bytes): return exec(bytes: bytes, name: path)
        case .failure(let reason):
            Terminal.writeError(DiagnosticRenderer.render(Diagnostic(.io, "cannot read '\(path)': \(reason)"),
                                                          style: Terminal.errorStyle))
            return 1
        }
    }

    /// The bytes of the file at `path`, or why not (for `exec` and the REPL's `:load`). POSIX
    /// calls, not `Data(contentsOf:)`: Foundation's URL and file-manager set-up was a
    /// tenth of `ltnb exec`'s start-up (docs/decisions.md, "Start-up").
    static func readFile(_ path: String) -> Result<[UInt8], ReadFailure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadFailure(errno: errno)) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return .failure(ReadFailure(errno: errno)) }
        if status.st_mode & S_IFMT == S_IFDIR { return .failure(ReadFailure(reason: "it is a directory")) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(Int(status.st_size) + 1, 1 << 16))
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(errno: errno))
            }
            if n == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// Why a file could not be read, as the diagnostic says it.
    struct ReadFailure: Error, CustomStringConvertible {
        let description: String
        init(reason: String) { description = reason }
        init(errno code: Int32) {
            description = code == ENOENT ? "no such file" : String(cString: strerror(code)).lowercased()
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

