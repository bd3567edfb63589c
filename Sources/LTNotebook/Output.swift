import Foundation
import LTLang
import LTPlot
import LTStdlib

/// One displayed output of a cell, already rendered, so a cache hit restores it without
/// the objects that produced it.
public enum CellOutput: Codable, Equatable, Sendable {
    /// Text written by `print`.
    case text(String)
    /// A value's display text.
    case value(String)
    /// A figure as inline SVG.
    case figure(svg: String)
    /// A table as HTML, plus CSV and LaTeX for `--figures`.
    case table(html: String, csv: String, latex: String)
    /// An error: its message and the caret diagnostic.
    case error(message: String, rendered: String)
}

/// What happened to a cell.
public enum CellStatus: String, Codable, Sendable {
    /// Ran and succeeded.
    case ok
    /// Restored from the cache.
    case cached
    /// Raised an error.
    case failed
    /// `eval: false`.
    case notEvaluated
    /// Not reached: an earlier cell failed.
    case notRun
}

/// The outcome of one cell.
public struct CellResult: Sendable {
    public var status: CellStatus
    public var outputs: [CellOutput]
    /// Wall-clock seconds (0 for cells that did not run).
    public var seconds: Double
    /// Why the cache hit or missed (for `--explain-cache`), nil for uncached cells.
    public var cacheNote: String?
}

/// Converts display items into outputs, knowing which cell they belong to (figure sizes,
/// table captions).
final class OutputSink: DisplaySink {
    var outputs: [CellOutput] = []
    var cell: Cell?
    /// Number of the current cell's figure or table, when its label is `fig-` / `tbl-`.
    var number: Int?

    func emit(_ item: DisplayItem) {
        switch item {
        case .text(let s):
            if case .text(let previous)? = outputs.last {
                outputs[outputs.count - 1] = .text(previous + s)
            } else {
                outputs.append(.text(s))
            }
        case .value(let v): outputs.append(render(v))
        case .error(let d): outputs.append(.error(message: d.message, rendered: DiagnosticRenderer.render(d)))
        }
    }

    func render(_ value: Value) -> CellOutput {
        if case .object(let o) = value {
            if let f = o as? FigureObject {
                var figure = f.figure
                if let w = cell?.options.figWidth { figure.options.svgWidth = w }
                if let h = cell?.options.figHeight { figure.options.svgHeight = h }
                var svg = figure.svg()
                if let alt = cell?.options.alt { replaceElement("desc", in: &svg, with: alt) }
                // An untitled figure gets its cell's caption as its accessible name.
                if figure.options.title?.isEmpty ?? true, let caption = cell?.options.caption {
                    replaceElement("title", in: &svg, with: caption)
                }
                return .figure(svg: svg)
            }
            if let t = o as? TableObject {
                var shown = t.table
                var paper = t.table
                if cell?.options.crossRefKind == .table, let caption = cell?.options.caption {
                    let prefix = number.map { "Table \($0): " } ?? ""
                    shown = (try? recaption(t.table, prefix + caption)) ?? t.table
                    paper = (try? recaption(t.table, caption)) ?? t.table
                }
                return .table(html: shown.html(), csv: paper.csv(), latex: paper.latex())
            }
        }
        return .value(value.displayText)
    }

    /// Replaces the text of the first `<name>` element of an SVG (escaped).
    private func replaceElement(_ name: String, in svg: inout String, with text: String) {
        guard let r = svg.range(of: "<\(name)>"), let e = svg.range(of: "</\(name)>"), r.upperBound <= e.lowerBound else { return }
        svg.replaceSubrange(r.upperBound..<e.lowerBound, with: HTML.escape(text))
    }

    private func recaption(_ table: Table, _ caption: String) throws -> Table {
        var options = table.options
        options.caption = caption
        let columns = table.columns.enumerated().map { c, name in (name, table.rows.map { $0[c] }) }
        return try Table(columns: columns, options: options)
    }
}
