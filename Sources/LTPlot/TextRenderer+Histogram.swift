/// Histograms as text: vertical bars in eighth-height blocks (▁▂▃▄▅▆▇█), or `#` in ASCII.
extension TextRenderer {
    func histogramBody(_ data: HistogramData) -> [String] {
        let plotRows = max(3, height - fixedRows(legendLines: 0))
        let maxCount = Double(data.counts.max() ?? 1)
        let logy = figure.options.logy
        let minPositive = Double(data.counts.filter { $0 > 0 }.min() ?? 1)
        let y = Scale.make(min: logy ? minPositive * Scale.logFloor : 0, max: max(1, maxCount), log: logy,
                           target: max(3, plotRows / 3), includeZero: !logy)
        let gutter = TextRenderer.gutter(for: y)
        let lo = data.edges[0], hi = data.edges[data.edges.count - 1]
        let bins = data.counts.count
        var x = Scale.make(min: lo, max: hi, log: false, target: max(3, (width - gutter) / 10), nice: false)
        var plotCols = max(8, width - gutter - TextRenderer.rightOverhang(x))
        // Whole columns per bin when they fit, so every bin has the same width on screen.
        if bins <= plotCols { plotCols = (plotCols / bins) * bins }
        x = Scale.make(min: lo, max: hi, log: false, target: max(3, plotCols / 10), nice: false)

        var grid = TextGrid(cols: plotCols, rows: plotRows)
        let fg = color ? Palette.color(0).ansi256 : nil
        let eighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇"]
        for c in 0..<plotCols {
            let b0 = c * bins / plotCols
            let b1 = max(b0, ((c + 1) * bins - 1) / plotCols)
            let count = data.counts[b0...min(bins - 1, b1)].max() ?? 0
            guard count > 0 else { continue }
            let f = Clamp.unit(y.fraction(Double(count)))
            if ascii {
                let h = Int((f * Double(plotRows)).rounded())
                for r in 0..<max(1, h) { grid.put("#", row: plotRows - 1 - r, col: c, fg: fg) }
                continue
            }
            let units = max(1, Int((f * Double(plotRows * 8)).rounded()))
            for r in 0..<(units / 8) { grid.put("█", row: plotRows - 1 - r, col: c, fg: fg) }
            if units % 8 > 0 { grid.put(eighths[units % 8 - 1], row: plotRows - 1 - units / 8, col: c, fg: fg) }
        }
        return framed(grid, x: x, y: y, gutter: gutter)
    }
}
