import Foundation

/// A labelled table as one run exported it (`tables/<label>.csv`).
public struct RunTable: Equatable, Sendable {
    public var columns: [String]
    public var rows: [[String]]
    public init(columns: [String], rows: [[String]]) { self.columns = columns; self.rows = rows }

    /// Parses RFC 4180 CSV with a header row (what `Table.csv()` writes).
    public static func parseCSV(_ text: String) -> RunTable? {
        var records: [[String]] = []
        var field = "", record: [String] = []
        var quoted = false, atFieldStart = true
        var chars = Array(text.unicodeScalars)[...]
        while let ch = chars.popFirst() {
            if quoted {
                if ch == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
                } else { field.unicodeScalars.append(ch) }
                continue
            }
            switch ch {
            case "\"" where atFieldStart: quoted = true; atFieldStart = false
            case ",": record.append(field); field = ""; atFieldStart = true
            case "\r": continue
            case "\n":
                record.append(field); records.append(record)
                field = ""; record = []; atFieldStart = true
            default: field.unicodeScalars.append(ch); atFieldStart = false
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        guard let header = records.first, !header.isEmpty else { return nil }
        let rows = records.dropFirst().filter { !($0.count == 1 && $0[0].isEmpty) }
        guard rows.allSatisfy({ $0.count == header.count }) else { return nil }
        return RunTable(columns: header, rows: Array(rows))
    }
}

/// One cell of a summary table: numbers over the runs of a group reduce to mean, sample
/// standard deviation and count; text that agrees across runs stays as it is.
public enum SummaryCell: Equatable, Sendable {
    case stats(mean: Double, sd: Double, n: Int)
    /// Every run wrote exactly this (a key column such as `M`, or a deterministic
    /// number): shown as written, not as `1.000 ± 0.000`.
    case same(String, n: Int)
    case text(String)

    /// Aggregates one cell over runs (in grid order, so the result does not depend on
    /// which run finished first). Numeric only when every run has a finite number there.
    public static func aggregate(_ values: [String]) -> SummaryCell {
        let numbers = values.compactMap { v -> Double? in
            guard let x = Double(v.trimmingCharacters(in: .whitespaces)), x.isFinite else { return nil }
            return x
        }
        if let first = values.first, values.allSatisfy({ $0 == first }) { return .same(first, n: values.count) }
        if !values.isEmpty, numbers.count == values.count {
            let n = Double(numbers.count)
            // Summed in grid order: the same inputs give the same bits.
            let mean = numbers.reduce(0, +) / n
            let sd = numbers.count > 1 ? (numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : 0
            return .stats(mean: mean, sd: sd, n: numbers.count)
        }
        var distinct: [String] = []
        for v in values where !distinct.contains(v) { distinct.append(v) }
        return .text(distinct.joined(separator: " / "))
    }

    /// `0.812 ± 0.013`; a single run shows only its value.
    public func formatted(digits: Int) -> String {
        switch self {
        case .text(let s), .same(let s, _): return s
        case .stats(let mean, let sd, let n):
            return n > 1 ? "\(Self.fixed(mean, digits)) ± \(Self.fixed(sd, digits))" : Self.fixed(mean, digits)
        }
    }

    static func fixed(_ x: Double, _ digits: Int) -> String {
        let s = String(format: "%.\(digits)f", x)
        return s.hasPrefix("-") && (Double(s) ?? 1) == 0 ? String(s.dropFirst()) : s
    }
}

/// One labelled table over the whole grid: a block of rows per combination of the axes
/// other than `--over`, each block the run table with its cells aggregated.
public struct SummaryTable: Equatable, Sendable {
    public struct Group: Equatable, Sendable {
        /// Values of the remaining axes, in axis order.
        public var key: [String]
        /// The runs aggregated (their point names), in grid order.
        public var runs: [String]
        public var rows: [[SummaryCell]]
    }
    /// `tbl-acc` (the file stem the runs exported).
    public var label: String
    /// The remaining axes' names.
    public var axes: [String]
    public var columns: [String]
    public var groups: [Group]
    /// Runs left out because their table's columns or row count differ from the first run's.
    public var mismatched: [String]

    /// Groups successful runs by the axes other than `over` (groups in grid order) and
    /// aggregates cell by cell. Nil when no run exported the table.
    public static func build(label: String, plan: SweepPlan, tables: [(point: SweepPoint, table: RunTable)]) -> SummaryTable? {
        guard let first = tables.first?.table else { return nil }
        let axes = plan.axes.map(\.name).filter { $0 != plan.over }
        var order: [[String]] = []
        var members: [[String]: [(SweepPoint, RunTable)]] = [:]
        var mismatched: [String] = []
        for (point, table) in tables.sorted(by: { $0.point.index < $1.point.index }) {
            guard table.columns == first.columns, table.rows.count == first.rows.count else {
                mismatched.append(point.name)
                continue
            }
            let key = axes.map { point.value(of: $0) ?? "" }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append((point, table))
        }
        let groups = order.map { key -> Group in
            let runs = members[key] ?? []
            let rows = first.rows.indices.map { r in
                first.columns.indices.map { c in SummaryCell.aggregate(runs.map { $0.1.rows[r][c] }) }
            }
            return Group(key: key, runs: runs.map(\.0.name), rows: rows)
        }
        return SummaryTable(label: label, axes: axes, columns: first.columns, groups: groups, mismatched: mismatched)
    }
}
