import Foundation

/// Line, scatter, bar and histogram marks in SVG.
extension SVGRenderer {
    mutating func drawXY(_ series: [Series], connect: Bool, top: Double, bottom: Double) {
        let legendTop = top
        let entries = showLegend(series.count)
            ? series.enumerated().map { s, item in (connect ? Swatch.line(s) : Swatch.marker(s), item.label) } : []
        let top = top + legendHeight(entries.map(\.1), x0: SVGRenderer.legendX)
        let ext = Figure.extent(series)
        let plotH = bottom - bottomMargin() - top
        let y = Scale.make(min: ext.y.lowerBound, max: ext.y.upperBound, log: figure.options.logy,
                           target: max(3, Int(plotH / 50)), slack: 1.35)
        let x0 = leftMargin(y)
        let xGuess = Scale.make(min: ext.x.lowerBound, max: ext.x.upperBound, log: figure.options.logx,
                                target: max(3, Int((width - x0) / 90)))
        let overhang = SVGRenderer.textWidth(xGuess.labels.last ?? "") / 2 + 8
        let box = Box(x0: x0, y0: top + 6, x1: width - max(16, overhang), y1: bottom - bottomMargin())
        let x = Scale.make(min: ext.x.lowerBound, max: ext.x.upperBound, log: figure.options.logx,
                           target: max(3, Int(box.w / 90)))
        drawAxes(box, x: x, y: y)
        drawLegend(entries, x0: box.x0, top: legendTop)
        let px = { (v: Double) in box.x0 + x.fraction(v) * box.w }
        let py = { (v: Double) in box.y1 - y.fraction(v) * box.h }
        for (s, item) in series.enumerated() {
            out.open("g", ["aria-label": .s(item.label)])
            if connect {
                for seg in item.segments { lineStroke(s, seg.map { (px($0.x), py($0.y)) }) }
                let pts = item.points
                if pts.count <= 40 {
                    for p in pts { marker(s, px(p.x), py(p.y), r: 3) }
                }
            } else {
                let pts = item.points
                let r = pts.count > 2000 ? 1.5 : (pts.count > 300 ? 2.5 : 3.5)
                for p in pts { marker(s, px(p.x), py(p.y), r: r, opacity: 0.8) }
            }
            out.close("g")
        }
    }

    mutating func drawBars(_ data: BarData, top: Double, bottom: Double) {
        let legendTop = top
        let entries = showLegend(data.labels.count) ? data.labels.enumerated().map { (Swatch.box($0), $1) } : []
        let top = top + legendHeight(entries.map(\.1), x0: SVGRenderer.legendX)
        let logy = figure.options.logy
        let values = data.values.flatMap { $0 }.compactMap { $0 }
        let provisional = Box(x0: 0, y0: top + 6, x1: width - 16, y1: bottom - bottomMargin())
        let y = Scale.make(min: (values.min() ?? 0) * (logy ? Scale.logFloor : 1), max: values.max() ?? 1, log: logy,
                           target: max(3, Int(provisional.h / 50)), includeZero: !logy)
        let x0 = leftMargin(y)
        let nCat = Double(data.categories.count)
        let band = (width - 16 - x0) / nCat
        let longest = data.categories.map { SVGRenderer.textWidth($0) }.max() ?? 0
        let rotate = longest > band - 6
        let drop = rotate ? min(110, longest * 0.64) : 0
        let box = Box(x0: x0, y0: top + 6, x1: width - 16, y1: bottom - bottomMargin(extra: drop))
        drawAxes(box, x: nil, y: y)
        drawLegend(entries, x0: box.x0, top: legendTop)
        let base = logy ? y.lo : 0
        let baseY = box.y1 - y.fraction(base) * box.h
        let group = band * 0.8
        let barW = group / Double(data.labels.count)
        for (s, label) in data.labels.enumerated() {
            out.open("g", ["aria-label": .s(label), "fill": .s(Palette.color(s).hex)])
            for (c, v) in data.values[s].enumerated() {
                guard let v else { continue }
                let vy = box.y1 - max(0, min(1, y.fraction(v))) * box.h
                let bx = box.x0 + Double(c) * band + (band - group) / 2 + Double(s) * barW
                out.empty("rect", ["x": .n(bx + 0.5), "y": .n(min(vy, baseY)), "width": .n(max(1, barW - 1)),
                                   "height": .n(abs(baseY - vy))])
            }
            out.close("g")
        }
        out.open("g", ["fill": .s("currentColor")])
        let labelStep = max(1, Int(((rotate ? 14 : longest + 6) / band).rounded(.up)))
        for (c, name) in data.categories.enumerated() where c % labelStep == 0 {
            let cx = box.x0 + (Double(c) + 0.5) * band
            if rotate {
                let ty = box.y1 + 14
                out.text("text", ["x": .n(cx), "y": .n(ty), "text-anchor": .s("end"),
                                  "transform": .s("rotate(-40 \(NumberFormat.coord(cx)) \(NumberFormat.coord(ty)))")], name)
            } else {
                out.text("text", ["x": .n(cx), "y": .n(box.y1 + 17), "text-anchor": .s("middle")], name)
            }
        }
        out.close("g")
        if !logy && y.lo < 0 {
            out.empty("line", ["x1": .n(box.x0), "y1": .n(baseY), "x2": .n(box.x1), "y2": .n(baseY),
                               "stroke": .s("currentColor"), "stroke-width": .n(1)])
        }
    }

    mutating func drawHistogram(_ data: HistogramData, top: Double, bottom: Double) {
        let logy = figure.options.logy
        let counts = data.counts.map(Double.init)
        let minPositive = counts.filter { $0 > 0 }.min() ?? 1
        let plotH = bottom - bottomMargin() - top
        let y = Scale.make(min: logy ? minPositive * Scale.logFloor : 0, max: max(1, counts.max() ?? 1), log: logy,
                           target: max(3, Int(plotH / 50)), includeZero: !logy)
        let x0 = leftMargin(y)
        let lo = data.edges[0], hi = data.edges[data.edges.count - 1]
        let box = Box(x0: x0, y0: top + 6, x1: width - 20, y1: bottom - bottomMargin())
        let x = Scale.make(min: lo, max: hi, log: false, target: max(3, Int(box.w / 90)), nice: false)
        drawAxes(box, x: x, y: y, xGrid: false)
        let baseY = box.y1 - y.fraction(logy ? y.lo : 0) * box.h
        out.open("g", ["fill": .s(Palette.color(0).hex), "fill-opacity": .s("0.85")])
        for (i, count) in counts.enumerated() where count > 0 {
            let xa = box.x0 + x.fraction(data.edges[i]) * box.w
            let xb = box.x0 + x.fraction(data.edges[i + 1]) * box.w
            let vy = box.y1 - max(0, min(1, y.fraction(count))) * box.h
            let gap = xb - xa > 4 ? 0.5 : 0
            out.empty("rect", ["x": .n(xa + gap), "y": .n(vy), "width": .n(max(0.5, xb - xa - 2 * gap)), "height": .n(baseY - vy)])
        }
        out.close("g")
    }
}
