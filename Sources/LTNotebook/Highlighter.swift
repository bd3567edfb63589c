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

/// Escaping for everything that comes from the notebook or its outputs.
enum HTML {
    /// Escapes `& < > " '` for text and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if isForbidden(ch) && ch != "\r" && ch != "\u{C}" {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }

    /// Code points HTML5 forbids in a document: controls other than ASCII whitespace
    /// (tab, LF, FF, CR), DEL, C1 controls and noncharacters. The Nu checker rejects them.
    static func isForbidden(_ ch: Unicode.Scalar) -> Bool {
        let v = ch.value
        if v < 0x20 { return !(v == 0x09 || v == 0x0A || v == 0x0C || v == 0x0D) }
        return (0x7F...0x9F).contains(v) || (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE
    }

    /// Replaces forbidden code points anywhere in a finished page with U+FFFD, so text
    /// that reached the page through a template or a library's HTML (a title, printed
    /// output, a table cell) never makes it invalid.
    static func scrub(_ html: String) -> String {
        guard html.unicodeScalars.contains(where: isForbidden) else { return html }
        var out = String.UnicodeScalarView()
        for ch in html.unicodeScalars { out.append(isForbidden(ch) ? "\u{FFFD}" : ch) }
        return String(out)
    }
}
