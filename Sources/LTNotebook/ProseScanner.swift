import Foundation

/// Splits a prose chunk into what Markdown should see and what ltnb handles itself:
/// fenced code blocks (Ink supports neither `~~~` nor long fences, so the report renders
/// them), code spans (passed through), inline `` `{ltnb} expr` `` expressions and
/// `@fig-…` / `@tbl-…` references. The parser and the report use the same scanner, so
/// they agree on what is code and what is text.
enum ProsePiece: Equatable {
    /// Markdown text outside code.
    case markdown(String)
    /// A code span, with its backticks, as written.
    case codeSpan(String)
    /// A fenced block that is not a cell: shown as code.
    case fencedCode(info: String, code: String)
    /// `` `{ltnb} expr` ``.
    case inline(code: String, line: Int, column: Int)
    /// `@label`.
    case reference(label: String, line: Int, column: Int)
}

enum ProseScanner {
    /// An opening fence: its character, length, indentation and info string (trimmed, and
    /// as written), or nil.
    static func openingFence(_ line: Substring) -> (char: Character, count: Int, indent: Int, info: String, rawInfo: String)? {
        let indent = line.prefix(while: { $0 == " " }).count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let c = rest.first, c == "`" || c == "~" else { return nil }
        let count = rest.prefix(while: { $0 == c }).count
        guard count >= 3 else { return nil }
        let rawInfo = String(rest.dropFirst(count))
        let info = rawInfo.trimmingCharacters(in: .whitespaces)
        if c == "`" && info.contains("`") { return nil }
        return (c, count, indent, info, rawInfo)
    }

    /// Whether `line` closes a fence opened with `count` × `char`.
    static func isClosingFence(_ line: Substring, char: Character, count: Int) -> Bool {
        let indent = line.prefix(while: { $0 == " " }).count
        guard indent <= 3 else { return false }
        let rest = line.dropFirst(indent)
        let n = rest.prefix(while: { $0 == char }).count
        return n >= count && rest.dropFirst(n).allSatisfy { $0 == " " || $0 == "\t" }
    }

    static func scan(_ text: String, firstLine: Int) -> [ProsePiece] {
        var pieces: [ProsePiece] = []
        var pending = ""
        func flush() { if !pending.isEmpty { pieces.append(.markdown(pending)); pending = "" } }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var i = 0
        var inComment = false
        while i < lines.count {
            let line = lines[i]
            if inComment {
                // Inside an HTML comment: nothing counts until `-->`.
                var skip = 0
                if let end = line.range(of: "-->") {
                    inComment = false
                    skip = line.distance(from: line.startIndex, to: end.upperBound)
                } else {
                    skip = line.count
                }
                scanLine(line, from: skip, lineNumber: firstLine + i, into: &pieces, pending: &pending, inComment: &inComment)
                if i + 1 < lines.count { pending += "\n" }
                i += 1
                continue
            }
            if let fence = openingFence(line) {
                var code: [Substring] = []
                var j = i + 1
                while j < lines.count, !isClosingFence(lines[j], char: fence.char, count: fence.count) {
                    code.append(lines[j]); j += 1
                }
                flush()
                let info = fence.info.split(separator: " ").first.map(String.init) ?? ""
                pieces.append(.fencedCode(info: info, code: code.joined(separator: "\n")))
                i = j + 1
                if i < lines.count || j < lines.count { pending += "\n" }
                continue
            }
            scanLine(line, from: 0, lineNumber: firstLine + i, into: &pieces, pending: &pending, inComment: &inComment)
            if i + 1 < lines.count { pending += "\n" }
            i += 1
        }
        flush()
        return pieces
    }

    /// Code spans, inline expressions and references within one line.
    /// HTML comments (`<!-- … -->`, possibly over several lines) are skipped whole: not
    /// shown, and no inline expression or reference inside one counts.
    private static func scanLine(_ line: Substring, from start: Int, lineNumber: Int, into pieces: inout [ProsePiece],
                                 pending: inout String, inComment: inout Bool) {
        let chars = Array(line)
        var k = start
        func flush() { if !pending.isEmpty { pieces.append(.markdown(pending)); pending = "" } }
        while k < chars.count {
            let c = chars[k]
            if c == "<", k + 3 < chars.count, chars[k + 1] == "!", chars[k + 2] == "-", chars[k + 3] == "-" {
                var e = k + 4
                while e + 2 < chars.count, !(chars[e] == "-" && chars[e + 1] == "-" && chars[e + 2] == ">") { e += 1 }
                if e + 2 < chars.count { k = e + 3; continue }
                inComment = true
                return
            }
            if c == "\\", k + 1 < chars.count {
                pending.append(c); pending.append(chars[k + 1]); k += 2; continue
            }
            if c == "`" {
                var n = 0
                while k + n < chars.count, chars[k + n] == "`" { n += 1 }
                // Find a closing run of exactly n backticks.
                var m = k + n
                var close: Int?
                while m < chars.count {
                    if chars[m] == "`" {
                        var r = 0
                        while m + r < chars.count, chars[m + r] == "`" { r += 1 }
                        if r == n { close = m; break }
                        m += r
                    } else { m += 1 }
                }
                guard let close else {
                    pending += String(chars[k..<(k + n)]); k += n; continue
                }
                let inner = String(chars[(k + n)..<close])
                let trimmed = inner.drop(while: { $0 == " " })
                if trimmed.hasPrefix("{ltnb}") {
                    let afterTag = trimmed.dropFirst("{ltnb}".count)
                    let lead = afterTag.prefix(while: { $0 == " " }).count
                    let code = String(afterTag.dropFirst(lead)).trimmingCharacters(in: .whitespaces)
                    let column = k + n + (inner.count - trimmed.count) + "{ltnb}".count + lead + 1
                    flush()
                    pieces.append(.inline(code: code, line: lineNumber, column: column))
                } else {
                    flush()
                    pieces.append(.codeSpan(String(chars[k...(close + n - 1)])))
                }
                k = close + n
                continue
            }
            if c == "@", k + 5 < chars.count, k == 0 || !isLabelBoundary(chars[k - 1]) {
                var e = k + 1
                while e < chars.count, isLabelChar(chars[e]) { e += 1 }
                while e > k + 1, chars[e - 1] == "-" || chars[e - 1] == "_" { e -= 1 }
                let label = String(chars[(k + 1)..<e])
                if label.hasPrefix("fig-") || label.hasPrefix("tbl-"), label.count > 4 {
                    flush()
                    pieces.append(.reference(label: label, line: lineNumber, column: k + 1))
                    k = e
                    continue
                }
            }
            pending.append(c)
            k += 1
        }
    }

    static func isLabelChar(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_")
    }

    /// Characters that make `@` part of a word (an e-mail address), not a reference.
    private static func isLabelBoundary(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "." || c == "-")
    }
}
