/// Tables as aligned text in the booktabs style papers use: rules above and below the
/// header and at the end, no vertical lines. Numbers are right-aligned, text left-aligned.
///
/// Highlighted values are bold (ANSI) when `color` is on; otherwise they carry a trailing
/// `*`, for which each highlighted column reserves one character so digits stay aligned,
/// and a footer line explains the marker.
extension Table {
    /// The table as aligned text ending in a newline; `ascii` uses `-` for the rules.
    public func text(color: Bool = false, ascii: Bool = false) -> String {
        let cells = formatted()
        let marked = !color && hasHighlight(cells)
        let missing = ascii ? "-" : "—"
        let markColumns = Set(columns.indices.filter { c in cells.contains { $0[c].bold } })
        let widths = columns.indices.map { c -> Int in
            let body = cells.map { ($0[c].missing ? missing : $0[c].text).count + (marked && markColumns.contains(c) ? 1 : 0) }
            return max(columns[c].count, body.max() ?? 0)
        }
        func pad(_ s: String, _ c: Int, numeric: Bool) -> String {
            numeric ? TextFit.padLeft(s, widths[c]) : TextFit.padRight(s, widths[c])
        }
        let total = widths.reduce(0, +) + 2 * (widths.count - 1)
        let rule = String(repeating: ascii ? "-" : "─", count: total)
        var lines: [String] = []
        if let caption = options.caption, !caption.isEmpty { lines.append(caption) }
        lines.append(rule)
        let numericCols = columns.indices.map { isNumeric($0) }
        lines.append(columns.indices.map { pad(columns[$0], $0, numeric: numericCols[$0]) }.joined(separator: "  "))
        lines.append(rule)
        for row in cells {
            let parts = row.enumerated().map { c, shown -> String in
                var s = shown.missing ? missing : shown.text
                if marked && markColumns.contains(c) { s += shown.bold ? "*" : " " }
                let padded = pad(s, c, numeric: shown.numeric || numericCols[c])
                guard color && shown.bold else { return padded }
                let lead = padded.prefix { $0 == " " }
                return lead + "\u{1B}[1m" + padded.dropFirst(lead.count) + "\u{1B}[22m"
            }
            lines.append(trimRight(parts.joined(separator: "  ")))
        }
        lines.append(rule)
        if marked {
            let rules = Set(markColumns.compactMap { options.columnHighlight[columns[$0]] ?? options.highlight })
            let what = rules.count == 1 ? (rules.first == .min ? "lowest" : "highest") : "best"
            lines.append("* \(what) in its column")
        }
        return lines.map(trimRight).joined(separator: "\n") + "\n"
    }

    private func trimRight(_ s: String) -> String {
        var t = s
        while t.hasSuffix(" ") { t.removeLast() }
        return t
    }
}
