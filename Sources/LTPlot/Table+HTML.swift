/// Tables as HTML for reports: `<caption>`, a `<thead>` of `<th scope="col">`, optional
/// row headers `<th scope="row">`, numeric cells with `class="num"` (the report's CSS
/// right-aligns them; no inline styles, which a strict CSP would block), highlights in
/// `<strong>`, and every piece of text escaped.
extension Table {
    /// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attributes.
    static func escapeHTML(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// The table as an HTML `<table>` element, ending in a newline.
    public func html() -> String {
        let cells = formatted()
        let header = rowHeaderColumn
        let numeric = columns.indices.map { isNumeric($0) }
        var out = "<table class=\"ltnb-table\">\n"
        if let caption = options.caption, !caption.isEmpty {
            out += "  <caption>\(Table.escapeHTML(caption))</caption>\n"
        }
        out += "  <thead>\n    <tr>"
        for (c, name) in columns.enumerated() {
            out += numeric[c] ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">"
            out += Table.escapeHTML(name) + "</th>"
        }
        out += "</tr>\n  </thead>\n  <tbody>\n"
        for row in cells {
            out += "    <tr>"
            for (c, shown) in row.enumerated() {
                var content = shown.missing ? "—" : Table.escapeHTML(shown.text)
                if shown.bold { content = "<strong>\(content)</strong>" }
                let cls = shown.numeric ? " class=\"num\"" : (shown.missing ? " class=\"missing\"" : "")
                if c == header {
                    out += "<th scope=\"row\"\(cls)>\(content)</th>"
                } else {
                    out += "<td\(cls)>\(content)</td>"
                }
            }
            out += "</tr>\n"
        }
        out += "  </tbody>\n</table>\n"
        return out
    }
}
