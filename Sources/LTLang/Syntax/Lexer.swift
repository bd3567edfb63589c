/// Turns source bytes into tokens, applying LANGUAGE.md's newline rules so the parser
/// sees a `newline` token only where a statement may end.
struct Lexer {
    let file: SourceFile
    private let bytes: [UInt8]
    private var pos: Int
    private let end: Int
    private var tokens: [Token] = []
    /// Open brackets; a newline inside `(` or `[` is not a statement end.
    private var brackets: [UInt8] = []

    init(file: SourceFile, range: SourceRange? = nil) {
        self.file = file
        self.bytes = file.bytes
        self.pos = range?.start ?? 0
        self.end = min(range?.end ?? file.bytes.count, file.bytes.count)
    }

    /// Lexes the whole range; throws the first error.
    static func tokenize(_ file: SourceFile, range: SourceRange? = nil) throws(Diagnostic) -> [Token] {
        var lexer = Lexer(file: file, range: range)
        try lexer.run()
        return lexer.tokens
    }

    private func error(_ message: String, _ start: Int, _ stop: Int, kind: Diagnostic.Kind = .syntax) -> Diagnostic {
        Diagnostic(kind, message, file: file, range: SourceRange(start, stop))
    }

    private func peek(_ ahead: Int = 0) -> UInt8 {
        pos + ahead < end ? bytes[pos + ahead] : 0
    }

    private mutating func run() throws(Diagnostic) {
        while true {
            skipSpacesAndComments()
            guard pos < end else { break }
            let c = bytes[pos]
            if c == UInt8(ascii: "\n") {
                let start = pos
                pos += 1
                emitNewline(at: start)
                continue
            }
            if isDigit(c) || (c == UInt8(ascii: ".") && isDigit(peek(1)) && !previousEndsOperand) {
                try lexNumber()
            } else if isIdentifierStart(c) {
                lexIdentifier()
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                try lexString(quote: c)
            } else {
                try lexSymbol()
            }
        }
        // End of input sits right after the last token, so "expected an expression, found
        // end of input" points at the line that needs more, not at a blank line below it.
        let last = tokens.last(where: { if case .newline = $0.kind { return false }; return true })
        let at = last?.range.end ?? end
        tokens.append(Token(kind: .end, range: SourceRange(at, at)))
    }

    private var previousEndsOperand: Bool {
        guard let last = tokens.last else { return false }
        switch last.kind {
        case .number, .string, .identifier: return true
        case .symbol(let s): return s == .rparen || s == .rbracket || s == .rbrace
        case .keyword(let k): return k == .true || k == .false || k == .nil
        default: return false
        }
    }

    private mutating func skipSpacesAndComments() {
        while pos < end {
            let c = bytes[pos]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                pos += 1
            } else if c == UInt8(ascii: "#") {
                while pos < end, bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            } else if c == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "\n") {
                pos += 2  // explicit line continuation
            } else {
                return
            }
        }
    }

    /// Emits a statement-ending newline unless a rule of LANGUAGE.md says the line goes on.
    private mutating func emitNewline(at offset: Int) {
        if let top = brackets.last, top != UInt8(ascii: "{") { return }
        guard let last = tokens.last else { return }
        switch last.kind {
        case .newline: return
        case .symbol(let s) where s.continuesLine || s == .lbrace || s == .semicolon: return
        case .keyword(let k) where k == .and || k == .or || k == .not: return
        default: break
        }
        if nextLineContinues() { return }
        tokens.append(Token(kind: .newline, range: SourceRange(offset, offset + 1)))
    }

    /// True when the next non-blank line starts with `|>` or `.name` (a pipeline or chain).
    private func nextLineContinues() -> Bool {
        var p = pos
        while p < end {
            let c = bytes[p]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n") {
                p += 1
            } else if c == UInt8(ascii: "#") {
                while p < end, bytes[p] != UInt8(ascii: "\n") { p += 1 }
            } else {
                let next = p + 1 < end ? bytes[p + 1] : 0
                if c == UInt8(ascii: "|") && next == UInt8(ascii: ">") { return true }
                if c == UInt8(ascii: ".") && isIdentifierStart(next) { return true }
                return false
            }
        }
        return false
    }

    private mutating func lexNumber() throws(Diagnostic) {
        let start = pos
        var text = ""
        func takeDigits(_ lexer: inout Lexer, into text: inout String) {
            while lexer.pos < lexer.end {
                let c = lexer.bytes[lexer.pos]
                if lexer.isDigit(c) { text.append(Character(UnicodeScalar(c))); lexer.pos += 1 }
                else if c == UInt8(ascii: "_"), lexer.isDigit(lexer.peek(1)) { lexer.pos += 1 }
                else { break }
            }
        }
        takeDigits(&self, into: &text)
        if peek() == UInt8(ascii: "."), isDigit(peek(1)) {
            text.append("."); pos += 1
            takeDigits(&self, into: &text)
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            var look = 1
            if peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-") { look = 2 }
            if isDigit(peek(look)) {
                text.append("e")
                if look == 2 { text.append(Character(UnicodeScalar(peek(1)))) }
                pos += look
                takeDigits(&self, into: &text)
            }
        }
        if isIdentifierStart(peek()) {
            let badStart = pos
            while pos < end, isIdentifierPart(bytes[pos]) { pos += 1 }
            throw error("invalid number literal", start, pos, kind: .syntax).with(note: "a name cannot start right after a number (at column \(file.location(of: badStart).column))")
        }
        guard let value = Double(text) else { throw error("invalid number literal", start, pos) }
        tokens.append(Token(kind: .number(value), range: SourceRange(start, pos)))
    }

    private mutating func lexIdentifier() {
        let start = pos
        while pos < end, isIdentifierPart(bytes[pos]) { pos += 1 }
        let name = String(decoding: bytes[start..<pos], as: UTF8.self)
        let kind: TokenKind = Keyword(rawValue: name).map { .keyword($0) } ?? .identifier(name)
        tokens.append(Token(kind: kind, range: SourceRange(start, pos)))
    }

    private mutating func lexString(quote: UInt8) throws(Diagnostic) {
        let start = pos
        pos += 1
        var segments: [StringSegment] = []
        var buffer: [UInt8] = []
        func flush() {
            if !buffer.isEmpty { segments.append(.text(String(decoding: buffer, as: UTF8.self))); buffer.removeAll() }
        }
        while true {
            guard pos < end else {
                throw error("unterminated string", start, end, kind: .incomplete)
            }
            let c = bytes[pos]
            if c == quote { pos += 1; break }
            if c == UInt8(ascii: "\\") {
                let escStart = pos
                pos += 1
                guard pos < end else { throw error("unterminated string", start, end, kind: .incomplete) }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "n"): buffer.append(10)
                case UInt8(ascii: "t"): buffer.append(9)
                case UInt8(ascii: "r"): buffer.append(13)
                case UInt8(ascii: "0"): buffer.append(0)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                    buffer.append(e)
                case UInt8(ascii: "u"):
                    guard peek() == UInt8(ascii: "{") else {
                        throw error("expected '{' after \\u, as in \\u{1F600}", escStart, pos)
                    }
                    pos += 1
                    let hexStart = pos
                    while pos < end, bytes[pos] != UInt8(ascii: "}"), pos - hexStart < 8 { pos += 1 }
                    let hex = String(decoding: bytes[hexStart..<pos], as: UTF8.self)
                    guard peek() == UInt8(ascii: "}"), let code = UInt32(hex, radix: 16),
                          let scalar = UnicodeScalar(code) else {
                        throw error("invalid unicode escape; expected \\u{HEX} with a valid code point", escStart, min(pos + 1, end))
                    }
                    pos += 1
                    buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw error("unknown escape sequence '\\\(Character(UnicodeScalar(e)))'", escStart, pos)
                }
                continue
            }
            if c == UInt8(ascii: "{") {
                if peek(1) == UInt8(ascii: "{") { buffer.append(c); pos += 2; continue }
                flush()
                let codeStart = pos + 1
                let codeEnd = try findInterpolationEnd(from: codeStart, stringStart: start)
                segments.append(.code(SourceRange(codeStart, codeEnd)))
                pos = codeEnd + 1
                continue
            }
            if c == UInt8(ascii: "}") {
                if peek(1) == UInt8(ascii: "}") { buffer.append(c); pos += 2; continue }
                throw error("single '}' in string; write '}}' for a literal brace", pos, pos + 1)
            }
            buffer.append(c)
            pos += 1
        }
        flush()
        tokens.append(Token(kind: .string(segments), range: SourceRange(start, pos)))
    }

    /// Finds the `}` closing an interpolation, skipping nested braces and strings.
    private func findInterpolationEnd(from start: Int, stringStart: Int) throws(Diagnostic) -> Int {
        var p = start
        var depth = 0
        while p < end {
            let c = bytes[p]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                let q = c
                p += 1
                while p < end, bytes[p] != q {
                    if bytes[p] == UInt8(ascii: "\\") { p += 1 }
                    p += 1
                }
            } else if c == UInt8(ascii: "{") {
                depth += 1
            } else if c == UInt8(ascii: "}") {
                if depth == 0 { return p }
                depth -= 1
            } else if c == UInt8(ascii: "\n") {
                break
            }
            p += 1
        }
        throw error("unterminated '{' in string; write '{{' for a literal brace", start - 1, start)
    }

    private mutating func lexSymbol() throws(Diagnostic) {
        let start = pos
        let c = bytes[pos]
        let two = pos + 1 < end ? String(decoding: bytes[pos...(pos + 1)], as: UTF8.self) : ""
        if two.count == 2, let s = Symbol(rawValue: two) {
            pos += 2
            tokens.append(Token(kind: .symbol(s), range: SourceRange(start, pos)))
            return
        }
        let one = String(decoding: [c], as: UTF8.self)
        guard let s = Symbol(rawValue: one) else {
            // Decode a whole UTF-8 character for the message.
            var stop = pos + 1
            while stop < end, bytes[stop] & 0xC0 == 0x80 { stop += 1 }
            let text = String(decoding: bytes[pos..<stop], as: UTF8.self)
            var hint: [String] = text == "!" ? ["use 'not' for negation"] : text == "&" ? ["use 'and'"] : text == "|" ? ["use 'or', or '|>' to pipe"] : []
            if c >= 0x80 { hint.append("names are ASCII letters, digits and '_'; other text belongs in strings") }
            throw Diagnostic(.syntax, "unexpected character '\(text)'", file: file, range: SourceRange(pos, stop), notes: hint)
        }
        pos += 1
        switch s {
        case .lparen, .lbracket, .lbrace: brackets.append(c)
        case .rparen, .rbracket, .rbrace: if !brackets.isEmpty { brackets.removeLast() }
        default: break
        }
        tokens.append(Token(kind: .symbol(s), range: SourceRange(start, pos)))
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }
    private func isIdentifierPart(_ c: UInt8) -> Bool { isIdentifierStart(c) || isDigit(c) }
}

extension Diagnostic {
    /// A copy with one more note.
    func with(note: String) -> Diagnostic { var d = self; d.notes.append(note); return d }
}
