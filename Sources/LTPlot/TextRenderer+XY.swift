/// Line and scatter charts as text.
///
/// Unicode: braille dots. Several series in colour are told apart by colour; without
/// colour, lines get a marker glyph at their data points (or at a few evenly spaced ones)
/// and scatter points become per-series glyphs. ASCII: each series is traced with its own
/// character at cell resolution.
extension TextRenderer {
    func xyBody(_ series: [Series], connect: Bool) -> [String] {
        let legend = showLegend(count: series.count, named: figure.named)
        let entries = legend ? legendEntries(series, connect: connect) : []
        let legendRows = legendLines(entries, indent: 0).count
        let plotRows = max(3, height - fixedRows(legendLines: legendRows))
        let ext = Figure.extent(series)
        let y = Scale.make(min: ext.y.lowerBound, max: ext.y.upperBound, log: figure.options.logy,
                           target: max(3, plotRows / 3), slack: 1.35)
        let gutter = TextRenderer.gutter(for: y)
        var plotCols = max(8, width - gutter - 3)
        var x = xScale(ext.x, cols: plotCols)
        plotCols = max(8, width - gutter - TextRenderer.rightOverhang(x))
        x = xScale(ext.x, cols: plotCols)

        var grid = TextGrid(cols: plotCols, rows: plotRows)
        if ascii {
            drawASCII(series, connect: connect, x: x, y: y, grid: &grid)
        } else {
            drawBraille(series, connect: connect, x: x, y: y, grid: &grid)
        }
        return framed(grid, x: x, y: y, gutter: gutter) + legendLines(entries, indent: gutter)
    }

    private func xScale(_ r: ClosedRange<Double>, cols: Int) -> Scale {
        Scale.make(min: r.lowerBound, max: r.upperBound, log: figure.options.logx, target: max(3, cols / 10))
    }

    private var monoMarkers: Bool { !color }

    private func legendEntries(_ series: [Series], connect: Bool) -> [(glyph: String, glyphWidth: Int, fg: Int?, label: String)] {
        series.enumerated().map { s, item in
            let fg = Palette.color(s).ansi256
            let glyph: String
            if ascii {
                let m = Palette.asciiMarkers[s % Palette.asciiMarkers.count]
                glyph = connect ? "-\(m)-" : "\(m)"
            } else if color || series.count == 1 {
                glyph = connect ? "━━━" : "•"
            } else {
                let m = Palette.unicodeMarkers[s % Palette.unicodeMarkers.count]
                glyph = connect ? "─\(m)─" : "\(m)"
            }
            return (glyph, glyph.count, color ? fg : nil, item.label)
        }
    }

    private func cell(_ p: Point, x: Scale, y: Scale, cols: Int, rows: Int) -> (Int, Int) {
        (Clamp.index(x.fraction(p.x), cols), Clamp.index(1 - y.fraction(p.y), rows))
    }

    private func drawASCII(_ series: [Series], connect: Bool, x: Scale, y: Scale, grid: inout TextGrid) {
        for (s, item) in series.enumerated() {
            let mark = Palette.asciiMarkers[s % Palette.asciiMarkers.count]
            let fg = color ? Palette.color(s).ansi256 : nil
            for seg in item.segments {
                let cells = seg.map { cell($0, x: x, y: y, cols: grid.cols, rows: grid.rows) }
                if connect && cells.count > 1 {
                    for (a, b) in zip(cells, cells.dropFirst()) {
                        for (cx, cy) in CellLine.cells(a.0, a.1, b.0, b.1) { grid.put(mark, row: cy, col: cx, fg: fg) }
                    }
                } else {
                    for (cx, cy) in cells { grid.put(mark, row: cy, col: cx, fg: fg) }
                }
            }
        }
    }

    private func drawBraille(_ series: [Series], connect: Bool, x: Scale, y: Scale, grid: inout TextGrid) {
        var canvas = BrailleCanvas(cols: grid.cols, rows: grid.rows)
        let glyphPoints = !connect && monoMarkers && series.count > 1
        for (s, item) in series.enumerated() where !glyphPoints {
            let fg = color ? Palette.color(s).ansi256 : nil
            for seg in item.segments {
                let dots = seg.map { p in
                    (Clamp.index(x.fraction(p.x), canvas.dotCols), Clamp.index(1 - y.fraction(p.y), canvas.dotRows))
                }
                if connect && dots.count > 1 {
                    for (a, b) in zip(dots, dots.dropFirst()) { canvas.line(a.0, a.1, b.0, b.1, color: fg) }
                } else {
                    // A 2x2 dot blob: a single braille dot is too faint to find.
                    for d in dots {
                        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] { canvas.set(d.0 + dx, d.1 + dy, color: fg) }
                    }
                }
            }
        }
        canvas.draw(into: &grid)
        guard monoMarkers && series.count > 1 else { return }
        for (s, item) in series.enumerated() {
            let mark = Palette.unicodeMarkers[s % Palette.unicodeMarkers.count]
            let cells = item.points.map { cell($0, x: x, y: y, cols: grid.cols, rows: grid.rows) }
            let chosen = glyphPoints || cells.count <= grid.cols / 4
                ? cells : TextRenderer.spread(cells, every: max(4, grid.cols / 8), phase: Double(s + 1) / Double(series.count + 1))
            for (cx, cy) in chosen { grid.put(mark, row: cy, col: cx) }
        }
    }

    /// Cells spaced about `every` columns apart along a series (evenly on screen, whatever
    /// the x scale), offset by `phase` so several series do not put markers at the same x.
    static func spread(_ cells: [(Int, Int)], every: Int, phase: Double) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        var next = Int(Double(every) * phase)
        for c in cells where c.0 >= next {
            out.append(c)
            next = c.0 + every
        }
        return out
    }
}
