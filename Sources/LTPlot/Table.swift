/// A table of results: named columns of cells, plus display options (caption, digits,
/// highlighting). Rendered as aligned text, HTML, Markdown, LaTeX (booktabs) or CSV by the
/// `Table+<Format>.swift` extensions, all from the same formatted cells, so a number
/// reads the same in the terminal, the report and the paper.
public struct Table: Sendable, Equatable {
    /// Column names, in order.
    public let columns: [String]
    /// Rows of cells, each as long as `columns`.
    public let rows: [[Cell]]
    /// Caption, digits, formats and highlighting.
    public let options: TableOptions

    /// A table from records (rows of ordered fields). Columns are the union of the field
    /// names in order of first appearance; a record without a field gets `.null` there.
    public init(records: [[(String, Cell)]], options: TableOptions = TableOptions()) throws {
        guard !records.isEmpty else { throw PlotError("table needs at least one record") }
        var names: [String] = []
        var seen: Set<String> = []
        var maps: [[String: Cell]] = []
        for (i, record) in records.enumerated() {
            var map: [String: Cell] = [:]
            for (key, value) in record {
                guard map[key] == nil else { throw PlotError("record \(i) has the field '\(key)' twice") }
                map[key] = value
                if seen.insert(key).inserted { names.append(key) }
            }
            maps.append(map)
        }
        guard !names.isEmpty else { throw PlotError("table needs at least one column, but every record is empty") }
        try self.init(checked: names, maps.map { m in names.map { m[$0] ?? .null } }, options)
    }

    /// A table from named columns, which must all have the same length.
    public init(columns: [(String, [Cell])], options: TableOptions = TableOptions()) throws {
        guard let first = columns.first else { throw PlotError("table needs at least one column") }
        for (name, cells) in columns where cells.count != first.1.count {
            throw PlotError("column '\(name)' has \(cells.count) values but column '\(first.0)' has \(first.1.count)")
        }
        guard first.1.count > 0 else { throw PlotError("table needs at least one row, but the columns are empty") }
        let rows = (0..<first.1.count).map { r in columns.map { $0.1[r] } }
        try self.init(checked: columns.map(\.0), rows, options)
    }

    /// A table from a 2-D matrix, with optional column names (default "0", "1", ...) and
    /// row names (which become a first, unnamed column used as row headers).
    public init(
        matrix: [[Double]], columnNames: [String]? = nil, rowNames: [String]? = nil,
        options: TableOptions = TableOptions()
    ) throws {
        guard let first = matrix.first, !first.isEmpty else { throw PlotError("table needs a non-empty matrix") }
        for (i, row) in matrix.enumerated() where row.count != first.count {
            throw PlotError("matrix rows must have equal lengths: row 0 has \(first.count) values but row \(i) has \(row.count)")
        }
        let names = columnNames ?? (0..<first.count).map(String.init)
        guard names.count == first.count else {
            throw PlotError("matrix has \(first.count) columns but \(names.count) column names")
        }
        var rows = matrix.map { $0.map(Cell.number) }
        var columns = names
        if let rowNames {
            guard rowNames.count == matrix.count else {
                throw PlotError("matrix has \(matrix.count) rows but \(rowNames.count) row names")
            }
            columns.insert("", at: 0)
            for i in rows.indices { rows[i].insert(.string(rowNames[i]), at: 0) }
        }
        try self.init(checked: columns, rows, options)
    }

    private init(checked columns: [String], _ rows: [[Cell]], _ options: TableOptions) throws {
        var seen: Set<String> = []
        for c in columns where !seen.insert(c).inserted {
            throw PlotError("table has two columns named '\(c)'")
        }
        let known = columns.map { "'\($0)'" }.joined(separator: ", ")
        func check(_ keys: some Sequence<String>, _ what: String) throws {
            for k in keys.sorted() where !seen.contains(k) {
                throw PlotError("\(what) given for unknown column '\(k)' (columns: \(known))")
            }
        }
        try check(options.columnDigits.keys, "digits")
        try check(options.formats.keys, "format")
        try check(options.columnHighlight.keys, "highlight")
        for d in [options.digits].compactMap({ $0 }) + Array(options.columnDigits.values) where d < 0 || d > 12 {
            throw PlotError("digits must be between 0 and 12, got \(d)")
        }
        self.columns = columns
        self.rows = rows
        self.options = options
    }
}

/// One table cell.
public enum Cell: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    /// A number, formatted by the column's digits or format.
    case number(Double)
    /// Text, shown as is (escaped per format).
    case string(String)
    /// A boolean, shown as "true" or "false".
    case bool(Bool)
    /// A missing value: "—" in text, HTML and Markdown, "---" in LaTeX, empty in CSV.
    case null

    /// A number cell from a float literal.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// A number cell from an integer literal.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A string cell from a string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A bool cell from a boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A null cell from `nil`.
    public init(nilLiteral: ()) { self = .null }
}

/// Which value is best in a column, for bolding as papers do.
public enum Highlight: String, Sendable, Equatable {
    /// The largest value is best (accuracy, F1).
    case max
    /// The smallest value is best (error, ECE, NLL).
    case min
}

/// How the numbers of a column are written.
public enum ColumnFormat: Sendable, Equatable {
    /// Fixed decimals: `.fixed(3)` gives "0.712".
    case fixed(Int)
    /// Times 100 with a percent sign: `.percent(1)` gives "71.2%".
    case percent(Int)
    /// Mantissa and exponent: `.scientific(2)` gives "7.12e-1".
    case scientific(Int)
}

/// Display options for a table.
public struct TableOptions: Sendable, Equatable {
    /// Caption shown above the table (`<caption>`, `\caption{}`, ...).
    public var caption: String?
    /// Decimals for every numeric column that holds non-whole numbers (default 3); columns
    /// of whole numbers stay integers unless named in `columnDigits`.
    public var digits: Int?
    /// Decimals per column name; overrides `digits`.
    public var columnDigits: [String: Int]
    /// Format per column name; overrides both kinds of digits.
    public var formats: [String: ColumnFormat]
    /// Bold the best value of every numeric column.
    public var highlight: Highlight?
    /// Best-value direction per column; overrides `highlight` (e.g. max for accuracy, min for ECE).
    public var columnHighlight: [String: Highlight]
    /// Treat the first column as row headers (`<th scope="row">`); nil means "when the
    /// first column holds text and there are other columns".
    public var rowHeader: Bool?

    /// Creates options; every argument is optional.
    public init(
        caption: String? = nil, digits: Int? = nil, columnDigits: [String: Int] = [:],
        formats: [String: ColumnFormat] = [:], highlight: Highlight? = nil,
        columnHighlight: [String: Highlight] = [:], rowHeader: Bool? = nil
    ) {
        self.caption = caption
        self.digits = digits
        self.columnDigits = columnDigits
        self.formats = formats
        self.highlight = highlight
        self.columnHighlight = columnHighlight
        self.rowHeader = rowHeader
    }
}
