import LTLang
import LTPlot

/// A table as a language value: aligned text in a terminal, an HTML table in a report.
public final class TableObject: LTObject {
    public let table: Table
    public init(_ table: Table) { self.table = table }
    public var typeName: String { "table" }
    public var summary: String { table.description }
    public var display: String { table.text() }
}

/// Table built-ins: build, render and save tables as papers print them.
enum Tables {
    static func cell(_ v: Value) -> Cell {
        switch v {
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .nil: return .null
        default: return .string(v.inlineText)
        }
    }

    static func build(_ args: Arguments) throws -> Table {
        var options = TableOptions()
        options.caption = try args.given("caption", args.string)
        if let d = args.value("digits") {
            if case .record(let r) = d {
                for (k, v) in r.fields {
                    options.columnDigits[k] = try Arguments.wholeNumber(v, range: 0...12) { _ in
                        args.error("digits", "digits for column '\(k)' must be a whole number in 0...12")
                    }
                }
            } else {
                options.digits = try args.int("digits", in: 0...12)
            }
        }
        if args.value("highlight") != nil {
            options.highlight = try args.choice("highlight", ["max", "min"], default: "max") == "max" ? .max : .min
        }
        let columns = try args.given("columns", args.strings)
        let x = try args.required("x")
        do {
            switch x {
            case .list(let l) where l.items.allSatisfy({ if case .record = $0 { return true }; return false }) && !l.items.isEmpty:
                var rows: [[(String, Cell)]] = []
                for item in l.items {
                    guard case .record(let r) = item else { continue }
                    let keys = columns ?? r.keys
                    rows.append(keys.map { k in (k, cell(r[k] ?? .nil)) })
                }
                return try Table(records: rows, options: options)
            case .record(let r):
                var cols: [(String, [Cell])] = []
                for k in columns ?? r.keys {
                    guard let v = r[k] else { throw args.error("columns", "record has no column '\(k)'") }
                    switch v {
                    case .list(let l): cols.append((k, l.items.map(cell)))
                    case .object(let o as NumericConvertible): cols.append((k, try o.numericValues().map { .number($0) }))
                    default: cols.append((k, [cell(v)]))
                    }
                }
                return try Table(columns: cols, options: options)
            default:
                let matrix = try args.rows("x")
                return try Table(matrix: matrix, columnNames: columns, options: options)
            }
        } catch let e as PlotError {
            throw args.error("x", e.message)
        }
    }

    static let builtins: [Builtin] = [
        Builtin("table", family: "Tables",
                [.required("x", "a list of records, a record of columns, or a 2-D tensor / list of rows"),
                 .keyword("columns", "column names (their order, or names for a matrix)"),
                 .keyword("digits", "decimals for every column, or a record of decimals per column"),
                 .keyword("caption", "the caption"), .keyword("highlight", "\"max\" or \"min\": bold the best value per column")],
                summary: "A table, rendered as aligned text in a terminal and as HTML in a report.",
                errors: ["It is an error if columns differ in length or a named column is missing."],
                example: "table([{m: \"CE\", acc: 0.5}, {m: \"LA\", acc: 0.61}], highlight: \"max\") |> to_csv",
                result: "\"m,acc\\nCE,0.5\\nLA,0.61\\n\"") { args in
            .object(TableObject(try build(args)))
        },
        render("to_markdown", "A table as a Markdown pipe table.", .markdown),
        render("to_latex", "A table as LaTeX (booktabs).", .latex),
        render("to_csv", "A table as CSV (RFC 4180).", .csv),
        Builtin("save_table", family: "Tables", [.required("t", "a table"), .required("path", "a .csv, .md, .tex, .html or .txt file")],
                summary: "Writes a table in the format its extension names (atomically).",
                errors: ["It is an error if the extension is unknown or the file cannot be written."],
                example: "t = table([[1, 2]]); type(t)", result: "\"table\"") { args in
            let t = try args.object("t", as: TableObject.self, "a table")
            let path = try args.string("path")
            do { try t.table.save(to: path) } catch let e as PlotError {
                throw args.error("path", e.message, kind: .io)
            } catch {
                throw args.error("path", "cannot write '\(path)': \(error)", kind: .io)
            }
            return .nil
        },
    ]

    static func render(_ name: String, _ summary: String, _ format: TableFormat) -> Builtin {
        Builtin(name, family: "Tables", [.required("t", "a table")], summary: summary,
                example: "type(\(name)(table([[1]])))", result: "\"string\"") { args in
            .string(try args.object("t", as: TableObject.self, "a table").table.render(format))
        }
    }
}
