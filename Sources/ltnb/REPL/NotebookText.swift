import Foundation
import LTLang

/// Just enough of the .ltnb format (NOTEBOOK.md) for `:load` and `:save`: the ltnb
/// cells, simple `params:` and `seed:` from the front matter, and writing a session as
/// a notebook. The full parser lives in LTNotebook.
enum NotebookText {
    struct Cell: Equatable {
        var code: String
        /// The file line of the cell's first code line.
        var firstLine: Int
    }

    struct Notebook {
        var params: [(String, Value)] = []
        var seed: Double?
        var cells: [Cell] = []
    }

    static func parse(_ text: String) -> Notebook {
        var notebook = Notebook()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        var i = 0
        if lines.first == "---", let end = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) {
            readFrontMatter(lines[1..<end], into: &notebook)
            i = end + 1
        }
        while i < lines.count {
            guard let fence = openingFence(lines[i]) else { i += 1; continue }
            var j = i + 1
            while j < lines.count, !isClosing(lines[j], fence) { j += 1 }
            if fence.isLtnb {
                let body = lines[(i + 1)..<j]
                let options = body.prefix { $0.hasPrefix("#|") }
                let skip = options.contains { $0.replacingOccurrences(of: " ", with: "").lowercased() == "#|eval:false" }
                if !skip { notebook.cells.append(Cell(code: body.joined(separator: "\n"), firstLine: i + 2)) }
            }
            i = j + 1
        }
        return notebook
    }

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

    private struct Fence { var marker: Character; var length: Int; var isLtnb: Bool }

    private static func openingFence(_ line: String) -> Fence? {
        let indent = line.prefix { $0 == " " }
        guard indent.count <= 3 else { return nil }
        let rest = line.dropFirst(indent.count)
        guard let marker = rest.first, marker == "`" || marker == "~" else { return nil }
        let run = rest.prefix { $0 == marker }
        guard run.count >= 3 else { return nil }
        let info = rest.dropFirst(run.count).trimmingCharacters(in: .whitespaces)
        if marker == "`", info.contains("`") { return nil }
        let word = info.hasPrefix("{") ? String(info.dropFirst().prefix { $0.isLetter || $0.isNumber })
                                       : String(info.prefix { !$0.isWhitespace })
        return Fence(marker: marker, length: run.count, isLtnb: word == "ltnb")
    }

    private static func isClosing(_ line: String, _ fence: Fence) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        return t.count >= fence.length && t.allSatisfy { $0 == fence.marker } && line.prefix { $0 == " " }.count <= 3
    }

    private static func readFrontMatter(_ lines: ArraySlice<String>, into notebook: inout Notebook) {
        var inParams = false
        for line in lines {
            let indented = line.first == " " || line.first == "\t"
            let t = line.trimmingCharacters(in: .whitespaces)
            guard let colon = t.firstIndex(of: ":") else { continue }
            let key = String(t[..<colon]).trimmingCharacters(in: .whitespaces)
            let raw = String(t[t.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            if !indented {
                inParams = key == "params" && raw.isEmpty
                if key == "seed", let s = Double(raw) { notebook.seed = s }
            } else if inParams, !key.isEmpty {
                notebook.params.append((key, scalar(raw)))
            }
        }
    }

    /// A YAML scalar as an ltnb value: number, bool, null, or string.
    static func scalar(_ raw: String) -> Value {
        var text = raw
        if let hash = text.range(of: " #") { text = String(text[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces) }
        if let n = Double(text.replacingOccurrences(of: "_", with: "")) { return .number(n) }
        switch text {
        case "true", "True", "yes": return .bool(true)
        case "false", "False", "no": return .bool(false)
        case "null", "~", "": return .nil
        default: break
        }
        if text.count >= 2, let q = text.first, q == "\"" || q == "'", text.last == q {
            return .string(String(text.dropFirst().dropLast()))
        }
        return .string(text)
    }

    private static func longestRun(of c: Character, in text: String) -> Int {
        var best = 0, current = 0
        for ch in text {
            current = ch == c ? current + 1 : 0
            best = max(best, current)
        }
        return best
    }
}
