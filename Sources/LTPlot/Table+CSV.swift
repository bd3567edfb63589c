/// Tables as CSV for other tools: the raw values (full precision, not the display digits,
/// since CSV is data rather than presentation), RFC 4180 quoting, missing values empty.
/// Lines end in LF, which every CSV reader accepts.
extension Table {
    /// Quotes a field when it holds a comma, quote, CR or LF, doubling inner quotes.
    static func quoteCSV(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number in the shortest form that reads back exactly ("3", "0.1", "1e-07").
    static func csvNumber(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        if v == v.rounded() && abs(v) < 1e15 { return NumberFormat.fixed(v, 0) }
        return "\(v)"
    }

    /// The table as CSV with a header row, ending in a newline.
    public func csv() -> String {
        var lines = [columns.map(Table.quoteCSV).joined(separator: ",")]
        for row in rows {
            lines.append(row.map { cell -> String in
                switch cell {
                case .number(let v): return Table.csvNumber(v)
                case .string(let s): return Table.quoteCSV(s)
                case .bool(let b): return b ? "true" : "false"
                case .null: return ""
                }
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
