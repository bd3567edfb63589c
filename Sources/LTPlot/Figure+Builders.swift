/// The validating constructors: every figure is built here, so every renderer may assume
/// its data are non-empty, consistent in length, finite, and positive on a log axis.
extension Figure {
    /// A line chart of one or more series over a shared `x` (nil means 0, 1, 2, ...).
    ///
    /// Non-finite points are skipped, break the line, and are reported in `notes`.
    /// Throws `PlotError` on empty data, mismatched lengths, a wrong number of labels, or a
    /// non-positive value on a log axis.
    public static func line(
        x: [Double]? = nil, ys: [[Double]], labels: [String]? = nil,
        options: FigureOptions = FigureOptions()
    ) throws -> Figure {
        let (series, skipped) = try xySeries("line", x: x, ys: ys, labels: labels, options: options)
        return Figure(marks: .line(series), options: options, notes: skippedNote(skipped), named: labels != nil)
    }

    /// A scatter plot of one or more series of `ys` against a shared `x`.
    ///
    /// Validation and non-finite handling are as for `line`.
    public static func scatter(
        x: [Double], ys: [[Double]], labels: [String]? = nil,
        options: FigureOptions = FigureOptions()
    ) throws -> Figure {
        let (series, skipped) = try xySeries("scatter", x: x, ys: ys, labels: labels, options: options)
        return Figure(marks: .scatter(series), options: options, notes: skippedNote(skipped), named: labels != nil)
    }

    /// A scatter plot of a single series.
    public static func scatter(
        x: [Double], y: [Double], label: String? = nil, options: FigureOptions = FigureOptions()
    ) throws -> Figure {
        try scatter(x: x, ys: [y], labels: label.map { [$0] }, options: options)
    }

    /// A grouped bar chart: `values[s][c]` is the bar of series `s` in category `c`.
    ///
    /// Non-finite values are skipped (no bar) and noted. `logx` is rejected (the category
    /// axis has no scale); with `logy` every value must be positive.
    public static func bar(
        categories: [String], values: [[Double]], labels: [String]? = nil,
        options: FigureOptions = FigureOptions()
    ) throws -> Figure {
        guard !categories.isEmpty else { throw PlotError("bar needs at least one category") }
        guard !values.isEmpty else { throw PlotError("bar needs at least one series of values") }
        if options.logx { throw PlotError("logx is not supported for bar charts: the category axis has no scale") }
        let names = try seriesLabels(labels, count: values.count)
        var skipped = 0
        var kept: [[Double?]] = []
        for (s, row) in values.enumerated() {
            guard row.count == categories.count else {
                throw PlotError("\(categories.count) categories but series \(describe(s, names)) has \(row.count) values")
            }
            var out: [Double?] = []
            for (c, v) in row.enumerated() {
                guard v.isFinite else { skipped += 1; out.append(nil); continue }
                if options.logy && v <= 0 {
                    throw PlotError("logy needs positive values, but series \(describe(s, names)) has \(NumberFormat.short(v)) for '\(categories[c])'")
                }
                out.append(v)
            }
            kept.append(out)
        }
        guard kept.contains(where: { $0.contains { $0 != nil } }) else {
            throw PlotError("bar has no finite values to draw (all \(skipped) are NaN or infinite)")
        }
        let data = BarData(categories: categories, labels: names, values: kept)
        return Figure(marks: .bars(data), options: options, notes: skippedNote(skipped, noun: "value"), named: labels != nil)
    }

    /// A histogram of `values` in `bins` equal-width bins spanning the finite values.
    ///
    /// Non-finite values are skipped and noted. `logx` is rejected; `logy` draws counts on
    /// a log axis, leaving empty bins blank.
    public static func histogram(
        values: [Double], bins: Int = 10, options: FigureOptions = FigureOptions()
    ) throws -> Figure {
        guard !values.isEmpty else { throw PlotError("hist needs at least one value") }
        guard bins >= 1 else { throw PlotError("hist needs bins >= 1, got \(bins)") }
        guard bins <= 10_000 else { throw PlotError("hist supports at most 10000 bins, got \(bins)") }
        if options.logx { throw PlotError("logx is not supported for histograms: bins are equal-width") }
        let finite = values.filter { $0.isFinite }
        let skipped = values.count - finite.count
        guard let lo = finite.min(), let hi0 = finite.max() else {
            throw PlotError("hist has no finite values (all \(values.count) are NaN or infinite)")
        }
        let hi = hi0 > lo ? hi0 : lo + Swift.max(1, abs(lo) * 1e-9)
        // Interpolate as lo * (1 - t) + hi * t and divide halves, so ranges near the limits of
        // Double do not overflow to infinity.
        let edges = (0...bins).map { i -> Double in
            let t = Double(i) / Double(bins)
            return i == bins ? hi : lo * (1 - t) + hi * t
        }
        var counts = [Int](repeating: 0, count: bins)
        let half = hi / 2 - lo / 2
        for v in finite {
            let t = (v / 2 - lo / 2) / half
            let i = Swift.min(bins - 1, Swift.max(0, Int(Clamp.unit(t) * Double(bins))))
            counts[i] += 1
        }
        let data = HistogramData(edges: edges, counts: counts)
        return Figure(marks: .histogram(data), options: options, notes: skippedNote(skipped, noun: "value"))
    }

    /// A heatmap of a rectangular matrix, with optional row and column labels (default
    /// "0", "1", ...), cell annotations, a colour map and a colour bar.
    ///
    /// NaN cells are drawn empty and noted; infinite values are rejected because they have
    /// no colour. Log axes are rejected.
    public static func heatmap(
        matrix: [[Double]], rows: [String]? = nil, columns: [String]? = nil,
        annotate: Bool = false, digits: Int? = nil, colorMap: ColorMap = .sequential,
        colorBar: Bool = true, options: FigureOptions = FigureOptions()
    ) throws -> Figure {
        guard let first = matrix.first, !first.isEmpty else {
            throw PlotError("heatmap needs a non-empty matrix")
        }
        if options.logx || options.logy { throw PlotError("logx and logy are not supported for heatmaps") }
        for (i, row) in matrix.enumerated() where row.count != first.count {
            throw PlotError("heatmap rows must have equal lengths: row 0 has \(first.count) values but row \(i) has \(row.count)")
        }
        let rowNames = rows ?? (0..<matrix.count).map(String.init)
        let colNames = columns ?? (0..<first.count).map(String.init)
        guard rowNames.count == matrix.count else {
            throw PlotError("heatmap has \(matrix.count) rows but \(rowNames.count) row labels")
        }
        guard colNames.count == first.count else {
            throw PlotError("heatmap has \(first.count) columns but \(colNames.count) column labels")
        }
        let all = matrix.flatMap { $0 }
        if let bad = all.first(where: { $0.isInfinite }) {
            throw PlotError("heatmap values must be finite or NaN, got \(NumberFormat.short(bad))")
        }
        let finite = all.filter { !$0.isNaN }
        guard let lo = finite.min(), let hi = finite.max() else {
            throw PlotError("heatmap has no finite values (all \(all.count) are NaN)")
        }
        if let d = digits, d < 0 || d > 10 { throw PlotError("heatmap digits must be between 0 and 10, got \(d)") }
        let whole = finite.allSatisfy { $0 == $0.rounded() && abs($0) < 1e9 }
        let places = digits ?? (whole ? 0 : 2)
        var range = lo...hi
        if colorMap == .diverging {
            let centre = (lo < 0 && hi > 0) ? 0 : (lo + hi) / 2
            let half = max(hi - centre, centre - lo)
            range = (centre - half)...(centre + half)
        }
        let data = HeatmapData(
            matrix: matrix, rows: rowNames, columns: colNames, annotate: annotate,
            digits: places, colorMap: colorMap, colorBar: colorBar, range: range)
        let missing = all.count - finite.count
        let note = missing == 0 ? [] : ["\(missing) missing (NaN) cell\(missing == 1 ? "" : "s") left blank"]
        return Figure(marks: .heatmap(data), options: options, notes: note)
    }
}

extension Figure {
    static func skippedNote(_ n: Int, noun: String = "point") -> [String] {
        n == 0 ? [] : ["skipped \(n) non-finite \(noun)\(n == 1 ? "" : "s")"]
    }

    static func seriesLabels(_ labels: [String]?, count: Int) throws -> [String] {
        guard let labels else { return (1...count).map { "series \($0)" } }
        guard labels.count == count else {
            throw PlotError("\(labels.count) label\(labels.count == 1 ? "" : "s") for \(count) series")
        }
        return labels
    }

    static func describe(_ index: Int, _ names: [String]) -> String {
        "\(index + 1) ('\(names[index])')"
    }

    static func xySeries(
        _ kind: String, x: [Double]?, ys: [[Double]], labels: [String]?, options: FigureOptions
    ) throws -> ([Series], Int) {
        guard !ys.isEmpty else { throw PlotError("\(kind) needs at least one series") }
        let names = try seriesLabels(labels, count: ys.count)
        let xs = x ?? (0..<ys[0].count).map(Double.init)
        guard !xs.isEmpty else { throw PlotError("\(kind) needs at least one point, but x is empty") }
        var skipped = 0
        var result: [Series] = []
        for (s, y) in ys.enumerated() {
            guard y.count == xs.count else {
                let what = x == nil ? "series 1 has \(xs.count) values" : "x has \(xs.count) values"
                throw PlotError("\(what) but series \(describe(s, names)) has \(y.count)")
            }
            var segments: [[Point]] = []
            var run: [Point] = []
            for i in 0..<xs.count {
                let p = Point(x: xs[i], y: y[i])
                guard p.x.isFinite && p.y.isFinite else {
                    skipped += 1
                    if !run.isEmpty { segments.append(run); run = [] }
                    continue
                }
                if options.logx && p.x <= 0 {
                    throw PlotError("logx needs positive x values, but x[\(i)] = \(NumberFormat.short(p.x))")
                }
                if options.logy && p.y <= 0 {
                    throw PlotError("logy needs positive y values, but series \(describe(s, names)) has y[\(i)] = \(NumberFormat.short(p.y))")
                }
                run.append(p)
            }
            if !run.isEmpty { segments.append(run) }
            result.append(Series(label: names[s], segments: segments))
        }
        guard result.contains(where: { !$0.segments.isEmpty }) else {
            throw PlotError("\(kind) has no finite points to draw (all \(skipped) are NaN or infinite)")
        }
        return (result, skipped)
    }
}
