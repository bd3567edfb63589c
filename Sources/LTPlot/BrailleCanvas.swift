/// A canvas of braille dots, two across and four down per character cell, which gives a
/// terminal plot eight times the resolution of one mark per cell.
struct BrailleCanvas {
    let cols: Int
    let rows: Int
    private var bits: [[UInt8]]
    private var colors: [[Int?]]

    /// Dot columns and rows.
    var dotCols: Int { cols * 2 }
    var dotRows: Int { rows * 4 }

    init(cols: Int, rows: Int) {
        self.cols = cols
        self.rows = rows
        bits = Array(repeating: Array(repeating: 0, count: cols), count: rows)
        colors = Array(repeating: Array(repeating: nil, count: cols), count: rows)
    }

    /// Bit of each dot within a cell, indexed [dy][dx], per the Unicode braille layout.
    private static let dotBit: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    mutating func set(_ x: Int, _ y: Int, color: Int?) {
        guard x >= 0, y >= 0, x < dotCols, y < dotRows else { return }
        let (c, r) = (x / 2, y / 4)
        bits[r][c] |= BrailleCanvas.dotBit[y % 4][x % 2]
        if let color { colors[r][c] = color }
    }

    /// A straight run of dots (Bresenham), so lines have no gaps at any slope.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, color: Int?) {
        var (x, y) = (x0, y0)
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        var guardSteps = dx - dy + 2
        while guardSteps > 0 {
            set(x, y, color: color)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
            guardSteps -= 1
        }
    }

    /// Copies the non-empty cells onto `grid`.
    func draw(into grid: inout TextGrid) {
        for r in 0..<rows {
            for c in 0..<cols where bits[r][c] != 0 {
                let scalar = Unicode.Scalar(0x2800 + UInt32(bits[r][c])) ?? " "
                grid.put(Character(scalar), row: r, col: c, fg: colors[r][c])
            }
        }
    }
}

/// Bresenham over whole cells, for the ASCII renderer's lines.
enum CellLine {
    static func cells(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        var (x, y) = (x0, y0)
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        for _ in 0...(dx - dy + 1) {
            out.append((x, y))
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
        return out
    }
}
