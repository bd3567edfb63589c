/// Tables as LaTeX with booktabs rules (`\toprule`, `\midrule`, `\bottomrule`), ready to
/// `\input` into a paper: specials escaped, highlights in `\textbf{}`, minus signs typeset
/// as `$-$`, missing values as an em dash.
extension Table {
    /// Escapes the LaTeX specials `& % $ # _ { } ~ ^ \`, and `| < >`, which the default
    /// OT1 font encoding would print as other glyphs.
    static func escapeLaTeX(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&", "%", "$", "#", "_", "{", "}": out += "\\" + String(ch)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "\\": out += "\\textbackslash{}"
            case "|": out += "\\textbar{}"
            case "<": out += "\\textless{}"
            case ">": out += "\\textgreater{}"
            case "\n", "\r", "\t": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// The table as a LaTeX `table` environment with a booktabs `tabular`; needs
    /// `\usepackage{booktabs}`.
    public func latex() -> String {
        let cells = formatted()
        let numeric = columns.indices.map { isNumeric($0) }
        var lines = ["\\begin{table}[t]", "  \\centering"]
        if let caption = options.caption, !caption.isEmpty {
            lines.append("  \\caption{\(Table.escapeLaTeX(caption))}")
        }
        lines.append("  \\begin{tabular}{\(numeric.map { $0 ? "r" : "l" }.joined())}")
        lines.append("    \\toprule")
        lines.append("    " + columns.map(Table.escapeLaTeX).joined(separator: " & ") + " \\\\")
        lines.append("    \\midrule")
        for row in cells {
            let items = row.map { shown -> String in
                if shown.missing { return "---" }
                var t = Table.escapeLaTeX(shown.text)
                if shown.numeric && t.hasPrefix("-") { t = "$-$" + t.dropFirst() }
                return shown.bold ? "\\textbf{\(t)}" : t
            }
            lines.append("    " + items.joined(separator: " & ") + " \\\\")
        }
        lines += ["    \\bottomrule", "  \\end{tabular}", "\\end{table}"]
        return lines.joined(separator: "\n") + "\n"
    }
}
