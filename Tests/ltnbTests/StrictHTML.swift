import Foundation

/// A strict checker for the HTML ltnb writes, for machines without the Nu HTML checker
/// (and run alongside it where it is installed). Stricter than HTML5 where ltnb never
/// relies on leniency: every non-void element is closed explicitly and in order; `/>`
/// only inside SVG; no block element inside `<p>`; no duplicate attributes or ids; every
/// `#fragment` link has a target. It also checks the report's security rules: no scripts,
/// event-handler attributes, `javascript:` URLs or external resources.
enum StrictHTML {
    static let void: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
    /// Elements that close an open `<p>` in HTML5 (so `<p><pre>` is never what was meant).
    static let block: Set<String> = [
        "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
        "section", "table", "ul",
    ]
    static let rawText: Set<String> = ["style", "script", "title", "textarea"]
    static let forbidden: Set<String> = ["script", "iframe", "object", "embed", "link", "base", "form", "frame", "frameset"]

    /// Controls other than ASCII whitespace, DEL, C1 controls and noncharacters.
    static func isForbidden(_ ch: Unicode.Scalar) -> Bool {
        let v = ch.value
        if v < 0x20 { return !(v == 0x09 || v == 0x0A || v == 0x0C || v == 0x0D) }
        return (0x7F...0x9F).contains(v) || (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE
    }

    /// Every problem found, each with its line; empty when the document passes.
    static func check(_ html: String) -> [String] {
        var problems: [String] = []
        let chars = Array(html.unicodeScalars)
        var line = 1
        var i = 0
        func problem(_ message: String) { problems.append("line \(line): \(message)") }
        func advance(to j: Int) {
            while i < j { if chars[i] == "\n" { line += 1 }; i += 1 }
        }
        func starts(_ s: String, at k: Int) -> Bool {
            let u = Array(s.unicodeScalars)
            guard k + u.count <= chars.count else { return false }
            for (n, c) in u.enumerated() where String(chars[k + n]).lowercased() != String(c).lowercased() { return false }
            return true
        }

        if !html.hasPrefix("<!DOCTYPE html>") { problem("the document must start with <!DOCTYPE html>") }
        for (n, ch) in html.unicodeScalars.enumerated() where isForbidden(ch) {
            problems.append("scalar \(n): forbidden code point U+\(String(ch.value, radix: 16, uppercase: true))")
            break
        }
        var open: [String] = []
        var ids = Set<String>()
        var fragments: [(String, Int)] = []
        var sawHTML = false

        while i < chars.count {
            let c = chars[i]
            if c == "&" {
                var j = i + 1
                if j < chars.count, chars[j] == "#" { j += 1 }
                let start = j
                while j < chars.count, chars[j].properties.isAlphabetic || ("0"..."9").contains(chars[j]) { j += 1 }
                if j == start || j >= chars.count || chars[j] != ";" {
                    // HTML5 allows a bare & before a space; ltnb always writes &amp;.
                    if j > start { problem("character reference without ';'") }
                }
                advance(to: i + 1)
                continue
            }
            guard c == "<" else {
                if c == ">" { /* allowed in text, though ltnb escapes it */ }
                advance(to: i + 1)
                continue
            }
            if starts("<!--", at: i) {
                var j = i + 4
                while j < chars.count, !starts("-->", at: j) { j += 1 }
                if j >= chars.count { problem("unclosed comment") }
                advance(to: min(j + 3, chars.count))
                continue
            }
            if starts("<!DOCTYPE", at: i) {
                if i != 0 { problem("DOCTYPE not at the start") }
                var j = i
                while j < chars.count, chars[j] != ">" { j += 1 }
                advance(to: min(j + 1, chars.count))
                continue
            }
            // A tag.
            var j = i + 1
            let closing = j < chars.count && chars[j] == "/"
            if closing { j += 1 }
            let nameStart = j
            while j < chars.count, chars[j].properties.isAlphabetic || ("0"..."9").contains(chars[j]) || chars[j] == "-" { j += 1 }
            guard j > nameStart, chars[nameStart].properties.isAlphabetic else {
                problem("'<' that does not start a tag (write &lt;)")
                advance(to: i + 1)
                continue
            }
            let name = String(String.UnicodeScalarView(chars[nameStart..<j])).lowercased()
            // Attributes.
            var attributes: [String: String] = [:]
            var selfClosing = false
            var ok = true
            while j < chars.count {
                while j < chars.count, chars[j] == " " || chars[j] == "\n" || chars[j] == "\t" { j += 1 }
                guard j < chars.count else { break }
                if chars[j] == ">" { break }
                if chars[j] == "/", j + 1 < chars.count, chars[j + 1] == ">" { selfClosing = true; j += 1; break }
                let aStart = j
                while j < chars.count, !" \n\t=>/\"'<".unicodeScalars.contains(chars[j]) { j += 1 }
                guard j > aStart else { problem("malformed attribute in <\(name)>"); ok = false; break }
                let attr = String(String.UnicodeScalarView(chars[aStart..<j])).lowercased()
                var value = ""
                if j < chars.count, chars[j] == "=" {
                    j += 1
                    guard j < chars.count, chars[j] == "\"" || chars[j] == "'" else {
                        problem("unquoted value for '\(attr)' in <\(name)>"); ok = false; break
                    }
                    let q = chars[j]
                    let vStart = j + 1
                    j = vStart
                    while j < chars.count, chars[j] != q { j += 1 }
                    guard j < chars.count else { problem("unterminated attribute value in <\(name)>"); ok = false; break }
                    value = String(String.UnicodeScalarView(chars[vStart..<j]))
                    if value.contains("<") { problem("'<' inside the value of '\(attr)' in <\(name)>") }
                    j += 1
                }
                if attributes[attr] != nil { problem("duplicate attribute '\(attr)' in <\(name)>") }
                attributes[attr] = value
            }
            guard ok, j < chars.count, chars[j] == ">" else {
                if ok { problem("unterminated tag <\(name)") }
                advance(to: min(j + 1, chars.count))
                continue
            }
            let inSVG = open.contains("svg")
            if closing {
                if void.contains(name) { problem("end tag for void element </\(name)>") }
                else if open.last == name { open.removeLast() }
                else { problem("</\(name)> closes nothing (open: \(open.suffix(3).joined(separator: " > ")))") }
            } else {
                if forbidden.contains(name) { problem("forbidden element <\(name)>") }
                for (attr, value) in attributes {
                    if attr.hasPrefix("on") { problem("event-handler attribute '\(attr)' on <\(name)>") }
                    let v = value.lowercased().filter { !$0.isWhitespace }
                    if attr == "href" || attr == "src" || attr == "xlink:href" {
                        if v.hasPrefix("javascript:") || v.hasPrefix("vbscript:") { problem("script URL in '\(attr)'") }
                        if attr != "href", v.hasPrefix("http:") || v.hasPrefix("https:") || v.hasPrefix("//") {
                            problem("external resource '\(value)' on <\(name)>")
                        }
                        if attr == "href", v.hasPrefix("#") { fragments.append((String(value.dropFirst()), line)) }
                    }
                }
                if let id = attributes["id"] {
                    if id.isEmpty || id.contains(where: \.isWhitespace) { problem("invalid id '\(id)'") }
                    if !ids.insert(id).inserted { problem("duplicate id '\(id)'") }
                }
                if name == "html" { sawHTML = true }
                if !inSVG, block.contains(name), open.contains("p") { problem("<\(name)> inside <p>") }
                if name == "a", open.contains("a") { problem("<a> inside <a>") }
                if selfClosing, !inSVG, !void.contains(name), name != "svg" { problem("self-closing <\(name)/> is not allowed in HTML") }
                if !void.contains(name), !selfClosing {
                    open.append(name)
                    if rawText.contains(name), !inSVG {
                        // Raw text up to the matching end tag.
                        var k = j + 1
                        while k < chars.count, !starts("</\(name)", at: k) { k += 1 }
                        if k >= chars.count { problem("unclosed <\(name)>") }
                        advance(to: k)
                        continue
                    }
                }
            }
            advance(to: j + 1)
        }
        if !open.isEmpty { problem("unclosed elements at the end: \(open.joined(separator: " > "))") }
        if !sawHTML { problem("no <html> element") }
        for (fragment, at) in fragments where !fragment.isEmpty && !ids.contains(fragment) {
            problems.append("line \(at): link to '#\(fragment)', which no element has as its id")
        }
        return problems
    }
}
