/// Grouped bar charts as text, drawn horizontally: category labels read naturally on the
/// left, bar ends get eighth-cell precision (▏▎▍▌▋▊▉█), and each bar is followed by its
/// value, which in a terminal is easier to read than any axis.
extension TextRenderer {
    /// Fill characters per series without colour; the first series keeps eighth-blocks.
    private static let unicodeFills: [Character] = ["█", "▒", "░", "▓"]
    private static let asciiFills: [Character] = ["#", "=", "+", ":", "%", "@"]

    func barFill(_ s: Int) -> Character {
        if ascii { return TextRenderer.asciiFills[s % TextRenderer.asciiFills.count] }
        return color ? "█" : TextRenderer.unicodeFills[s % TextRenderer.unicodeFills.count]
    }

    func barBody(_ data: BarData) -> [String] {
        let logy = figure.options.logy
        let values = data.values.flatMap { $0 }.compactMap { $0 }
        let lo = (values.min() ?? 0) * (logy ? Scale.logFloor : 1), hi = values.max() ?? 1
        let valueLabels = data.values.map { $0.map { $0.map { NumberFormat.short($0) } ?? "" } }
        let labelSpace = (valueLabels.flatMap { $0 }.map(\.count).max() ?? 0) + 1
        var catWidth = min(max(4, width / 3), data.categories.map(\.count).max() ?? 1)
        catWidth = max(1, min(catWidth, width - labelSpace - 2 - 6))
        let gutter = catWidth + 2
        var plotCols = max(4, width - gutter - labelSpace)
        var x = Scale.make(min: lo, max: hi, log: logy, target: max(3, plotCols / 10), includeZero: !logy)
        plotCols = max(4, width - gutter - max(labelSpace, TextRenderer.rightOverhang(x)))
        x = Scale.make(min: lo, max: hi, log: logy, target: max(3, plotCols / 10), includeZero: !logy)

        let nSeries = data.labels.count
        var lines: [String] = []
        if let xl = figure.options.xlabel, !xl.isEmpty { lines.append(TextFit.truncate(xl, width, ascii: ascii)) }
        let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let base = logy ? x.lo : 0
        let zero = Clamp.index(Clamp.unit(x.fraction(base)), plotCols * 8 + 1)
        for (c, category) in data.categories.enumerated() {
            if c > 0 && nSeries > 1 { lines.append(String(repeating: " ", count: gutter - 1) + (ascii ? "|" : "│")) }
            for s in 0..<nSeries {
                var row = TextGrid(cols: plotCols + labelSpace, rows: 1)
                let fg = color ? Palette.color(s).ansi256 : nil
                if let v = data.values[s][c] {
                    let end = Clamp.index(Clamp.unit(x.fraction(v)), plotCols * 8 + 1)
                    let ch = barFill(s)
                    var labelCol: Int
                    if end >= zero {
                        let full = (end - zero) / 8, rest = (end - zero) % 8
                        let start = zero / 8
                        for i in 0..<full { row.put(ch, row: 0, col: start + i, fg: fg) }
                        labelCol = start + full
                        if rest > 0 {
                            let partial = (ch == "█" && !ascii) ? eighths[rest - 1] : (rest >= 4 ? ch : nil)
                            if let partial { row.put(partial, row: 0, col: labelCol, fg: fg); labelCol += 1 }
                        }
                        if full == 0 && rest == 0 && !ascii { row.put("▏", row: 0, col: start, fg: fg); labelCol += 1 }
                    } else {
                        let from = Int((Double(end) / 8).rounded()), to = zero / 8
                        for i in from..<max(from + 1, to) { row.put(ch, row: 0, col: i, fg: fg) }
                        labelCol = max(from + 1, to)
                    }
                    row.write(" " + valueLabels[s][c], row: 0, col: labelCol)
                }
                let name = s == 0 ? TextFit.padRight(TextFit.truncate(category, catWidth, ascii: ascii), catWidth) : String(repeating: " ", count: catWidth)
                let axis = s == 0 ? (ascii ? "+" : "┤") : (ascii ? "|" : "│")
                lines.append(name + " " + axis + row.line(0, color: color))
            }
        }
        lines += xAxis(x, plotCols: plotCols, gutter: gutter)
        if let yl = figure.options.ylabel, !yl.isEmpty {
            lines.append(String(repeating: " ", count: gutter) + TextFit.center(yl, plotCols))
        }
        if showLegend(count: nSeries, named: figure.named) {
            let entries = data.labels.enumerated().map { s, label in
                (glyph: String(repeating: String(barFill(s)), count: 2), glyphWidth: 2,
                 fg: color ? Palette.color(s).ansi256 : nil, label: label)
            }
            lines += legendLines(entries, indent: gutter)
        }
        return lines
    }
}
