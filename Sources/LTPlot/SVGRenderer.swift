import Foundation

extension Figure {
    /// The figure as a standalone SVG document: valid XML, no external resources, no
    /// scripts, `role="img"` with `<title>` and `<desc>`, and byte-for-byte deterministic.
    ///
    /// Axes and text use `currentColor`, so inline in an HTML page the figure follows the
    /// page's text colour (dark mode included); data colours come from `Palette`.
    public func svg() -> String { SVGRenderer(figure: self).render() }

    /// Writes `svg()` to `path` atomically (temporary file in the same directory, then
    /// rename). Throws `PlotError` if the directory is missing or not writable.
    public func saveSVG(to path: String) throws {
        try AtomicWrite.write(svg(), to: path)
    }
}

/// Lays out and draws a figure as SVG. The shared frame (title, legend, axes, grid,
/// labels, notes) lives here; marks are drawn in `SVGRenderer+Marks.swift` and heatmaps in
/// `SVGRenderer+Heatmap.swift`.
struct SVGRenderer {
    let figure: Figure
    let width: Double
    let height: Double
    var out = SVGWriter()

    static let fontSize = 12.0
    /// Where legends are measured from, before the plot's left edge is known.
    static let legendX = 60.0
    static let titleSize = 15.0
    /// Average glyph advance of a sans-serif font, as a fraction of its size; used to
    /// reserve room for labels since an SVG cannot measure text before it is drawn.
    static let charWidth = 0.6
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

    init(figure: Figure) {
        self.figure = figure
        width = Double(max(160, min(4000, figure.options.svgWidth ?? 640)))
        height = Double(max(120, min(4000, figure.options.svgHeight ?? 400)))
    }

    static func textWidth(_ s: String, size: Double = fontSize) -> Double {
        Double(s.count) * size * charWidth
    }

    /// The plot area in pixels.
    struct Box {
        var x0: Double, y0: Double, x1: Double, y1: Double
        var w: Double { x1 - x0 }
        var h: Double { y1 - y0 }
    }

    func render() -> String {
        var r = self
        r.drawBody()
        let head = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(NumberFormat.coord(width))" height="\(NumberFormat.coord(height))" \
            viewBox="0 0 \(NumberFormat.coord(width)) \(NumberFormat.coord(height))" role="img" \
            font-family="\(SVGWriter.escape(SVGRenderer.fontFamily))" font-size="\(NumberFormat.coord(SVGRenderer.fontSize))">
              <title>\(SVGWriter.escape(figure.accessibleTitle))</title>
              <desc>\(SVGWriter.escape(figure.summary))</desc>

            """
        return head + r.out.body + "</svg>\n"
    }

    private mutating func drawBody() {
        var top = 10.0
        if let t = figure.options.title, !t.isEmpty {
            out.text("text", ["x": .n(width / 2), "y": .n(top + SVGRenderer.titleSize), "text-anchor": .s("middle"),
                              "font-size": .n(SVGRenderer.titleSize), "font-weight": .s("600"), "fill": .s("currentColor")], t)
            top += SVGRenderer.titleSize + 12
        }
        var bottom = height - 8
        for note in figure.notes.reversed() {
            out.text("text", ["x": .n(8), "y": .n(bottom - 2), "font-size": .n(10), "fill": .s("currentColor"),
                              "fill-opacity": .s("0.75")], "note: \(note)")
            bottom -= 14
        }
        switch figure.marks {
        case .line(let series): drawXY(series, connect: true, top: top, bottom: bottom)
        case .scatter(let series): drawXY(series, connect: false, top: top, bottom: bottom)
        case .bars(let data): drawBars(data, top: top, bottom: bottom)
        case .histogram(let data): drawHistogram(data, top: top, bottom: bottom)
        case .heatmap(let data): drawHeatmap(data, top: top, bottom: bottom)
        }
    }

    // MARK: - Legend

    enum Swatch { case line(Int), marker(Int), box(Int) }

    /// Where each legend entry goes when the legend starts at `x0`: entries flow left to
    /// right and wrap before the right edge.
    func legendLayout(_ labels: [String], x0: Double, top: Double) -> [(x: Double, y: Double)] {
        var x = x0, y = top + 8
        return labels.map { label in
            let w = 26 + SVGRenderer.textWidth(label) + 16
            if x > x0 && x + w > width - 8 { x = x0; y += 18 }
            defer { x += w }
            return (x, y)
        }
    }

    /// The height a legend takes (0 when there is none), so the plot can be laid out first
    /// and the legend then aligned with its left edge.
    func legendHeight(_ labels: [String], x0: Double) -> Double {
        guard let last = legendLayout(labels, x0: x0, top: 0).last else { return 0 }
        return last.y + 14 + 4
    }

    /// Draws legend entries in rows above the plot, laid out as `legendHeight` measured
    /// them (from x = 60) and moved right to `x0`, the plot's edge, when that still fits.
    mutating func drawLegend(_ entries: [(Swatch, String)], x0: Double, top: Double) {
        let places = legendLayout(entries.map(\.1), x0: SVGRenderer.legendX, top: top)
        let rightmost = zip(entries, places).map { $1.x + 26 + SVGRenderer.textWidth($0.1) }.max() ?? 0
        let dx = rightmost + (x0 - SVGRenderer.legendX) <= width - 8 ? x0 - SVGRenderer.legendX : 0
        for ((swatch, label), place) in zip(entries, places) {
            let (x, y) = (place.x + dx, place.y)
            switch swatch {
            case .line(let s):
                lineStroke(s, [(x, y), (x + 20, y)])
                marker(s, x + 10, y, r: 3.5)
            case .marker(let s):
                marker(s, x + 10, y, r: 4)
            case .box(let s):
                out.empty("rect", ["x": .n(x + 3), "y": .n(y - 6), "width": .n(14), "height": .n(12),
                                   "fill": .s(Palette.color(s).hex)])
            }
            out.text("text", ["x": .n(x + 26), "y": .n(y + 4), "fill": .s("currentColor")], label)
        }
    }

    func showLegend(_ count: Int) -> Bool { figure.options.legend ?? (count > 1 || figure.named) }

    // MARK: - Axes

    /// Left margin needed by y tick labels and the y label.
    func leftMargin(_ y: Scale) -> Double {
        let labels = (y.labels.map { SVGRenderer.textWidth($0) }.max() ?? 0)
        let ylabel = (figure.options.ylabel?.isEmpty == false) ? 22.0 : 0
        return 12 + ylabel + labels + 8
    }

    /// Bottom margin needed by x tick labels and the x label.
    func bottomMargin(extra: Double = 0) -> Double {
        20 + extra + ((figure.options.xlabel?.isEmpty == false) ? 20 : 0)
    }

    /// Grid lines, axis lines, ticks, tick labels and axis labels around `box`.
    mutating func drawAxes(_ box: Box, x: Scale?, y: Scale, xGrid: Bool = true) {
        out.open("g", ["stroke": .s("currentColor"), "stroke-opacity": .s("0.14"), "stroke-width": .n(1)])
        for v in y.ticks {
            let py = box.y1 - y.fraction(v) * box.h
            out.empty("line", ["x1": .n(box.x0), "y1": .n(py), "x2": .n(box.x1), "y2": .n(py)])
        }
        if let x, xGrid {
            for v in x.ticks {
                let px = box.x0 + x.fraction(v) * box.w
                out.empty("line", ["x1": .n(px), "y1": .n(box.y0), "x2": .n(px), "y2": .n(box.y1)])
            }
        }
        out.close("g")
        out.open("g", ["fill": .s("currentColor")])
        for (v, label) in zip(y.ticks, y.labels) {
            let py = box.y1 - y.fraction(v) * box.h
            out.text("text", ["x": .n(box.x0 - 8), "y": .n(py + 4), "text-anchor": .s("end")], label)
        }
        if let x {
            var lastRight = -Double.infinity
            for (v, label) in zip(x.ticks, x.labels) {
                let px = box.x0 + x.fraction(v) * box.w
                let half = SVGRenderer.textWidth(label) / 2
                guard px - half > lastRight + 4 else { continue }
                out.text("text", ["x": .n(px), "y": .n(box.y1 + 17), "text-anchor": .s("middle")], label)
                lastRight = px + half
            }
        }
        out.close("g")
        out.open("g", ["stroke": .s("currentColor"), "stroke-width": .n(1), "fill": .s("none")])
        out.empty("polyline", ["points": .s(SVGWriter.points([(box.x0, box.y0), (box.x0, box.y1), (box.x1, box.y1)]))])
        for v in y.ticks {
            let py = box.y1 - y.fraction(v) * box.h
            out.empty("line", ["x1": .n(box.x0 - 4), "y1": .n(py), "x2": .n(box.x0), "y2": .n(py)])
        }
        if let x {
            for v in x.ticks {
                let px = box.x0 + x.fraction(v) * box.w
                out.empty("line", ["x1": .n(px), "y1": .n(box.y1), "x2": .n(px), "y2": .n(box.y1 + 4)])
            }
        }
        out.close("g")
        axisLabels(box)
    }

    mutating func axisLabels(_ box: Box, xOffset: Double = 0) {
        if let xl = figure.options.xlabel, !xl.isEmpty {
            out.text("text", ["x": .n((box.x0 + box.x1) / 2), "y": .n(box.y1 + 36 + xOffset), "text-anchor": .s("middle"),
                              "fill": .s("currentColor")], xl)
        }
        if let yl = figure.options.ylabel, !yl.isEmpty {
            let cx = 16.0, cy = (box.y0 + box.y1) / 2
            out.text("text", ["x": .n(cx), "y": .n(cy), "text-anchor": .s("middle"), "fill": .s("currentColor"),
                              "transform": .s("rotate(-90 \(NumberFormat.coord(cx)) \(NumberFormat.coord(cy)))")], yl)
        }
    }

    // MARK: - Series styling

    /// A series line: palette colour, 2 px, per-series dash pattern.
    mutating func lineStroke(_ s: Int, _ pts: [(Double, Double)]) {
        let dash = Palette.dashes[s % Palette.dashes.count]
        if let dash {
            out.empty("polyline", ["points": .s(SVGWriter.points(pts)), "fill": .s("none"), "stroke": .s(Palette.color(s).hex),
                                   "stroke-width": .n(2), "stroke-linejoin": .s("round"), "stroke-linecap": .s("round"),
                                   "stroke-dasharray": .s(dash)])
        } else {
            out.empty("polyline", ["points": .s(SVGWriter.points(pts)), "fill": .s("none"), "stroke": .s(Palette.color(s).hex),
                                   "stroke-width": .n(2), "stroke-linejoin": .s("round"), "stroke-linecap": .s("round")])
        }
    }

    /// A per-series marker shape (circle, square, triangle, diamond, ...), so series stay
    /// distinct for colour-blind readers and in greyscale print.
    mutating func marker(_ s: Int, _ x: Double, _ y: Double, r: Double, opacity: Double? = nil) {
        let fill = SVGWriter.Value.s(Palette.color(s).hex)
        let op = SVGWriter.Value.s(opacity.map { NumberFormat.coord($0) } ?? "1")
        switch s % 6 {
        case 0:
            out.empty("circle", ["cx": .n(x), "cy": .n(y), "r": .n(r), "fill": fill, "fill-opacity": op])
        case 1:
            let a = r * 0.9
            out.empty("rect", ["x": .n(x - a), "y": .n(y - a), "width": .n(2 * a), "height": .n(2 * a), "fill": fill, "fill-opacity": op])
        case 2:
            let a = r * 1.2
            out.empty("polygon", ["points": .s(SVGWriter.points([(x, y - a), (x + a, y + a * 0.8), (x - a, y + a * 0.8)])), "fill": fill, "fill-opacity": op])
        case 3:
            let a = r * 1.25
            out.empty("polygon", ["points": .s(SVGWriter.points([(x, y - a), (x + a, y), (x, y + a), (x - a, y)])), "fill": fill, "fill-opacity": op])
        case 4:
            let a = r * 1.2
            out.empty("polygon", ["points": .s(SVGWriter.points([(x, y + a), (x + a, y - a * 0.8), (x - a, y - a * 0.8)])), "fill": fill, "fill-opacity": op])
        default:
            let a = r
            out.empty("path", ["d": .s("M\(NumberFormat.coord(x - a)) \(NumberFormat.coord(y - a))L\(NumberFormat.coord(x + a)) \(NumberFormat.coord(y + a))M\(NumberFormat.coord(x - a)) \(NumberFormat.coord(y + a))L\(NumberFormat.coord(x + a)) \(NumberFormat.coord(y - a))"),
                               "stroke": fill, "stroke-width": .n(2), "fill": .s("none")])
        }
    }
}
