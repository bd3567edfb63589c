import Foundation
import LTLang
import LTPlot

/// A figure as a language value: shown as a Unicode plot in a terminal and as inline
/// SVG in a report.
public final class FigureObject: LTObject {
    public let figure: Figure
    public init(_ figure: Figure) { self.figure = figure }
    public var typeName: String { "figure" }
    public var summary: String { figure.description }
    public var display: String {
        var options = PlotDisplay.terminalOptions
        if let width = figure.options.width { options.width = width }
        if let height = figure.options.height { options.height = height }
        return figure.text(options)
    }
    public var fieldNames: [String] { ["kind", "title"] }
    public func field(_ name: String) throws -> Value? {
        switch name {
        case "kind": return .string(figure.kind.rawValue)
        case "title": return figure.options.title.map { .string($0) } ?? .nil
        default: return nil
        }
    }
}

/// How figures are drawn in a terminal: COLUMNS wide (80 by default), ASCII when
/// LTNB_ASCII=1.
public enum PlotDisplay {
    /// The terminal's width, set by the REPL before each entry; COLUMNS or 80 otherwise.
    nonisolated(unsafe) public static var width: Int?

    public static var terminalOptions: TextOptions {
        let env = ProcessInfo.processInfo.environment
        let columns = width ?? env["COLUMNS"].flatMap(Int.init) ?? 80
        let width = min(max(columns, 40), 160)
        return TextOptions(width: width, ascii: env["LTNB_ASCII"] == "1")
    }
}

/// Plot built-ins: each returns a figure.
enum Plots {
    static let common: [BuiltinParameter] = [
        .keyword("title", "figure title"), .keyword("xlabel", "x-axis label"), .keyword("ylabel", "y-axis label"),
        .keyword("width", "width in terminal columns (SVG scales with it)"), .keyword("height", "height in terminal rows"),
        .keyword("legend", "show the legend (default: when series are named)"),
        .keyword("logx", "logarithmic x axis"), .keyword("logy", "logarithmic y axis"),
    ]

    static func options(_ args: Arguments) throws -> FigureOptions {
        var o = FigureOptions()
        o.title = try args.given("title", args.string)
        o.xlabel = try args.given("xlabel", args.string)
        o.ylabel = try args.given("ylabel", args.string)
        if args.value("width") != nil { o.width = try args.int("width", in: 20...400) }
        if args.value("height") != nil { o.height = try args.int("height", in: 5...200) }
        if args.value("legend") != nil { o.legend = try args.bool("legend", default: true) }
        o.logx = try args.bool("logx", default: false)
        o.logy = try args.bool("logy", default: false)
        return o
    }

    static func make(_ args: Arguments, _ build: () throws -> Figure) throws -> Value {
        do { return .object(FigureObject(try build())) } catch let e as PlotError {
            throw LTError(e.message, kind: .value)
        }
    }

    static let builtins: [Builtin] = [
        Builtin("line", family: "Plots",
                [.required("x", "x values, or the y values when ys is omitted"),
                 .optional("ys", "one series (a list) or several (a list of lists, or a 2-D tensor's rows)"),
                 .keyword("labels", "series names for the legend")] + common,
                summary: "A line chart of one or more series.",
                errors: ["It is an error if a series' length differs from x's, or a log axis meets a value <= 0."],
                example: "line([1, 2, 3], [[1, 4, 9], [1, 2, 3]], labels: [\"sq\", \"id\"]).kind", result: "\"line\"") { args in
            let labels = try args.given("labels", args.strings)
            let opts = try options(args)
            if args.value("ys") == nil {
                let ys = try args.rows("x")
                return try make(args) { try Figure.line(x: nil, ys: ys, labels: labels, options: opts) }
            }
            let x = try args.numbers("x"), ys = try args.rows("ys")
            return try make(args) { try Figure.line(x: x, ys: ys, labels: labels, options: opts) }
        },
        Builtin("scatter", family: "Plots",
                [.required("x", "x values"), .required("y", "y values (or several series as a list of lists)"),
                 .keyword("labels", "series names for the legend")] + common,
                summary: "A scatter plot.",
                errors: ["It is an error if x and y differ in length."],
                example: "scatter([1, 2, 3], [3, 1, 2]).kind", result: "\"scatter\"") { args in
            let labels = try args.given("labels", args.strings)
            let opts = try options(args)
            let x = try args.numbers("x"), ys = try args.rows("y")
            return try make(args) { try Figure.scatter(x: x, ys: ys, labels: labels, options: opts) }
        },
        Builtin("bar", family: "Plots",
                [.required("labels", "category names"), .required("values", "one value per category, or one list per series"),
                 .keyword("series", "series names for grouped bars")] + common,
                summary: "A bar chart; several series give grouped bars.",
                errors: ["It is an error if a series does not have one value per category."],
                example: "bar([\"many\", \"few\"], [0.8, 0.4]).kind", result: "\"bar\"") { args in
            let categories = try args.strings("labels")
            let values = try args.rows("values")
            let series = try args.given("series", args.strings)
            let opts = try options(args)
            return try make(args) { try Figure.bar(categories: categories, values: values, labels: series, options: opts) }
        },
        Builtin("hist", family: "Plots",
                [.required("values", "the numbers to bin"), .keyword("bins", "number of equal-width bins (default 10)")] + common,
                summary: "A histogram.",
                errors: ["It is an error if bins is not a whole number in 1...1000."],
                example: "hist([1, 2, 2, 3, 3, 3], bins: 3).kind", result: "\"histogram\"") { args in
            let values = try args.numbers("values")
            let bins = try args.int("bins", default: 10, in: 1...1000)
            let opts = try options(args)
            return try make(args) { try Figure.histogram(values: values, bins: bins, options: opts) }
        },
        Builtin("heatmap", family: "Plots",
                [.required("matrix", "a 2-D tensor or a list of rows"), .keyword("rows", "row labels"),
                 .keyword("cols", "column labels"), .keyword("annotate", "write each value in its cell"),
                 .keyword("digits", "decimals of annotations"), .keyword("cmap", "\"sequential\" (default) or \"diverging\"")] + common,
                summary: "A heatmap with row and column labels, optional annotations and a colour bar.",
                errors: ["It is an error if rows differ in length or labels do not match the matrix."],
                example: "heatmap([[1, 2], [3, 4]], rows: [\"a\", \"b\"], annotate: true).kind", result: "\"heatmap\"") { args in
            let matrix = try args.rows("matrix")
            let rows = try args.given("rows", args.strings)
            let cols = try args.given("cols", args.strings)
            let annotate = try args.bool("annotate", default: false)
            let digits = try args.given("digits") { try args.int($0, in: 0...10) }
            let cmap = try args.choice("cmap", ["sequential", "diverging"], default: "sequential")
            let opts = try options(args)
            return try make(args) {
                try Figure.heatmap(matrix: matrix, rows: rows, columns: cols, annotate: annotate, digits: digits,
                                   colorMap: cmap == "diverging" ? .diverging : .sequential, options: opts)
            }
        },
        Builtin("save_svg", family: "Plots", [.required("fig", "a figure"), .required("path", "where to write the .svg")],
                summary: "Writes a figure as a self-contained SVG file (atomically).",
                errors: ["It is an error if the file cannot be written."],
                example: "f = bar([\"a\"], [1]); type(f)", result: "\"figure\"") { args in
            let fig = try args.object("fig", as: FigureObject.self, "a figure")
            let path = try args.string("path")
            do { try fig.figure.saveSVG(to: path) } catch {
                throw args.error("path", "cannot write '\(path)': \(error)", kind: .io)
            }
            return .nil
        },
    ]
}
