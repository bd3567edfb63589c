/// Tables as Markdown pipe tables (GitHub and Pandoc): padded columns so the source reads
/// as a table too, alignment colons, `**bold**` highlights, and a Pandoc-style
/// "Table: caption" line after the table.
extension Table {
    /// Escapes characters that would end a cell or start inline markup.
    static func escapeMarkdown(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\", "|", "*", "_", "`", "[", "]": out += "\\" + String(ch)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r", "\t": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// The table as a Markdown pipe table, ending in a newline.
    public func markdown() -> String {
        let cells = formatted()
        let numeric = columns.indices.map { isNumeric($0) }
        let body = cells.map { row in
            row.map { shown -> String in
                let t = shown.missing ? "—" : Table.escapeMarkdown(shown.text)
                return shown.bold ? "**\(t)**" : t
            }
        }
        let header = columns.map(Table.escapeMarkdown)
        let widths = columns.indices.map { c in max(3, header[c].count, body.map { $0[c].count }.max() ?? 0) }
        func line(_ items: [String]) -> String {
            "| " + items.enumerated().map { c, s in
                numeric[c] ? TextFit.padLeft(s, widths[c]) : TextFit.padRight(s, widths[c])
            }.joined(separator: " | ") + " |"
        }
        var lines = [line(header)]
        lines.append("|" + widths.enumerated().map { c, w in
            numeric[c] ? " " + String(repeating: "-", count: w - 1) + ": " : " :" + String(repeating: "-", count: w - 1) + " "
        }.joined(separator: "|") + "|")
        lines += body.map(line)
        if let caption = options.caption, !caption.isEmpty {
            lines += ["", "Table: " + Table.escapeMarkdown(caption)]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
