import Foundation

/// Turning cells into display strings and deciding which are bold. Every renderer starts
/// from `formatted()`, so all formats agree on digits and on which values are best.
extension Table {
    /// A cell ready to print: its text, whether it is numeric (right-aligned), whether it is
    /// a highlighted best value, and whether it is missing.
    struct Shown: Equatable {
        var text: String
        var numeric: Bool
        var bold: Bool
        var missing: Bool
    }

    /// Whether every non-null cell of column `c` is a number (and there is at least one).
    func isNumeric(_ c: Int) -> Bool {
        var any = false
        for row in rows {
            switch row[c] {
            case .number: any = true
            case .null: continue
            default: return false
            }
        }
        return any
    }

    /// The format used for numbers in column `c`.
    func format(_ c: Int) -> ColumnFormat {
        let name = columns[c]
        if let f = options.formats[name] { return f }
        if let d = options.columnDigits[name] { return .fixed(d) }
        let whole = rows.allSatisfy { row in
            if case .number(let v) = row[c] { return !v.isFinite || (v == v.rounded() && abs(v) < 1e15) }
            return true
        }
        return whole ? .fixed(0) : .fixed(options.digits ?? 3)
    }

    static func text(_ v: Double, _ f: ColumnFormat) -> String {
        switch f {
        case .fixed(let d): return NumberFormat.fixed(v, d)
        case .percent(let d): return v.isFinite ? NumberFormat.fixed(v * 100, d) + "%" : NumberFormat.fixed(v, 0)
        case .scientific(let d): return NumberFormat.scientific(v, d)
        }
    }

    /// The value as displayed, so ties are judged on what the reader sees (0.7124 and
    /// 0.7119 both show as 0.712 and are both bold).
    static func displayed(_ v: Double, _ f: ColumnFormat) -> Double {
        switch f {
        case .fixed(let d): return (v * pow(10, Double(d))).rounded()
        case .percent(let d): return (v * 100 * pow(10, Double(d))).rounded()
        case .scientific: return Double(text(v, f)) ?? v
        }
    }

    /// Index of the row-header column, if any.
    var rowHeaderColumn: Int? {
        let want = options.rowHeader ?? (columns.count > 1 && !isNumeric(0) && rows.allSatisfy {
            if case .number = $0[0] { return false }
            return true
        })
        return want ? 0 : nil
    }

    /// Every cell formatted, with highlights applied.
    func formatted() -> [[Shown]] {
        var out = rows.map { row in
            row.enumerated().map { c, cell -> Shown in
                switch cell {
                case .number(let v): return Shown(text: Table.text(v, format(c)), numeric: true, bold: false, missing: false)
                case .string(let s): return Shown(text: s, numeric: false, bold: false, missing: false)
                case .bool(let b): return Shown(text: b ? "true" : "false", numeric: false, bold: false, missing: false)
                case .null: return Shown(text: "", numeric: false, bold: false, missing: true)
                }
            }
        }
        for c in columns.indices where c != rowHeaderColumn && isNumeric(c) {
            guard let rule = options.columnHighlight[columns[c]] ?? options.highlight else { continue }
            let f = format(c)
            var best: Double?
            for row in rows {
                guard case .number(let v) = row[c], !v.isNaN else { continue }
                let d = Table.displayed(v, f)
                if let b = best { best = rule == .max ? Swift.max(b, d) : Swift.min(b, d) } else { best = d }
            }
            guard let best else { continue }
            for r in rows.indices {
                if case .number(let v) = rows[r][c], !v.isNaN, Table.displayed(v, f) == best { out[r][c].bold = true }
            }
        }
        for c in columns.indices where isNumeric(c) {
            for r in rows.indices { out[r][c].numeric = true }
        }
        return out
    }

    /// Whether any cell is highlighted (text output then explains its marker).
    func hasHighlight(_ cells: [[Shown]]) -> Bool { cells.contains { $0.contains { $0.bold } } }
}
