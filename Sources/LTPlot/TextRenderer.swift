/// Draws a figure as lines of text: title, the kind-specific body, legend and notes.
///
/// The layout fits the whole figure into `width` columns: tick labels take a gutter on the
/// left, the plot area takes what is left. Each kind has its own file
/// (`TextRenderer+XY.swift`, `+Histogram`, `+Bars`, `+Heatmap`); this file holds the
/// shared pieces, the frame with axes and ticks above all.
struct TextRenderer {
    let figure: Figure
    let width: Int
    let height: Int
    let ascii: Bool
    let color: Bool

    init(figure: Figure, options: TextOptions) {
        self.figure = figure
        width = max(20, min(1000, options.width ?? figure.options.width ?? 80))
        height = max(8, min(1000, options.height ?? figure.options.height ?? max(14, width / 3)))
        ascii = options.ascii
        color = options.color
    }

    func render() -> String {
        var lines = titleLines()
        switch figure.marks {
        case .line(let series): lines += xyBody(series, connect: true)
        case .scatter(let series): lines += xyBody(series, connect: false)
        case .histogram(let data): lines += histogramBody(data)
        case .bars(let data): lines += barBody(data)
        case .heatmap(let data): lines += heatmapBody(data)
        }
        lines += figure.notes.map { TextFit.truncate("note: \($0)", width, ascii: ascii) }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Shared pieces

    func titleLines() -> [String] {
        guard let t = figure.options.title, !t.isEmpty else { return [] }
        return [TextFit.center(TextFit.truncate(t, width, ascii: ascii), width)]
    }

    /// Rows used by everything except the plot area, so the plot gets the rest of `height`.
    func fixedRows(legendLines: Int) -> Int {
        var n = 2  // axis line and tick labels
        if figure.options.title?.isEmpty == false { n += 1 }
        if figure.options.ylabel?.isEmpty == false { n += 1 }
        if figure.options.xlabel?.isEmpty == false { n += 1 }
        return n + legendLines + figure.notes.count
    }

    /// Whether the legend is drawn: as asked, else when there are several series or the
    /// caller named them.
    func showLegend(count: Int, named: Bool) -> Bool {
        figure.options.legend ?? (count > 1 || named)
    }

    /// Legend entries ("glyph label") laid out left to right, wrapping at the width.
    func legendLines(_ entries: [(glyph: String, glyphWidth: Int, fg: Int?, label: String)], indent: Int) -> [String] {
        var lines: [String] = []
        var current = String(repeating: " ", count: indent)
        var used = indent
        for e in entries {
            let label = TextFit.truncate(e.label, max(4, width - indent - e.glyphWidth - 1), ascii: ascii)
            let w = e.glyphWidth + 1 + label.count
            if used > indent && used + 3 + w > width {
                lines.append(current)
                current = String(repeating: " ", count: indent)
                used = indent
            }
            if used > indent { current += "   "; used += 3 }
            let glyph = color && e.fg != nil ? "\u{1B}[38;5;\(e.fg ?? 0)m\(e.glyph)\u{1B}[0m" : e.glyph
            current += glyph + " " + label
            used += w
        }
        if used > indent { lines.append(current) }
        return lines
    }

    /// The plot area with a y axis (ticks and labels) on its left and an x axis below.
    func framed(_ plot: TextGrid, x: Scale, y: Scale, gutter: Int) -> [String] {
        let labelWidth = gutter - 2
        var yLabelAt: [Int: String] = [:]
        for (v, label) in zip(y.ticks, y.labels) {
            let row = Clamp.index(1 - y.fraction(v), plot.rows)
            if row >= 0, row < plot.rows, yLabelAt[row] == nil { yLabelAt[row] = label }
        }
        var lines: [String] = []
        if let yl = figure.options.ylabel, !yl.isEmpty {
            lines.append(TextFit.truncate(yl, width, ascii: ascii))
        }
        for r in 0..<plot.rows {
            let label = yLabelAt[r].map { TextFit.padLeft($0, labelWidth) } ?? String(repeating: " ", count: labelWidth)
            let axis = yLabelAt[r] != nil ? (ascii ? "+" : "┤") : (ascii ? "|" : "│")
            lines.append(label + " " + axis + plot.line(r, color: color))
        }
        lines += xAxis(x, plotCols: plot.cols, gutter: gutter)
        if let xl = figure.options.xlabel, !xl.isEmpty {
            lines.append(String(repeating: " ", count: gutter) + TextFit.center(xl, min(plot.cols, width - gutter)))
        }
        return lines
    }

    /// The x axis line with tick marks, and the tick labels centred under them (a label
    /// that would touch its neighbour is dropped rather than overprinted).
    func xAxis(_ x: Scale, plotCols: Int, gutter: Int) -> [String] {
        var axis = Array(repeating: Character(ascii ? "-" : "─"), count: plotCols)
        var labels = Array(repeating: Character(" "), count: width)
        var lastEnd = -2
        for (v, label) in zip(x.ticks, x.labels) {
            let col = Clamp.index(x.fraction(v), plotCols)
            guard col >= 0, col < plotCols else { continue }
            axis[col] = ascii ? "+" : "┬"
            var start = gutter + col - label.count / 2
            start = min(start, width - label.count)
            guard start > lastEnd + 1, start >= 0 else { continue }
            for (i, ch) in label.enumerated() where start + i < width { labels[start + i] = ch }
            lastEnd = start + label.count - 1
        }
        let corner = ascii ? "+" : "└"
        let axisLine = String(repeating: " ", count: gutter - 1) + corner + String(axis)
        return [axisLine, TextGrid.render(labels.map { TextGrid.Cell(ch: $0) }, color: false)]
    }

    /// Gutter width for a set of y tick labels: the labels, a space and the axis.
    static func gutter(for y: Scale) -> Int { (y.labels.map(\.count).max() ?? 1) + 2 }

    /// Columns the x tick labels may overhang past the plot's right edge.
    static func rightOverhang(_ x: Scale) -> Int {
        guard let last = x.labels.last else { return 1 }
        return max(1, last.count - last.count / 2)
    }
}
