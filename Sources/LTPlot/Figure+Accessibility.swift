/// The plain-language summary used as the SVG `<desc>`: what kind of chart, which series,
/// and the ranges of the data, so a screen reader (or a reviewer reading the source) learns
/// what the figure shows without seeing it.
extension Figure {
    /// A one-paragraph description of the figure's data.
    public var summary: String {
        let n = { (v: Double) in NumberFormat.short(v) }
        var text: String
        switch marks {
        case .line(let series), .scatter(let series):
            let kindName = kind == .line ? "Line chart" : "Scatter plot"
            let parts = series.map { s -> String in
                let xs = s.points.map(\.x), ys = s.points.map(\.y)
                guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else {
                    return "\(s.label) (no points)"
                }
                return "\(s.label) (\(xs.count) points, x \(n(x0)) to \(n(x1)), y \(n(y0)) to \(n(y1)))"
            }
            text = "\(kindName) with \(series.count) series: \(parts.joined(separator: "; "))."
        case .bars(let data):
            let cats = data.categories.prefix(12).joined(separator: ", ") + (data.categories.count > 12 ? ", ..." : "")
            let parts = data.labels.enumerated().map { s, label -> String in
                let vs = data.values[s].compactMap { $0 }
                return "\(label) (\(n(vs.min() ?? 0)) to \(n(vs.max() ?? 0)))"
            }
            text = "Bar chart of \(data.categories.count) categories (\(cats)) and \(data.labels.count) series: \(parts.joined(separator: "; "))."
        case .histogram(let data):
            let total = data.counts.reduce(0, +)
            text = "Histogram of \(total) values in \(data.counts.count) bins from \(n(data.edges.first ?? 0)) to \(n(data.edges.last ?? 0)); the largest bin holds \(data.counts.max() ?? 0)."
        case .heatmap(let data):
            let finite = data.matrix.flatMap { $0 }.filter { !$0.isNaN }
            text = "Heatmap of \(data.rows.count) rows by \(data.columns.count) columns, values \(n(finite.min() ?? 0)) to \(n(finite.max() ?? 0)), \(data.colorMap.rawValue) colour map."
        }
        if let x = options.xlabel, !x.isEmpty { text += " x axis: \(x)." }
        if let y = options.ylabel, !y.isEmpty { text += " y axis: \(y)." }
        if options.logx { text += " Logarithmic x axis." }
        if options.logy { text += " Logarithmic y axis." }
        for note in notes { text += " Note: \(note)." }
        return text
    }

    /// The title, or a generic name for untitled figures (SVG `<title>` must not be empty).
    var accessibleTitle: String {
        if let t = options.title, !t.isEmpty { return t }
        switch kind {
        case .line: return "Line chart"
        case .scatter: return "Scatter plot"
        case .bar: return "Bar chart"
        case .histogram: return "Histogram"
        case .heatmap: return "Heatmap"
        }
    }
}
