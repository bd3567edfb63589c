import Foundation

/// The output formats of a table.
public enum TableFormat: String, Sendable, CaseIterable {
    /// Aligned plain text (no ANSI escapes), `.txt`.
    case text
    /// An HTML `<table>`, `.html` or `.htm`.
    case html
    /// A Markdown pipe table, `.md` or `.markdown`.
    case markdown
    /// A LaTeX booktabs table, `.tex`.
    case latex
    /// Comma-separated values, `.csv`.
    case csv

    /// The format for a file name's extension (case-insensitive), or a `PlotError` naming
    /// the supported ones.
    public static func forPath(_ path: String) throws -> TableFormat {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        switch ext {
        case "txt": return .text
        case "html", "htm": return .html
        case "md", "markdown": return .markdown
        case "tex": return .latex
        case "csv": return .csv
        case "": throw PlotError("cannot tell the table format of '\(path)': give it an extension (.csv, .md, .tex, .html or .txt)")
        default: throw PlotError("cannot save a table as '.\(ext)': use .csv, .md, .tex, .html or .txt")
        }
    }
}

extension Table {
    /// The table in the given format.
    public func render(_ format: TableFormat) -> String {
        switch format {
        case .text: return text()
        case .html: return html()
        case .markdown: return markdown()
        case .latex: return latex()
        case .csv: return csv()
        }
    }

    /// Writes the table to `path` in the format its extension names, atomically
    /// (temporary file in the same directory, then rename).
    public func save(to path: String) throws {
        try AtomicWrite.write(render(try TableFormat.forPath(path)), to: path)
    }
}
