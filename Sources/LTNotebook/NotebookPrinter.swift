/// Writes a parsed notebook back as `.ltnb` text. The model keeps everything the file
/// said (front matter and fences as written, option and body lines with their
/// indentation, line breaks, a byte-order mark), so `print(parse(x)) == x` byte for byte:
/// a tool that edits a notebook through the model changes only what it means to change,
/// and diffs stay clean (notebook-anchors.md, recommendation 3).
public enum NotebookPrinter {
    /// The notebook as `.ltnb` text.
    public static func print(_ notebook: Notebook) -> String {
        var lines: [String] = notebook.frontMatter.lines ?? []
        for block in notebook.blocks {
            switch block {
            case .prose(let prose):
                lines += prose.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            case .cell(let cell):
                lines += cell.sourceLines
            }
        }
        var out = notebook.layout.byteOrderMark ? "\u{FEFF}" : ""
        for (k, line) in lines.enumerated() {
            if k > 0 { out += notebook.layout.lineBreak(after: k - 1) }
            out += line
        }
        return out
    }
}
