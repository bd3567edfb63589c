// HTML escaping for the report, in one place.

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
