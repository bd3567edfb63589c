import LTBytes

/// A compact, versioned binary form of a table, for the notebook cache: columns, cells
/// (numbers as bit patterns) and every display option, so a restored table renders
/// byte-identical text, HTML, Markdown, LaTeX and CSV.
///
/// Decoding rebuilds the table through `Table(columns:options:)`, so the checks every
/// table passes (equal lengths, unique names, digits in range) also guard corrupt bytes.
extension Table {
    /// Bumped whenever the layout changes; other versions are refused, not misread.
    public static let codecVersion: UInt8 = 1
    static let codecKind: UInt8 = 2

    /// The table's bytes; `Table(encoded:)` reads them back exactly.
    public func encoded() -> [UInt8] {
        var w = PlotCodec.writer(kind: Table.codecKind, version: Table.codecVersion)
        w.strings(columns)
        w.int(rows.count)
        for row in rows {
            for cell in row {
                switch cell {
                case .number(let v): w.u8(0); w.f64(v)
                case .string(let s): w.u8(1); w.string(s)
                case .bool(let b): w.u8(2); w.bool(b)
                case .null: w.u8(3)
                }
            }
        }
        let o = options
        w.optional(o.caption) { $0.string($1) }
        w.optional(o.digits) { $0.int($1) }
        // Dictionaries in key order, so the same table always gives the same bytes.
        w.int(o.columnDigits.count)
        for (k, d) in o.columnDigits.sorted(by: { $0.key < $1.key }) { w.string(k); w.int(d) }
        w.int(o.formats.count)
        for (k, f) in o.formats.sorted(by: { $0.key < $1.key }) {
            w.string(k)
            switch f {
            case .fixed(let d): w.u8(0); w.int(d)
            case .percent(let d): w.u8(1); w.int(d)
            case .scientific(let d): w.u8(2); w.int(d)
            }
        }
        w.optional(o.highlight) { $0.string($1.rawValue) }
        w.int(o.columnHighlight.count)
        for (k, h) in o.columnHighlight.sorted(by: { $0.key < $1.key }) { w.string(k); w.string(h.rawValue) }
        w.optional(o.rowHeader) { $0.bool($1) }
        return w.bytes
    }

    /// Reads `encoded()` bytes; throws a `PlotError` naming the byte offset on bad data.
    public init(encoded bytes: [UInt8]) throws {
        var r = try PlotCodec.reader(bytes, what: "table", kind: Table.codecKind, version: Table.codecVersion)
        let names = try r.strings()
        guard !names.isEmpty else { throw r.error("a table needs at least one column") }
        let rowCount = try r.count(elementSize: names.count)
        var columns = names.map { ($0, [Cell]()) }
        for _ in 0..<rowCount {
            for c in columns.indices {
                let at = r.offset
                switch try r.u8() {
                case 0: columns[c].1.append(.number(try r.f64()))
                case 1: columns[c].1.append(.string(try r.string()))
                case 2: columns[c].1.append(.bool(try r.bool()))
                case 3: columns[c].1.append(.null)
                case let t: throw r.error("unknown cell kind \(t)", at: at)
                }
            }
        }
        var o = TableOptions()
        o.caption = try r.optional { try $0.string() }
        o.digits = try r.optional { try $0.int(in: 0...12, "digits") }
        for _ in 0..<(try r.count(elementSize: 16)) {
            let k = try r.string()
            o.columnDigits[k] = try r.int(in: 0...12, "digits of column '\(k)'")
        }
        for _ in 0..<(try r.count(elementSize: 17)) {
            let k = try r.string()
            let at = r.offset
            let kind = try r.u8()
            let d = try r.int(in: 0...12, "format digits of column '\(k)'")
            switch kind {
            case 0: o.formats[k] = .fixed(d)
            case 1: o.formats[k] = .percent(d)
            case 2: o.formats[k] = .scientific(d)
            default: throw r.error("unknown number format \(kind)", at: at)
            }
        }
        o.highlight = try r.optional { try Table.readHighlight(&$0) }
        for _ in 0..<(try r.count(elementSize: 16)) {
            let k = try r.string()
            o.columnHighlight[k] = try Table.readHighlight(&r)
        }
        o.rowHeader = try r.optional { try $0.bool() }
        try r.finish()
        do { try self.init(columns: columns, options: o) } catch let e as PlotError { throw r.error(e.message) }
    }

    private static func readHighlight(_ r: inout ByteReader) throws -> Highlight {
        let at = r.offset
        let name = try r.string()
        guard let h = Highlight(rawValue: name) else { throw r.error("unknown highlight '\(name)'", at: at) }
        return h
    }
}
