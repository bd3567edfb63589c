/// Lexical classes of source text for syntax colouring (the HTML report, and any front
/// end that colours code), taken from the language's own lexer so colouring always agrees
/// with what the parser reads. Never fails: text the lexer rejects (an unterminated string
/// in an `eval: false` cell, say) is left plain up to the end of its line and lexing
/// resumes after it.
public enum SyntaxSpans {
    /// What a span of source is.
    public enum Kind: String, Sendable {
        case keyword, number, string, comment
        /// The name in `fn name(...)`.
        case function
    }

    /// A classified span: UTF-8 byte offsets into the text, end exclusive.
    public struct Span: Equatable, Sendable {
        public var start: Int
        public var end: Int
        public var kind: Kind
    }

    /// The classified spans of `text`, in order and not overlapping; bytes outside every
    /// span are plain (names, operators, spaces).
    public static func of(_ text: String) -> [Span] {
        let file = SourceFile(name: "", text: text)
        var spans: [Span] = []
        classify(file, SourceRange(0, file.bytes.count), into: &spans)
        return spans
    }

    private static func classify(_ file: SourceFile, _ range: SourceRange, into spans: inout [Span]) {
        var tokens: [Token] = []
        lexTolerantly(file, range, into: &tokens)
        let bytes = file.bytes
        var previous: TokenKind?
        var at = range.start
        for token in tokens {
            if case .end = token.kind { continue }
            comments(bytes, at..<max(at, token.range.start), into: &spans)
            at = max(at, token.range.end)
            switch token.kind {
            case .keyword: spans.append(Span(start: token.range.start, end: token.range.end, kind: .keyword))
            case .number: spans.append(Span(start: token.range.start, end: token.range.end, kind: .number))
            case .identifier:
                if case .keyword(.fn)? = previous {
                    spans.append(Span(start: token.range.start, end: token.range.end, kind: .function))
                }
            case .string(let segments):
                // Interpolated code inside a string is coloured as code.
                var from = token.range.start
                for case .code(let code) in segments where code.start >= from && code.end <= token.range.end {
                    spans.append(Span(start: from, end: code.start, kind: .string))
                    classify(file, code, into: &spans)
                    from = code.end
                }
                spans.append(Span(start: from, end: token.range.end, kind: .string))
            default: break
            }
            if case .newline = token.kind {} else { previous = token.kind }
        }
        comments(bytes, at..<max(at, range.end), into: &spans)
    }

    /// Lexes `range`; where the lexer fails, the rest of that line is skipped (left plain)
    /// and the text before and after it is lexed on its own.
    private static func lexTolerantly(_ file: SourceFile, _ range: SourceRange, into tokens: inout [Token]) {
        guard range.start < range.end else { return }
        do {
            tokens += try Lexer.tokenize(file, range: range)
        } catch {
            let failure = min(max(error.range?.start ?? range.start, range.start), range.end)
            if failure > range.start, failure < range.end { lexTolerantly(file, SourceRange(range.start, failure), into: &tokens) }
            var resume = failure
            while resume < range.end, file.bytes[resume] != UInt8(ascii: "\n") { resume += 1 }
            lexTolerantly(file, SourceRange(max(resume, failure + 1), range.end), into: &tokens)
        }
    }

    /// Comments (`#` to the end of the line) in the text between two tokens.
    private static func comments(_ bytes: [UInt8], _ gap: Range<Int>, into spans: inout [Span]) {
        var p = gap.lowerBound
        while p < gap.upperBound {
            if bytes[p] == UInt8(ascii: "#") {
                var e = p
                while e < gap.upperBound, bytes[e] != UInt8(ascii: "\n") { e += 1 }
                spans.append(Span(start: p, end: e, kind: .comment))
                p = e
            } else {
                p += 1
            }
        }
    }
}
