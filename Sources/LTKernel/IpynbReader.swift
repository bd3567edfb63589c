import Foundation
import LTNotebook

/// Jupyter's .ipynb (nbformat 4) to `.ltnb` text: Markdown cells become prose, code
/// cells fenced ltnb cells (options from their `#|` lines, plus any in `ltnb.options`
/// metadata that the source does not already say), a leading raw `---` cell the front
/// matter. Outputs are dropped: `ltnb run` makes them again. Every problem with the input
/// is an error naming the file and the cell, never a crash.
public enum IpynbReader {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var message: String
        public var description: String { "error: \(path): \(message)\n" }
    }

    public static func ltnb(from data: Data, path: String) throws(Failure) -> String {
        func fail(_ message: String) -> Failure { Failure(path: path, message: message) }
        let any: Any
        do { any = try JSONSerialization.jsonObject(with: data) } catch {
            throw fail("not a Jupyter notebook: the file is not valid JSON (\(describe(error)))")
        }
        guard let doc = any as? JSONObject else { throw fail("not a Jupyter notebook: the top level is not a JSON object") }
        guard let format = doc.int("nbformat") else { throw fail("not a Jupyter notebook: no 'nbformat' number") }
        guard format == 4 else { throw fail("nbformat \(format) is not supported (only 4; upgrade it with `jupyter nbconvert --to notebook`)") }
        guard let cells = doc["cells"] as? [Any] else { throw fail("'cells' is missing or not a list") }
        var lines: [String] = []
        /// Appends a block after the blank lines its metadata asks for (default: one, none first).
        func add(_ block: String, _ metadata: JSONObject) {
            let gap = metadata.object("ltnb")?.int("gap").map { min(max($0, 0), 1000) } ?? (lines.isEmpty ? 0 : 1)
            lines += Array(repeating: "", count: gap)
            lines += block.components(separatedBy: "\n")
        }
        for (k, item) in cells.enumerated() {
            let where_ = "cell \(k + 1)"
            guard let cell = item as? JSONObject else { throw fail("\(where_) is not a JSON object") }
            guard let type = cell.string("cell_type") else { throw fail("\(where_) has no 'cell_type'") }
            guard let source = multiline(cell["source"]) else {
                throw fail("\(where_): 'source' must be a string or a list of strings")
            }
            let metadata = cell.object("metadata") ?? [:]
            switch type {
            case "markdown":
                let text = trim(source)
                if !text.isEmpty { add(text, metadata) }
            case "raw":
                let text = trim(source)
                if text.isEmpty { continue }
                add(lines.isEmpty && text.hasPrefix("---") ? text : fenced(text, info: ""), metadata)
            case "code":
                add(codeCell(source, metadata: metadata), metadata)
            default:
                throw fail("\(where_) has an unknown cell_type '\(type)' (markdown, code or raw)")
            }
        }
        let trailing = doc.object("metadata")?.object("ltnb")?.int("trailing").map { min(max($0, 0), 1000) } ?? 1
        if lines.isEmpty { return "" }
        return (lines + Array(repeating: "", count: trailing)).joined(separator: "\n")
    }

    static func codeCell(_ source: String, metadata: JSONObject) -> String {
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let optionCount = lines.prefix { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#|") }.count
        var optionLines = Array(lines[..<optionCount])
        let body = Array(lines[optionCount...])
        let written = Set(optionLines.compactMap { option($0)?.key })
        let ltnb = metadata.object("ltnb") ?? [:]
        if let options = ltnb.object("options") {
            for key in options.keys.sorted() where !written.contains(key) && isOptionKey(key) {
                if let value = yaml(options[key]) { optionLines.append("#| \(key): \(value)") }
            }
        }
        let inner = optionLines + body
        // Keep the fence as written unless a line inside would close it.
        let opening = ltnb.string("fence").flatMap { f -> String? in
            let chars = f.prefix { $0 == "`" || $0 == "~" }
            return chars.count >= 3 && Set(chars).count == 1 && f.dropFirst(chars.count).contains("ltnb") ? f : nil
        } ?? "```ltnb"
        let fenceChar = opening.first ?? "`"
        let fenceCount = opening.prefix { $0 == fenceChar }.count
        let longestInside = inner.map { line in line.trimmingCharacters(in: .whitespaces).prefix { $0 == fenceChar }.count }.max() ?? 0
        if longestInside >= fenceCount {
            let n = longestInside + 1
            return ([String(repeating: fenceChar, count: n) + opening.dropFirst(fenceCount)] + inner + [String(repeating: fenceChar, count: n)]).joined(separator: "\n")
        }
        let closing = ltnb.string("closing").flatMap { c in
            c.allSatisfy { $0 == fenceChar } && c.count >= fenceCount ? c : nil
        } ?? String(repeating: fenceChar, count: fenceCount)
        return ([opening] + inner + [closing]).joined(separator: "\n")
    }

    static func fenced(_ text: String, info: String) -> String {
        let longest = text.components(separatedBy: "\n").map { line in line.prefix { $0 == "`" }.count }.max() ?? 0
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + info + "\n" + text + "\n" + fence
    }

    /// `#| key: value` → (key, value); nil for other lines.
    static func option(_ line: String) -> (key: String, value: String)? {
        let t = line.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("#|") else { return nil }
        let body = t.dropFirst(2)
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let key = body[..<colon].trimmingCharacters(in: .whitespaces)
        let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        return key.isEmpty ? nil : (key, value)
    }

    static func isOptionKey(_ key: String) -> Bool {
        !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// A metadata option value as a YAML scalar on one line; nil for lists and objects.
    static func yaml(_ any: Any?) -> String? {
        guard let any else { return nil }
        if let b = JSONValue.bool(any) { return b ? "true" : "false" }
        if let i = JSONValue.int(any) { return String(i) }
        if let d = any as? Double, d.isFinite { return String(d) }
        if let s = any as? String, !s.contains("\n") {
            let plain = !s.isEmpty && s.rangeOfCharacter(from: CharacterSet(charactersIn: ":#'\"{}[],&*!|>%@`")) == nil
                && s.trimmingCharacters(in: .whitespaces) == s && !["true", "false", "null", "~"].contains(s) && Double(s) == nil
            return plain ? s : "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return nil
    }

    /// nbformat's multi-line string: a string, or a list of strings to concatenate.
    static func multiline(_ any: Any?) -> String? {
        if let s = any as? String { return s }
        guard let list = any as? [Any] else { return any == nil ? "" : nil }
        var out = ""
        for item in list {
            guard let s = item as? String else { return nil }
            out += s
        }
        return out
    }

    static func trim(_ text: String) -> String {
        IpynbWriter.trimBlankLines(text.replacingOccurrences(of: "\r\n", with: "\n"))
    }

    static func describe(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? "cannot be parsed"
    }
}
