/// Reading source from bytes: a file that is not UTF-8 is refused at the first bad byte,
/// with its line and column, rather than decoded with U+FFFD in place of the byte (which
/// would run a program other than the one in the file) or refused with no position.
extension SourceFile {
    /// The source in `bytes`, or a diagnostic at the first byte that is not UTF-8.
    public static func decoding(_ bytes: [UInt8], name: String, firstLine: Int = 1) throws(Diagnostic) -> SourceFile {
        guard let bad = firstInvalidUTF8Offset(bytes) else {
            return SourceFile(name: name, text: String(decoding: bytes, as: UTF8.self), firstLine: firstLine)
        }
        // Up to the bad byte the lossy text has the same offsets, so the caret lands on it
        // (shown as U+FFFD, three bytes).
        let shown = SourceFile(name: name, text: String(decoding: bytes, as: UTF8.self), firstLine: firstLine)
        let hex = "0x" + String(bytes[bad], radix: 16, uppercase: true)
        throw Diagnostic(.io, "'\(name)' is not UTF-8 text: byte \(hex) cannot start or continue a character here",
                         file: shown, range: SourceRange(bad, bad + 3))
    }

    /// Offset of the first byte that does not belong to a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
