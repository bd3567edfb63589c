/// One-line summaries for the REPL's display of library objects, in the
/// `<dataset train: 2000 x 128, 100 classes>` style of LANGUAGE.md.
extension Figure: CustomStringConvertible {
    /// For example `<figure line: 2 series, 99 points>` or `<figure heatmap: 4 x 4>`.
    public var description: String {
        switch marks {
        case .line(let s), .scatter(let s):
            let n = s.reduce(0) { $0 + $1.points.count }
            return "<figure \(kind.rawValue): \(s.count) series, \(n) point\(n == 1 ? "" : "s")>"
        case .bars(let b):
            return "<figure bar: \(b.categories.count) categories, \(b.labels.count) series>"
        case .histogram(let h):
            return "<figure histogram: \(h.counts.reduce(0, +)) values, \(h.counts.count) bins>"
        case .heatmap(let h):
            return "<figure heatmap: \(h.rows.count) x \(h.columns.count)>"
        }
    }
}
