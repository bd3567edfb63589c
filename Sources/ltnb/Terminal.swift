import Foundation
import LTLang

/// Terminal output: a buffered stdout (flushed before errors and prompts) and stderr.
enum Terminal {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    static func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func flush() {
        writeAll(STDOUT_FILENO, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    static func writeError(_ text: String) {
        flush()
        writeAll(STDERR_FILENO, Array(text.utf8))
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                return  // a closed pipe: nothing more to do
            }
            offset += n
        }
    }

    /// Colour only on a terminal and when NO_COLOR is unset.
    static var errorStyle: DiagnosticRenderer.Style {
        let env = ProcessInfo.processInfo.environment
        return isatty(STDERR_FILENO) != 0 && env["NO_COLOR"] == nil && env["TERM"] != "dumb" ? .ansi : .plain
    }
}
