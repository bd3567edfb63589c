/// Heatmaps as text: one line per matrix row, cells shaded with " ░▒▓█" (ASCII
/// " .:-=+*#%@"), or with ANSI background colours from the figure's colour map. Annotated
/// cells show their value, preceded by the shade when there is no colour.
///
/// Without colour a diverging map shades by distance from its centre (both extremes dark);
/// the annotations carry the sign.
extension TextRenderer {
    private var ramp: [Character] {
        ascii ? Array(" .:-=+*#%@") : Array(" ░▒▓█")
    }

    /// The shade for a colour-map position. A diverging map shades by distance from its
    /// centre, so both extremes are dark and the centre blank; the sign is in the numbers.
    private func shade(_ t: Double, _ map: ColorMap) -> Character {
        shade(map == .diverging ? abs(2 * t - 1) : t)
    }

    private func shade(_ t: Double) -> Character {
        let r = ramp
        let i = Clamp.index(Clamp.unit(t), r.count)
        return r[i]
    }

    func heatmapBody(_ data: HeatmapData) -> [String] {
        let rowLabelWidth = min(max(3, width / 4), data.rows.map(\.count).max() ?? 1)
        let gutter = rowLabelWidth + 1
        let annotations = data.matrix.map { $0.map { data.label($0) } }
        let annotationWidth = annotations.flatMap { $0 }.map(\.count).max() ?? 1
        let available = width - gutter
        // Annotations only when every column fits with them; a 100-class confusion matrix
        // is better read as shades than as the first ten columns of numbers.
        let annotate = data.annotate && (annotationWidth + (color ? 2 : 3)) * data.columns.count <= available
        let minCell = annotate ? annotationWidth + (color ? 2 : 3) : 1
        let colLabelWidth = data.columns.map(\.count).max() ?? 1
        var cell = max(minCell, min(colLabelWidth + 1, 8))
        if cell * data.columns.count > available { cell = max(minCell, available / data.columns.count) }
        let shown = max(1, min(data.columns.count, available / cell))

        var lines: [String] = []
        if let yl = figure.options.ylabel, !yl.isEmpty { lines.append(TextFit.truncate(yl, width, ascii: ascii)) }
        if cell >= 3 {
            var header = String(repeating: " ", count: gutter)
            for c in 0..<shown { header += TextFit.padLeft(TextFit.truncate(data.columns[c], cell - 1, ascii: ascii), cell) }
            lines.append(header)
        }
        for (r, row) in data.matrix.enumerated() {
            var grid = TextGrid(cols: shown * cell, rows: 1)
            for c in 0..<shown {
                let v = row[c]
                let at = c * cell
                guard !v.isNaN else { continue }
                let t = data.fraction(v)
                if color {
                    let rgb = data.colorMap.color(at: t)
                    let fg = rgb.prefersDarkText ? 16 : 231
                    let text = annotate ? TextFit.padLeft(annotations[r][c], cell - 1) + " " : String(repeating: " ", count: cell)
                    grid.write(text, row: 0, col: at, fg: fg, bg: rgb.ansi256)
                } else if annotate {
                    let text = String(shade(t, data.colorMap)) + TextFit.padLeft(annotations[r][c], cell - 2)
                    grid.write(text, row: 0, col: at + 1)
                } else {
                    grid.write(String(repeating: String(shade(t, data.colorMap)), count: cell), row: 0, col: at)
                }
            }
            let name = TextFit.padRight(TextFit.truncate(data.rows[r], rowLabelWidth, ascii: ascii), rowLabelWidth)
            lines.append(name + " " + grid.line(0, color: color))
        }
        if let xl = figure.options.xlabel, !xl.isEmpty {
            lines.append(String(repeating: " ", count: gutter) + TextFit.center(xl, shown * cell))
        }
        if data.colorBar { lines.append(colorBarLine(data, indent: gutter)) }
        if data.annotate && !annotate {
            lines.append(TextFit.truncate("note: values hidden: \(data.columns.count) columns do not fit \(width) columns with numbers", width, ascii: ascii))
        }
        if shown < data.columns.count {
            lines.append(TextFit.truncate("note: showing the first \(shown) of \(data.columns.count) columns; widen the figure to see all", width, ascii: ascii))
        }
        return lines
    }

    /// "low [ramp] high" with the colour range's ends (and centre, for a diverging map),
    /// dropping the indent, then the doubled ramp, then the centre note when narrow.
    private func colorBarLine(_ data: HeatmapData, indent: Int) -> String {
        let lo = NumberFormat.fixed(data.range.lowerBound, data.digits)
        let hi = NumberFormat.fixed(data.range.upperBound, data.digits)
        let open = ascii ? "[" : "▕", close = ascii ? "]" : "▏"
        let mid = (data.range.lowerBound + data.range.upperBound) / 2
        let centre = data.colorMap == .diverging ? "  (centre \(NumberFormat.fixed(mid, data.digits)))" : ""
        let steps = color ? 16 : ramp.count
        for (pad, repeatCount, note) in [(indent, 2, centre), (0, 2, centre), (0, 1, centre), (0, 1, "")] {
            let cells = colorBarCells(data, steps: steps, repeatCount: color ? 1 : repeatCount)
            let visible = pad + lo.count + 2 + cells.count + 2 + hi.count + note.count
            guard visible <= width else { continue }
            let bar = TextGrid.render(cells, color: color)
            return String(repeating: " ", count: pad) + lo + " " + open + bar + close + " " + hi + note
        }
        return open + TextGrid.render(colorBarCells(data, steps: steps, repeatCount: 1), color: color) + close
    }

    private func colorBarCells(_ data: HeatmapData, steps: Int, repeatCount: Int) -> [TextGrid.Cell] {
        var cells: [TextGrid.Cell] = []
        for i in 0..<steps {
            let t = Double(i) / Double(steps - 1)
            if color {
                cells.append(TextGrid.Cell(ch: " ", fg: nil, bg: data.colorMap.color(at: t).ansi256))
            } else {
                cells += Array(repeating: TextGrid.Cell(ch: shade(t, data.colorMap)), count: repeatCount)
            }
        }
        return cells
    }
}
