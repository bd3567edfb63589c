import Foundation

/// Heatmaps in SVG: one rect per cell, optional annotations in black or white by the
/// cell's luminance, row labels on the left, column labels below (rotated when long), and
/// a colour bar with ticks on the right. No gradients: they would need ids, and ids clash
/// when several figures are inlined into one report.
extension SVGRenderer {
    mutating func drawHeatmap(_ data: HeatmapData, top: Double, bottom: Double) {
        let nr = Double(data.rows.count), nc = Double(data.columns.count)
        let rowLabelW = min(width * 0.3, data.rows.map { SVGRenderer.textWidth($0) }.max() ?? 0)
        let ylabel = (figure.options.ylabel?.isEmpty == false) ? 22.0 : 0
        let barScale = Scale.make(min: data.range.lowerBound, max: data.range.upperBound, log: false,
                                  target: 5, nice: false)
        let barLabelW = barScale.labels.map { SVGRenderer.textWidth($0) }.max() ?? 0
        let right = data.colorBar ? 16 + 14 + 6 + barLabelW + 12 : 16.0
        let x0 = 12 + ylabel + rowLabelW + 8
        let availW = width - right - x0
        let longest = data.columns.map { SVGRenderer.textWidth($0) }.max() ?? 0
        let rotate = longest > availW / nc - 4
        let drop = rotate ? min(110, longest * 0.72) : 0
        let y0 = top + 6
        let availH = bottom - bottomMargin(extra: drop) - y0
        let box = Box(x0: x0, y0: y0, x1: x0 + availW, y1: y0 + availH)
        let cw = box.w / nc, ch = box.h / nr
        let digitsWidth = data.matrix.flatMap { $0 }.map { data.label($0).count }.max() ?? 1
        let font = min(12, ch * 0.5, cw / (Double(digitsWidth) * SVGRenderer.charWidth + 0.5))
        out.open("g", ["shape-rendering": .s("crispEdges")])
        for (r, row) in data.matrix.enumerated() {
            for (c, v) in row.enumerated() {
                let x = box.x0 + Double(c) * cw, y = box.y0 + Double(r) * ch
                guard !v.isNaN else {
                    out.empty("rect", ["x": .n(x), "y": .n(y), "width": .n(cw), "height": .n(ch), "fill": .s("none"),
                                       "stroke": .s("currentColor"), "stroke-opacity": .s("0.2")])
                    continue
                }
                let rgb = data.colorMap.color(at: data.fraction(v))
                out.empty("rect", ["x": .n(x), "y": .n(y), "width": .n(cw), "height": .n(ch), "fill": .s(rgb.hex)])
            }
        }
        out.close("g")
        for (r, row) in data.matrix.enumerated() {
            for (c, v) in row.enumerated() where !v.isNaN {
                let x = box.x0 + Double(c) * cw, y = box.y0 + Double(r) * ch
                let rgb = data.colorMap.color(at: data.fraction(v))
                if data.annotate && font >= 6 {
                    out.text("text", ["x": .n(x + cw / 2), "y": .n(y + ch / 2 + font * 0.35), "text-anchor": .s("middle"),
                                      "font-size": .n(font), "fill": .s(rgb.prefersDarkText ? "#000000" : "#ffffff")],
                             data.label(v))
                }
            }
        }
        out.open("g", ["fill": .s("currentColor")])
        // Thin the labels when cells are smaller than a line of text (a 100-class
        // confusion matrix), keeping every k-th so the ones shown never overlap.
        let rowStep = max(1, Int((14 / ch).rounded(.up)))
        let colStep = max(1, Int(((rotate ? 14 : longest + 6) / cw).rounded(.up)))
        for (r, name) in data.rows.enumerated() where r % rowStep == 0 {
            out.text("text", ["x": .n(box.x0 - 6), "y": .n(box.y0 + (Double(r) + 0.5) * ch + 4), "text-anchor": .s("end")], name)
        }
        for (c, name) in data.columns.enumerated() where c % colStep == 0 {
            let cx = box.x0 + (Double(c) + 0.5) * cw
            if rotate {
                let ty = box.y1 + 14
                out.text("text", ["x": .n(cx), "y": .n(ty), "text-anchor": .s("end"),
                                  "transform": .s("rotate(-40 \(NumberFormat.coord(cx)) \(NumberFormat.coord(ty)))")], name)
            } else {
                out.text("text", ["x": .n(cx), "y": .n(box.y1 + 17), "text-anchor": .s("middle")], name)
            }
        }
        out.close("g")
        axisLabels(box, xOffset: drop)
        if data.colorBar { drawColorBar(data, scale: barScale, x: box.x1 + 16, y0: box.y0, y1: box.y1) }
    }

    private mutating func drawColorBar(_ data: HeatmapData, scale: Scale, x: Double, y0: Double, y1: Double) {
        let steps = 64
        let h = (y1 - y0) / Double(steps)
        out.open("g", ["aria-label": .s("colour bar"), "shape-rendering": .s("crispEdges")])
        for i in 0..<steps {
            let t = (Double(i) + 0.5) / Double(steps)
            let y = y1 - Double(i + 1) * h
            out.empty("rect", ["x": .n(x), "y": .n(y), "width": .n(14), "height": .n(h), "fill": .s(data.colorMap.color(at: t).hex)])
        }
        out.empty("rect", ["x": .n(x), "y": .n(y0), "width": .n(14), "height": .n(y1 - y0), "fill": .s("none"),
                           "stroke": .s("currentColor"), "stroke-opacity": .s("0.4")])
        for (v, label) in zip(scale.ticks, scale.labels) {
            let py = y1 - data.fraction(v) * (y1 - y0)
            out.empty("line", ["x1": .n(x + 14), "y1": .n(py), "x2": .n(x + 18), "y2": .n(py), "stroke": .s("currentColor")])
            out.text("text", ["x": .n(x + 21), "y": .n(py + 4), "fill": .s("currentColor")], label)
        }
        out.close("g")
    }
}
