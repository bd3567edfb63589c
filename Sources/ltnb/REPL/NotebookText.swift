import Foundation

/// Writes a session as a notebook for `:save` (NOTEBOOK.md). `:load` reads notebooks
/// with LTNotebook's parser, the one `ltnb run` uses.
enum NotebookText {
    /// A notebook with one ```ltnb cell per entry, after a small front matter.
    static func render(cells: [String], title: String, date: Date) -> String {
        let day = ISO8601DateFormatter.string(from: date, timeZone: .current, formatOptions: [.withFullDate])
        var out = "---\ntitle: \(title)\ndate: \(day)\n---\n"
        for code in cells {
            let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: code) + 1))
            out += "\n\(fence)ltnb\n\(code)\n\(fence)\n"
        }
        return out
    }

    // MARK: - Pieces

    private static func longestRun(of c: Character, in text: String) -> Int {
        var best = 0, current = 0
        for ch in text {
            current = ch == c ? current + 1 : 0
            best = max(best, current)
        }
        return best
    }
}
