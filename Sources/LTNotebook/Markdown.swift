import Foundation
import Ink

/// Prose to HTML: Ink for Markdown, with everything ltnb handles itself (fenced code,
/// inline values, references) swapped in through placeholders after Ink has run, and
/// Ink's output passed through an allow-list sanitiser. Raw HTML in prose is always shown
/// as text, never passed through (NOTEBOOK.md "The HTML report").
enum MarkdownRenderer {
    /// A heading found in the prose, for the table of contents.
    struct Heading { var level: Int; var id: String; var html: String }

    /// Renders one prose chunk. `inline(k)` gives the HTML for the k-th inline expression
    /// of the chunk, `reference(label)` the HTML for `@label`, and `image(src)` a `data:`
    /// URL for a local image (nil makes the image a link, so the page requests nothing).
    static func render(_ pieces: [ProsePiece], inline: (Int) -> String, reference: (String) -> String,
                       image: (String) -> String? = { _ in nil },
                       headingIDs: inout Set<String>, headings: inout [Heading]) -> String {
        var markdown = ""
        var spans: [String] = []
        var blocks: [String] = []
        var inlineCount = 0
        for piece in pieces {
            switch piece {
            case .markdown(let text):
                markdown += prepare(text)
            case .codeSpan(let code):
                markdown += code
            case .fencedCode(let info, let code):
                let cls = info.isEmpty ? "" : " class=\"language-\(HTML.escape(info))\""
                blocks.append("<pre class=\"ltnb-prose-code\"><code\(cls)>\(HTML.escape(code))</code></pre>")
                markdown += "\n\n\u{E002}\(blocks.count - 1)\u{E003}\n\n"
            case .inline:
                spans.append(inline(inlineCount))
                inlineCount += 1
                markdown += "\u{E000}\(spans.count - 1)\u{E001}"
            case .reference(let label, _, _):
                spans.append(reference(label))
                markdown += "\u{E000}\(spans.count - 1)\u{E001}"
            }
        }
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .html) { HTML.escape(String($0.markdown)) })
        var html = sanitize(parser.html(from: markdown), image: image)
        html = addHeadingIDs(html, used: &headingIDs, headings: &headings)
        for (k, block) in blocks.enumerated() {
            let token = "\u{E002}\(k)\u{E003}"
            html = html.replacingOccurrences(of: "<p>\(token)</p>", with: block + "\n")
            html = html.replacingOccurrences(of: token, with: block)
        }
        for (k, span) in spans.enumerated().reversed() {
            html = html.replacingOccurrences(of: "\u{E000}\(k)\u{E001}", with: span)
        }
        // Ink puts blocks back to back; a newline between them keeps the report readable.
        return html.replacingOccurrences(of: "</p><", with: "</p>\n<")
            .replacingOccurrences(of: "><h", with: ">\n<h")
    }

    /// Fixes what Ink gets wrong in plain text before it sees it: `<` is escaped, so raw
    /// HTML never reaches Ink (which would pass it through, or swallow the rest of the
    /// paragraph looking for a closing tag); a bare `&` that does not start an entity is
    /// escaped (Ink would let `&<img …>;` through); and link titles, which Ink 0.6.0
    /// writes into a malformed `href`, are dropped.
    static func prepare(_ text: String) -> String {
        var out = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == "&" {
                var j = i + 1
                if j < chars.count, chars[j] == "#" { j += 1 }
                let start = j
                while j < chars.count, chars[j].isASCII, chars[j].isLetter || chars[j].isNumber { j += 1 }
                if j > start, j < chars.count, chars[j] == ";" {
                    out += String(chars[i...j]); i = j + 1; continue
                }
                out += "&amp;"; i += 1; continue
            }
            if chars[i] == "<" { out += "&lt;"; i += 1; continue }
            out.append(chars[i]); i += 1
        }
        return out.replacingOccurrences(of: #"\]\(([^()\s]*)\s+"[^"]*"\)"#, with: "]($1)", options: .regularExpression)
    }

    // MARK: - Sanitiser

    private static let allowedTags: [String: Set<String>] = [
        "p": [], "h1": [], "h2": [], "h3": [], "h4": [], "h5": [], "h6": [], "em": [], "strong": [],
        "a": ["href"], "code": ["class"], "pre": [], "ul": [], "ol": ["start"], "li": [], "blockquote": [],
        "hr": [], "br": [], "img": ["src", "alt"], "table": [], "thead": [], "tbody": [], "tr": [],
        "th": ["align"], "td": ["align"], "del": [], "s": [],
    ]

    /// Keeps only allowed tags with allowed, safe attributes; every other `<` becomes
    /// `&lt;`. Remote images become links (a report makes no external requests), and
    /// Ink's obsolete `align` attributes become classes.
    static func sanitize(_ html: String, image: (String) -> String? = { _ in nil }) -> String {
        var out = ""
        var rest = Substring(html)
        var open: [String] = []
        let void: Set<String> = ["hr", "br", "img"]
        while let lt = rest.firstIndex(of: "<") {
            out += rest[..<lt]
            rest = rest[lt...]
            if let (tag, length) = safeTag(rest, image: image) {
                // Keep closing tags only when they close the innermost kept element, so a
                // refused opening tag never leaves a stray `</a>` behind.
                let name = String(tag.dropFirst(tag.hasPrefix("</") ? 2 : 1).prefix { $0.isLetter || $0.isNumber })
                if tag.hasPrefix("</") {
                    guard open.last == name else { out += "&lt;"; rest = rest.dropFirst(); continue }
                    open.removeLast()
                } else if !(void.contains(name) || tag.hasSuffix("</a>")) {
                    open.append(name)
                }
                out += tag
                rest = rest.dropFirst(length)
            } else {
                out += "&lt;"
                rest = rest.dropFirst()
            }
        }
        out += rest
        return out
    }

    // Constant patterns; `try?` rather than `try!` so that even a Foundation that rejected
    // one would degrade (raw HTML escaped as text, headings without ids), never crash.
    private static let tagPattern = try? NSRegularExpression(
        pattern: #"^<(/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*(/?)>"#)
    private static let attributePattern = try? NSRegularExpression(pattern: #"([a-z-]+)="([^"<>]*)""#)

    /// The tag at the start of `s` rewritten safely and the length it covers, or nil.
    private static func safeTag(_ s: Substring, image: (String) -> String?) -> (String, Int)? {
        let text = String(s.prefix(2000))
        let ns = text as NSString
        guard let tagPattern, let attributePattern,
              let m = tagPattern.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let closing = ns.substring(with: m.range(at: 1)) == "/"
        let name = ns.substring(with: m.range(at: 2))
        guard let allowed = allowedTags[name] else { return nil }
        let length = ns.substring(with: m.range).count
        if closing { return ("</\(name)>", length) }
        let attrText = ns.substring(with: m.range(at: 3))
        var attrs: [(String, String)] = []
        for a in attributePattern.matches(in: attrText, range: NSRange(location: 0, length: (attrText as NSString).length)) {
            let key = (attrText as NSString).substring(with: a.range(at: 1))
            let value = (attrText as NSString).substring(with: a.range(at: 2))
            guard allowed.contains(key) else { return nil }
            attrs.append((key, value))
        }
        var rendered = "<\(name)"
        for (key, value) in attrs {
            switch key {
            case "href", "src":
                guard isSafeURL(value) else { return nil }
                if name == "img" {
                    // A self-contained page requests nothing: local images are embedded,
                    // anything else becomes a link.
                    if !isRemote(value), let data = image(decodeAttribute(value)) {
                        rendered += " src=\"\(data)\""
                        continue
                    }
                    let alt = attrs.first { $0.0 == "alt" }?.1 ?? value
                    return ("<a href=\"\(value)\">\(alt.isEmpty ? value : alt)</a>", length)
                }
                rendered += " \(key)=\"\(value)\""
            case "align": rendered += " class=\"align-\(value.filter(\.isLetter))\""
            case "start": guard value.allSatisfy(\.isNumber) else { return nil }; rendered += " start=\"\(value)\""
            case "class": guard value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
                rendered += " class=\"\(value)\""
            default: rendered += " \(key)=\"\(value)\""
            }
        }
        if name == "img", !attrs.contains(where: { $0.0 == "alt" }) { rendered += " alt=\"\"" }
        return (rendered + ">", length)
    }

    /// An attribute value as the path it names: entities and percent-escapes decoded.
    static func decodeAttribute(_ value: String) -> String {
        let unescaped = value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return unescaped.removingPercentEncoding ?? unescaped
    }

    private static func isRemote(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("http:") || lower.hasPrefix("https:") || lower.hasPrefix("//")
    }

    /// Relative URLs, fragments, http(s) and mailto only; no `javascript:`, `data:` or others.
    private static func isSafeURL(_ url: String) -> Bool {
        let lower = url.lowercased().filter { !$0.isWhitespace && !$0.isNewline }
        guard let colon = lower.firstIndex(of: ":") else { return true }
        if let slash = lower.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }), slash < colon { return true }
        let scheme = lower[..<colon]
        return scheme == "http" || scheme == "https" || scheme == "mailto"
    }

    // MARK: - Headings

    private static let headingPattern = try? NSRegularExpression(pattern: #"<h([1-6])>(.*?)</h\1>"#)

    /// Gives each heading a stable id from its text (`Setup` → `setup`, repeats `-2`, ...).
    static func addHeadingIDs(_ html: String, used: inout Set<String>, headings: inout [Heading]) -> String {
        guard let headingPattern else { return html }
        let ns = html as NSString
        var out = ""
        var last = 0
        for m in headingPattern.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            let level = Int(ns.substring(with: m.range(at: 1))) ?? 1
            let inner = ns.substring(with: m.range(at: 2))
            let id = uniqueID(slug(stripTags(inner)), used: &used)
            headings.append(Heading(level: level, id: id, html: stripTags(inner)))
            out += "<h\(level) id=\"\(id)\">\(inner)</h\(level)>"
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return out
    }

    static func stripTags(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
    }

    static func slug(_ text: String) -> String {
        var s = ""
        var dash = false
        let decoded = text.replacingOccurrences(of: "&[a-z0-9#]+;", with: " ", options: .regularExpression)
        for ch in decoded.lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber) { s.append(ch); dash = false }
            else if !dash && !s.isEmpty { s.append("-"); dash = true }
        }
        while s.hasSuffix("-") { s.removeLast() }
        return s.isEmpty ? "section" : "sec-" + s
    }

    static func uniqueID(_ base: String, used: inout Set<String>) -> String {
        var id = base
        var n = 2
        while used.contains(id) { id = "\(base)-\(n)"; n += 1 }
        used.insert(id)
        return id
    }
}
