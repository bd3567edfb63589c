import LTLang

/// Colours cell source for the report with the language's own lexer (`SyntaxSpans`), so
/// the colours always agree with what the parser reads. Every piece is escaped.
enum Highlighter {
    /// The code as HTML with `<span class="tok-…">` around keywords, numbers, strings,
    /// comments and the names of defined functions.
    static func html(_ code: String) -> String {
        let bytes = Array(code.utf8)
        var out = ""
        var at = 0
        func plain(_ end: Int) {
            if end > at { out += HTML.escape(String(decoding: bytes[at..<end], as: UTF8.self)) }
        }
        for span in SyntaxSpans.of(code) where span.start >= at && span.end <= bytes.count && span.start < span.end {
            plain(span.start)
            out += "<span class=\"tok-\(cssClass(span.kind))\">"
                + HTML.escape(String(decoding: bytes[span.start..<span.end], as: UTF8.self)) + "</span>"
            at = span.end
        }
        plain(bytes.count)
        return out
    }

    static func cssClass(_ kind: SyntaxSpans.Kind) -> String {
        switch kind {
        case .keyword: return "kw"
        case .number: return "num"
        case .string: return "str"
        case .comment: return "com"
        case .function: return "fn"
        }
    }
}
