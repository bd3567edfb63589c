/// A rectangle of character cells, each with an optional ANSI colour, that the text
/// renderer composes line by line.
struct TextGrid {
    struct Cell: Equatable {
        var ch: Character = " "
        /// xterm-256 foreground index.
        var fg: Int?
        /// xterm-256 background index.
        var bg: Int?
    }

    let cols: Int
    let rows: Int
    var cells: [[Cell]]

    init(cols: Int, rows: Int) {
        self.cols = max(0, cols)
        self.rows = max(0, rows)
        cells = Array(repeating: Array(repeating: Cell(), count: self.cols), count: self.rows)
    }

    mutating func put(_ ch: Character, row: Int, col: Int, fg: Int? = nil, bg: Int? = nil) {
        guard row >= 0, row < rows, col >= 0, col < cols else { return }
        cells[row][col] = Cell(ch: ch, fg: fg, bg: bg)
    }

    /// Writes `text` starting at `col`, clipped to the grid.
    mutating func write(_ text: String, row: Int, col: Int, fg: Int? = nil, bg: Int? = nil) {
        for (i, ch) in text.enumerated() { put(ch, row: row, col: col + i, fg: fg, bg: bg) }
    }

    /// One row as text; escapes only when `color` is set, and trailing blanks trimmed.
    func line(_ row: Int, color: Bool) -> String {
        TextGrid.render(cells[row], color: color)
    }

    static func render(_ cells: [Cell], color: Bool) -> String {
        var end = cells.count
        while end > 0, cells[end - 1].ch == " ", cells[end - 1].bg == nil { end -= 1 }
        var out = ""
        var current: (Int?, Int?) = (nil, nil)
        for cell in cells[0..<end] {
            if color {
                let want = (cell.ch == " " ? nil : cell.fg, cell.bg)
                if want != current {
                    if current != (nil, nil) { out += "\u{1B}[0m" }
                    if let f = want.0 { out += "\u{1B}[38;5;\(f)m" }
                    if let b = want.1 { out += "\u{1B}[48;5;\(b)m" }
                    current = want
                }
            }
            out.append(cell.ch)
        }
        if color && current != (nil, nil) { out += "\u{1B}[0m" }
        return out
    }
}

/// Helpers for padding and fitting labels into fixed columns.
enum TextFit {
    /// `s` cut to `n` characters, ending in "…" (or "~" in ASCII) when cut.
    static func truncate(_ s: String, _ n: Int, ascii: Bool = false) -> String {
        let clean = String(s.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        guard clean.count > n else { return clean }
        guard n > 1 else { return n == 1 ? String(clean.prefix(1)) : "" }
        return String(clean.prefix(n - 1)) + (ascii ? "~" : "…")
    }

    static func padLeft(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : String(repeating: " ", count: n - s.count) + s
    }

    static func padRight(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }

    static func center(_ s: String, _ n: Int) -> String {
        let t = truncate(s, n)
        let left = (n - t.count) / 2
        return String(repeating: " ", count: max(0, left)) + t
    }
}
