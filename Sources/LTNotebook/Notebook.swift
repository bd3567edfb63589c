import Foundation
import LTLang

// The parsed form of a `.ltnb` file (NOTEBOOK.md "Format"): front matter, then a sequence
// of prose chunks and code cells in document order. Every piece keeps the file line it
// came from, so errors read `notebook.ltnb:LINE:COL`.

/// A parsed notebook.
public struct Notebook {
    /// The path as given on the command line (used in diagnostics).
    public var path: String
    /// The whole file, for the provenance hash.
    public var text: String
    public var frontMatter: FrontMatter
    public var blocks: [Block]

    /// Prose or a code cell.
    public enum Block {
        case prose(Prose)
        case cell(Cell)
    }

    /// The code cells, in document order.
    public var cells: [Cell] {
        blocks.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }
    }

    /// The notebook's name without directory and extension: `paper` for `nb/paper.ltnb`.
    public var name: String {
        let base = (path as NSString).lastPathComponent
        let ext = (base as NSString).pathExtension
        return ext.isEmpty ? base : String(base.dropLast(ext.count + 1))
    }
}

/// Front matter fields (YAML between `---` lines at the top).
public struct FrontMatter {
    public var title: String?
    public var subtitle: String?
    public var authors: [String] = []
    public var date: String?
    /// Parameter defaults, in the order written.
    public var params: [(name: String, value: Value)] = []
    /// The document default for the `cache` cell option.
    public var cache = false
    /// The document default for the `echo` cell option.
    public var echo = true
    /// Whether the report shows a table of contents (default: when there are headings).
    public var toc = true
    /// The global seed (default 0).
    public var seed: UInt64 = 0
}

/// A run of Markdown between cells, with its inline expressions and references.
public struct Prose {
    /// The Markdown text, as written.
    public var text: String
    /// The file line of the chunk's first line.
    public var firstLine: Int
    /// Inline `` `{ltnb} expr` `` expressions, in order.
    public var inlines: [InlineExpression]
}

/// `` `{ltnb} expr` `` in prose.
public struct InlineExpression {
    /// The expression's code.
    public var code: String
    /// Where the code starts in the file.
    public var line: Int
    public var column: Int
    /// The code as a source file whose positions are the file's (padded to its column).
    public func sourceFile(name: String) -> SourceFile {
        SourceFile(name: name, text: String(repeating: " ", count: column - 1) + code, firstLine: line)
    }
}

/// A code cell and its options.
public struct Cell {
    /// Position among the notebook's cells, from 0.
    public var index: Int
    /// The code without option lines (for display).
    public var code: String
    /// The code as evaluated: option lines blanked so line numbers match the file.
    public var evaluatedCode: String
    /// The file line of the first line after the opening fence.
    public var firstLine: Int
    /// The line of the opening fence.
    public var fenceLine: Int
    public var options: CellOptions
    /// The options as written (`key: value` lines), part of the cache key.
    public var optionText: String

    /// The id used for the cell's anchor: its label, or `cell-N` (1-based).
    public var anchor: String { options.label ?? "cell-\(index + 1)" }

    /// The source to evaluate, positioned in the file.
    public func sourceFile(name: String) -> SourceFile {
        SourceFile(name: name, text: evaluatedCode, firstLine: firstLine)
    }
}

/// `#| key: value` options of a cell (NOTEBOOK.md).
public struct CellOptions: Equatable {
    public var label: String?
    public var caption: String?
    public var alt: String?
    public var echo = true
    public var eval = true
    public var output = true
    public var include = true
    public var error = false
    public var cache = false
    public var figWidth: Int?
    public var figHeight: Int?

    /// `fig-` or `tbl-` from the label, when numbered.
    public var crossRefKind: CrossRefKind? {
        guard let label else { return nil }
        if label.hasPrefix("fig-") { return .figure }
        if label.hasPrefix("tbl-") { return .table }
        return nil
    }
}

/// What a numbered label refers to.
public enum CrossRefKind: String {
    case figure = "Figure"
    case table = "Table"
}

/// A problem in the notebook file itself (not in running it): exit code 2.
public struct NotebookError: Error, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String
    /// A full caret diagnostic, when the problem is ltnb code (a syntax error).
    public var diagnostic: Diagnostic?

    public init(path: String, line: Int, column: Int = 1, _ message: String) {
        self.path = path; self.line = line; self.column = column; self.message = message
    }

    public init(_ diagnostic: Diagnostic, path: String) {
        self.path = path
        self.message = diagnostic.message
        self.diagnostic = diagnostic
        if let file = diagnostic.file, let range = diagnostic.range {
            let loc = file.location(of: range.start)
            line = loc.line; column = loc.column
        } else {
            line = 1; column = 1
        }
    }

    /// `error: message` plus `--> path:line:col`, or the caret block for code.
    public var description: String {
        if let diagnostic { return DiagnosticRenderer.render(diagnostic) }
        return "error: \(message)\n  --> \(path):\(line):\(column)\n"
    }
}
