import LTBytes

/// A compact, versioned binary form of a figure, for the notebook cache: a restored figure
/// renders byte-identical SVG and text, because every field (marks, options, notes,
/// whether series were named) is stored and doubles keep their bit patterns.
///
/// The builders in `Figure+Builders.swift` promise the renderers non-empty, consistent,
/// finite data; decoding checks the same promises, so corrupt bytes are a `PlotError`
/// rather than a crash in a renderer.
extension Figure {
    /// Bumped whenever the layout changes; other versions are refused, not misread.
    public static let codecVersion: UInt8 = 1
    static let codecKind: UInt8 = 1

    /// The figure's bytes; `Figure(encoded:)` reads them back exactly.
    public func encoded() -> [UInt8] {
        var w = PlotCodec.writer(kind: Figure.codecKind, version: Figure.codecVersion)
        switch marks {
        case .line(let series): w.u8(0); Figure.write(series, &w)
        case .scatter(let series): w.u8(1); Figure.write(series, &w)
        case .bars(let b):
            w.u8(2)
            w.strings(b.categories)
            w.strings(b.labels)
            w.int(b.values.count)
            for row in b.values {
                w.int(row.count)
                for v in row { w.optional(v) { $0.f64($1) } }
            }
        case .histogram(let h):
            w.u8(3)
            w.doubles(h.edges)
            w.int(h.counts.count)
            for c in h.counts { w.int(c) }
        case .heatmap(let h):
            w.u8(4)
            w.int(h.matrix.count)
            for row in h.matrix { w.doubles(row) }
            w.strings(h.rows)
            w.strings(h.columns)
            w.bool(h.annotate)
            w.int(h.digits)
            w.string(h.colorMap.rawValue)
            w.bool(h.colorBar)
            w.f64(h.range.lowerBound)
            w.f64(h.range.upperBound)
        }
        let o = options
        for s in [o.title, o.xlabel, o.ylabel] { w.optional(s) { $0.string($1) } }
        w.optional(o.legend) { $0.bool($1) }
        w.bool(o.logx)
        w.bool(o.logy)
        for n in [o.width, o.height, o.svgWidth, o.svgHeight] { w.optional(n) { $0.int($1) } }
        w.strings(notes)
        w.bool(named)
        return w.bytes
    }

    /// Reads `encoded()` bytes; throws a `PlotError` naming the byte offset on bad data.
    public init(encoded bytes: [UInt8]) throws {
        var r = try PlotCodec.reader(bytes, what: "figure", kind: Figure.codecKind, version: Figure.codecVersion)
        let at = r.offset
        let marks: Marks
        switch try r.u8() {
        case 0: marks = .line(try Figure.readSeries(&r))
        case 1: marks = .scatter(try Figure.readSeries(&r))
        case 2: marks = .bars(try Figure.readBars(&r))
        case 3: marks = .histogram(try Figure.readHistogram(&r))
        case 4: marks = .heatmap(try Figure.readHeatmap(&r))
        case let k: throw r.error("unknown mark kind \(k)", at: at)
        }
        var o = FigureOptions()
        o.title = try r.optional { try $0.string() }
        o.xlabel = try r.optional { try $0.string() }
        o.ylabel = try r.optional { try $0.string() }
        o.legend = try r.optional { try $0.bool() }
        o.logx = try r.bool()
        o.logy = try r.bool()
        o.width = try r.optional { try $0.int() }
        o.height = try r.optional { try $0.int() }
        o.svgWidth = try r.optional { try $0.int() }
        o.svgHeight = try r.optional { try $0.int() }
        let notes = try r.strings()
        let named = try r.bool()
        try r.finish()
        self.init(marks: marks, options: o, notes: notes, named: named)
    }

    private static func write(_ series: [Series], _ w: inout ByteWriter) {
        w.int(series.count)
        for s in series {
            w.string(s.label)
            w.int(s.segments.count)
            for segment in s.segments {
                w.int(segment.count)
                for p in segment { w.f64(p.x); w.f64(p.y) }
            }
        }
    }

    private static func readSeries(_ r: inout ByteReader) throws -> [Series] {
        let at = r.offset
        let series = try r.list(elementSize: 16) { r in
            let label = try r.string()
            let segments = try r.list(elementSize: 8) { r in
                try r.list(elementSize: 16) { r in Point(x: try r.f64(), y: try r.f64()) }
            }
            return Series(label: label, segments: segments)
        }
        guard series.contains(where: { !$0.segments.isEmpty }) else { throw r.error("no points to draw", at: at) }
        for s in series {
            for segment in s.segments {
                guard !segment.isEmpty, segment.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
                    throw r.error("series '\(s.label)' has an empty segment or a non-finite point", at: at)
                }
            }
        }
        return series
    }

    private static func readBars(_ r: inout ByteReader) throws -> BarData {
        let at = r.offset
        let categories = try r.strings()
        let labels = try r.strings()
        let values = try r.list(elementSize: 8) { r in
            try r.list(elementSize: 1) { r in try r.optional { try $0.f64() } }
        }
        guard !categories.isEmpty, !values.isEmpty, values.count == labels.count,
              values.allSatisfy({ $0.count == categories.count }) else {
            throw r.error("\(values.count) series for \(labels.count) labels and \(categories.count) categories", at: at)
        }
        let present = values.flatMap { $0 }.compactMap { $0 }
        guard !present.isEmpty, present.allSatisfy(\.isFinite) else { throw r.error("bar values must be finite", at: at) }
        return BarData(categories: categories, labels: labels, values: values)
    }

    private static func readHistogram(_ r: inout ByteReader) throws -> HistogramData {
        let at = r.offset
        let edges = try r.doubles()
        let counts = try r.list(elementSize: 8) { try $0.int(in: 0...Int.max, "bin count") }
        guard (1...10_000).contains(counts.count), edges.count == counts.count + 1,
              edges.allSatisfy(\.isFinite), let lo = edges.first, let hi = edges.last, lo < hi else {
            throw r.error("\(counts.count) bins with \(edges.count) edges", at: at)
        }
        return HistogramData(edges: edges, counts: counts)
    }

    private static func readHeatmap(_ r: inout ByteReader) throws -> HeatmapData {
        let at = r.offset
        let matrix = try r.list(elementSize: 8) { try $0.doubles() }
        let rows = try r.strings()
        let columns = try r.strings()
        let annotate = try r.bool()
        let digits = try r.int(in: 0...10, "digits")
        let mapName = try r.string()
        guard let colorMap = ColorMap(rawValue: mapName) else { throw r.error("unknown colour map '\(mapName)'") }
        let colorBar = try r.bool()
        let lo = try r.f64(), hi = try r.f64()
        guard let first = matrix.first, !first.isEmpty, matrix.allSatisfy({ $0.count == first.count }),
              rows.count == matrix.count, columns.count == first.count else {
            throw r.error("a heatmap of \(matrix.count) rows with \(rows.count) row and \(columns.count) column labels", at: at)
        }
        let values = matrix.flatMap { $0 }
        guard values.allSatisfy({ !$0.isInfinite }), values.contains(where: { !$0.isNaN }) else {
            throw r.error("heatmap values must be finite or NaN, with at least one finite", at: at)
        }
        guard lo.isFinite, hi.isFinite, lo <= hi else { throw r.error("colour range \(lo)...\(hi)", at: at) }
        return HeatmapData(
            matrix: matrix, rows: rows, columns: columns, annotate: annotate, digits: digits,
            colorMap: colorMap, colorBar: colorBar, range: lo...hi)
    }
}
