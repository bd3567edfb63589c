/// Colours cell source for the report: a small tokenizer that follows the lexical rules of
/// LANGUAGE.md (comments, keywords, numbers, strings with `{}` interpolation, operators).
/// It never fails: anything it does not recognise is plain text. Every piece is escaped.
enum Highlighter {
    static let keywords: Set<String> = [
        "fn", "let", "if", "else", "for", "in", "while", "return", "break", "continue",
        "true", "false", "nil", "and", "or", "not",
    ]

    /// The code as HTML with `<span class="tok-…">` around comments, keywords, numbers,
    /// strings and function names.
    static func html(_ code: String) -> String {
        let chars = Array(code)
        var out = ""
        var i = 0
        func span(_ cls: String, _ text: String) { out += "<span class=\"tok-\(cls)\">\(HTML.escape(text))</span>" }
        var previousWord = ""
        while i < chars.count {
            let c = chars[i]
            if c == "#" {
                var j = i
                while j < chars.count, chars[j] != "\n" { j += 1 }
                span("com", String(chars[i..<j])); i = j; continue
            }
            if c == "\"" || c == "'" {
                var j = i + 1
                while j < chars.count, chars[j] != c, chars[j] != "\n" {
                    j += chars[j] == "\\" ? 2 : 1
                }
                j = min(j + 1, chars.count)
                span("str", String(chars[i..<j])); i = j; continue
            }
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber && !(i > 0 && isWordChar(chars[i - 1]))) {
                var j = i
                while j < chars.count, chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
                if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                    var k = j + 1
                    if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
                    if k < chars.count, chars[k].isNumber {
                        j = k
                        while j < chars.count, chars[j].isNumber { j += 1 }
                    }
                }
                span("num", String(chars[i..<j])); i = j; continue
            }
            if isWordStart(c) {
                var j = i
                while j < chars.count, isWordChar(chars[j]) { j += 1 }
                let word = String(chars[i..<j])
                if keywords.contains(word) {
                    span("kw", word)
                } else if previousWord == "fn" {
                    span("fn", word)
                } else {
                    out += HTML.escape(word)
                }
                previousWord = word
                i = j; continue
            }
            if !c.isWhitespace { previousWord = "" }
            out += HTML.escape(String(c))
            i += 1
        }
        return out
    }

    private static func isWordStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
    private static func isWordChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
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
                // Control characters other than tab/newline are not allowed in HTML text.
                if ch.value < 0x20 && ch != "\n" && ch != "\t" || ch.value == 0x7F || (0x80...0x9F).contains(ch.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }
}
