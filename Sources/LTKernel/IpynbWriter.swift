import Foundation
import LTLang
import LTNotebook

/// `.ltnb` to Jupyter's nbformat 4.5, laid out as Quarto does it: front matter in a raw
/// cell, prose as Markdown cells, code cells keeping their `#|` option lines, with the
/// options also in cell metadata (`ltnb.options`) and the fences (`ltnb.fence`,
/// `ltnb.closing`) so converting back gives the file that was written.
public enum IpynbWriter {
    public static var languageInfo: JSONObject { [
        "name": "ltnb", "file_extension": ".lt", "mimetype": "text/x-ltnb", "pygments_lexer": "text",
        "codemirror_mode": "text/plain",
    ] }

    /// The notebook as an .ipynb document; with `run`, each code cell keeps its outputs.
    public static func document(_ notebook: Notebook, run: RunResult? = nil, version: String) -> JSONObject {
        var cells: [JSONObject] = []
        var ids = Set<String>()
        func id(_ preferred: String?) -> String {
            if let p = preferred, isValidID(p), ids.insert(p).inserted { return p }
            var k = ids.count + 1
            while !ids.insert("cell-\(k)").inserted { k += 1 }
            return "cell-\(k)"
        }
        // Blank lines between blocks: one is the default; any other count is kept in
        // `ltnb.gap` (and after the last block in the notebook's `ltnb.trailing`).
        var blank = 0
        var first = true
        func gap(_ m: JSONObject) -> JSONObject {
            defer { first = false }
            guard blank != (first ? 0 : 1) else { return m }
            var m = m
            var ltnb = m.object("ltnb") ?? [:]
            ltnb["gap"] = blank
            m["ltnb"] = ltnb
            return m
        }
        if let lines = notebook.frontMatter.lines {
            cells.append(["cell_type": "raw", "id": id("front-matter"), "metadata": gap([:]),
                          "source": sourceLines(lines.joined(separator: "\n"))])
        }
        var count = 0
        for block in notebook.blocks {
            switch block {
            case .prose(let prose):
                let lines = prose.text.split(separator: "\n", omittingEmptySubsequences: false)
                let leading = lines.prefix { $0.allSatisfy(\.isWhitespace) }.count
                if leading == lines.count { blank += leading; continue }
                let trailing = lines.reversed().prefix { $0.allSatisfy(\.isWhitespace) }.count
                blank += leading
                let text = lines[leading..<(lines.count - trailing)].joined(separator: "\n")
                cells.append(["cell_type": "markdown", "id": id(nil), "metadata": gap([:]), "source": sourceLines(text)])
                blank = trailing
            case .cell(let cell):
                var entry: JSONObject = ["cell_type": "code", "id": id(cell.options.label), "metadata": gap(metadata(cell))]
                blank = 0
                entry["source"] = sourceLines(unindent(cell.optionLines + cell.bodyLines, by: cell.fence.indent).joined(separator: "\n"))
                if let r = run?.cells[safe: cell.index], r.status == .ok || r.status == .failed || r.status == .cached {
                    count += 1
                    entry["execution_count"] = count
                    entry["outputs"] = outputs(r.outputs, count: count)
                } else {
                    entry["execution_count"] = NSNull()
                    entry["outputs"] = [] as [Any]
                }
                cells.append(entry)
            }
        }
        var metadata: JSONObject = ["kernelspec": ["name": "ltnb", "display_name": "ltnb", "language": "ltnb"] as JSONObject]
        // The file's last line break is the blank count 1 after the last block.
        if blank != 1 { metadata["ltnb"] = ["trailing": blank] as JSONObject }
        var language = languageInfo
        language["version"] = version
        metadata["language_info"] = language
        return ["nbformat": 4, "nbformat_minor": 5, "cells": cells, "metadata": metadata]
    }

    /// Pretty JSON with sorted keys and a final newline, as Jupyter writes files (diffable,
    /// and the same bytes for the same notebook).
    public static func text(_ document: JSONObject) -> String {
        guard JSONSerialization.isValidJSONObject(document),
              let data = try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func metadata(_ cell: Cell) -> JSONObject {
        var options: JSONObject = [:]
        for line in cell.optionLines {
            guard let (key, value) = IpynbReader.option(line) else { continue }
            options[key] = jsonValue(value)
        }
        var ltnb: JSONObject = ["fence": cell.fence.opening.trimmingCharacters(in: .whitespaces)]
        if let closing = cell.fence.closing { ltnb["closing"] = closing.trimmingCharacters(in: .whitespaces) }
        if !options.isEmpty { ltnb["options"] = options }
        var m: JSONObject = ["ltnb": ltnb]
        // Jupyter's own way of saying echo: false / output: false.
        var jupyter: JSONObject = [:]
        if !cell.options.echo || !cell.options.include { jupyter["source_hidden"] = true }
        if !cell.options.output || !cell.options.include { jupyter["outputs_hidden"] = true }
        if !jupyter.isEmpty { m["jupyter"] = jupyter }
        // nbclient's tag for a cell that is meant to fail (`error: true`): Run All goes on.
        var tags: [String] = []
        if let label = cell.options.label { tags.append(label) }
        if cell.options.error { tags.append("raises-exception") }
        if !tags.isEmpty { m["tags"] = tags }
        return m
    }

    /// An option's YAML scalar as JSON: booleans and numbers typed, the rest as text.
    static func jsonValue(_ text: String) -> Any {
        switch text {
        case "true": return true
        case "false": return false
        default:
            if let d = Double(text), d.isFinite, !text.hasPrefix("+") { return d.rounded() == d && abs(d) < 1e15 ? Int(d) as Any : d }
            if text.count >= 2, let q = text.first, q == "\"" || q == "'", text.last == q { return String(text.dropFirst().dropLast()) }
            return text
        }
    }

    static func outputs(_ outputs: [CellOutput], count: Int) -> [JSONObject] {
        let lastValue = outputs.lastIndex { if case .value = $0 { return true } else { return false } }
        return outputs.enumerated().map { k, output -> JSONObject in
            switch output {
            case .text(let s):
                return ["output_type": "stream", "name": "stdout", "text": sourceLines(s)]
            case .value(let s):
                let data: JSONObject = ["text/plain": sourceLines(s)]
                if k == lastValue && k == outputs.count - 1 {
                    return ["output_type": "execute_result", "execution_count": count, "data": data, "metadata": [:] as JSONObject]
                }
                return ["output_type": "display_data", "data": data, "metadata": [:] as JSONObject]
            case .figure(let svg):
                return ["output_type": "display_data", "metadata": [:] as JSONObject,
                        "data": ["image/svg+xml": sourceLines(svg), "text/plain": ["<figure>"]] as JSONObject]
            case .table(let html, let csv, let latex):
                return ["output_type": "display_data", "metadata": [:] as JSONObject,
                        "data": ["text/html": sourceLines(html), "text/latex": sourceLines(latex), "text/plain": sourceLines(csv)] as JSONObject]
            case .error(let message, let rendered):
                var lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if lines.last == "" { lines.removeLast() }
                return ["output_type": "error", "ename": "Error", "evalue": message, "traceback": lines]
            }
        }
    }

    /// nbformat's multi-line strings: a list of lines, each but the last ending in `\n`.
    static func sourceLines(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        if text.hasSuffix("\n") { lines.removeLast() } else { lines[lines.count - 1].removeLast() }
        return lines
    }

    static func trimBlankLines(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    static func unindent(_ lines: [String], by n: Int) -> [String] {
        guard n > 0 else { return lines }
        return lines.map { line in
            let spaces = line.prefix { $0 == " " }.count
            return String(line.dropFirst(min(spaces, n)))
        }
    }

    /// nbformat 4.5 cell ids: 1-64 of `[A-Za-z0-9_-]`.
    static func isValidID(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
