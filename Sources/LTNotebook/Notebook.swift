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
    /// Line breaks and byte-order mark as read, so `NotebookPrinter` writes the file back
    /// byte for byte.
    public var layout = SourceLayout()

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
    /// The document default of the per-cell output caps (`output-max-lines`, `output-max-bytes`).
    public var outputLimits = OutputLimits()
    /// The front matter as written, delimiter lines included; nil when there is none.
    public var lines: [String]?
}

/// How much of a cell's printed text and values the report shows before it cuts the
/// middle out (the full text goes to a sidecar file). Defaults: 400 lines, 64 KiB.
public struct OutputLimits: Equatable, Sendable {
    public var maxLines = 400
    public var maxBytes = 65_536
    public init() {}
}

/// What the text of a file had beyond its lines: the byte-order mark and which line
/// breaks were CRLF.
public struct SourceLayout: Equatable, Sendable {
    /// The file started with U+FEFF.
    public var byteOrderMark = false
    public var lineBreaks = LineBreaks.lf

    /// How lines were separated.
    public enum LineBreaks: Equatable, Sendable {
        /// Every break is `\n`.
        case lf
        /// Every break is `\r\n`.
        case crlf
        /// Some of each: the 0-based indices of the lines ended by `\r\n`.
        case mixed(crlf: Set<Int>)
    }

    public init() {}

    /// The break after 0-based line `index`.
    public func lineBreak(after index: Int) -> String {
        switch lineBreaks {
        case .lf: return "\n"
        case .crlf: return "\r\n"
        case .mixed(let crlf): return crlf.contains(index) ? "\r\n" : "\n"
        }
    }

    /// Splits `text` into lines (without their breaks) and records how they were broken.
    /// A `\r` is part of a break only right before `\n`; anywhere else it is text.
    public static func split(_ text: String) -> (lines: [String], layout: SourceLayout) {
        var layout = SourceLayout()
        var body = Substring(text)
        if body.unicodeScalars.first == "\u{FEFF}" {
            layout.byteOrderMark = true
            body = Substring(body.unicodeScalars.dropFirst())
        }
        let raw = body.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var lines: [String] = []
        lines.reserveCapacity(raw.count)
        var crlf = Set<Int>()
        for (k, piece) in raw.enumerated() {
            var line = Substring(piece)
            if k + 1 < raw.count, line.utf8.last == UInt8(ascii: "\r") {
                line = Substring(line.unicodeScalars.dropLast())
                crlf.insert(k)
            }
            lines.append(String(line))
        }
        let breaks = raw.count - 1
        if crlf.isEmpty { layout.lineBreaks = .lf }
        else if crlf.count == breaks { layout.lineBreaks = .crlf }
        else { layout.lineBreaks = .mixed(crlf: crlf) }
        return (lines, layout)
    }
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
    /// The fences as written.
    public var fence: Fence
    /// The `#|` option lines as written (with any indentation).
    public var optionLines: [String]
    /// The lines after the options up to the closing fence, as written (with any indentation).
    public var bodyLines: [String]
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

    /// The cell's lines as written: opening fence, options, body, closing fence.
    public var sourceLines: [String] {
        [fence.opening] + optionLines + bodyLines + (fence.closing.map { [$0] } ?? [])
    }
}

/// A cell's fences: ```` ```{ltnb} ````, `~~~ltnb`, ... .
public struct Fence: Equatable, Sendable {
    /// Spaces before the fence (0-3); the same number is stripped from the cell's lines.
    public var indent: Int
    /// `` ` `` or `~`.
    public var character: Character
    /// How many fence characters (3 or more).
    public var count: Int
    /// Everything after the fence characters on the opening line, as written.
    public var info: String
    /// The closing line as written; nil when the cell is never closed (a parse error).
    public var closing: String?

    /// The opening line as written.
    public var opening: String {
        String(repeating: " ", count: indent) + String(repeating: character, count: count) + info
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
    /// Caps on the cell's text outputs in the report (front matter defaults).
    public var outputLimits = OutputLimits()

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
