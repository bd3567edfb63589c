import Foundation
import LTLang
import Yams

/// Reads a `.ltnb` file: YAML front matter, fenced cells with validated `#|` options,
/// inline expressions and references. Collects every problem it finds (not just the
/// first), each with file:line:col, so one `ltnb check` lists them all; code is parsed
/// with the language's parser, so a syntax error anywhere stops the run before it starts.
public enum NotebookParser {
    /// Parses `text` read from `path`; throws every problem found.
    public static func parse(_ text: String, path: String) throws(NotebookErrors) -> Notebook {
        var errors: [NotebookError] = []
        let (lines, layout) = SourceLayout.split(text)
        var frontMatter = FrontMatter()
        var start = 0
        if let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" {
            if let close = lines.indices.dropFirst().first(where: {
                let t = lines[$0].trimmingCharacters(in: .whitespaces)
                return t == "---" || t == "..."
            }) {
                let yaml = lines[1..<close].joined(separator: "\n")
                frontMatter = parseFrontMatter(yaml, lineOffset: 1, path: path, errors: &errors)
                frontMatter.lines = Array(lines[0...close])
                start = close + 1
            } else {
                errors.append(NotebookError(path: path, line: 1, "front matter starts with '---' but is never closed"))
                start = lines.count
            }
        }

        var blocks: [Notebook.Block] = []
        var prose: [String] = []
        var proseStart = start + 1
        var cellIndex = 0
        func flushProse() {
            guard !prose.isEmpty else { return }
            let chunk = prose.joined(separator: "\n")
            let pieces = ProseScanner.scan(chunk, firstLine: proseStart)
            let inlines = pieces.compactMap { p -> InlineExpression? in
                if case .inline(let code, let line, let column) = p {
                    return InlineExpression(code: code, line: line, column: column)
                }
                return nil
            }
            blocks.append(.prose(Prose(text: chunk, firstLine: proseStart, inlines: inlines)))
            prose = []
        }

        var i = start
        while i < lines.count {
            let line = Substring(lines[i])
            guard let fence = ProseScanner.openingFence(line) else {
                if prose.isEmpty { proseStart = i + 1 }
                prose.append(lines[i]); i += 1; continue
            }
            var j = i + 1
            while j < lines.count, !ProseScanner.isClosingFence(Substring(lines[j]), char: fence.char, count: fence.count) { j += 1 }
            guard isCellInfo(fence.info) else {
                // A fenced block in prose: kept whole so its contents are never read as Markdown.
                if prose.isEmpty { proseStart = i + 1 }
                prose.append(contentsOf: lines[i..<min(j + 1, lines.count)])
                i = j + 1
                continue
            }
            if j >= lines.count {
                errors.append(NotebookError(path: path, line: i + 1, "code cell opened here is never closed (expected a line '\(String(repeating: fence.char, count: fence.count))')"))
            }
            flushProse()
            let cellFence = Fence(indent: fence.indent, character: fence.char, count: fence.count, info: fence.rawInfo,
                                  closing: j < lines.count ? lines[j] : nil)
            let cell = parseCell(Array(lines[(i + 1)..<min(j, lines.count)]), fence: cellFence, index: cellIndex,
                                 fenceLine: i + 1, defaults: frontMatter, path: path, errors: &errors)
            blocks.append(.cell(cell))
            cellIndex += 1
            i = j + 1
        }
        flushProse()

        var notebook = Notebook(path: path, text: text, frontMatter: frontMatter, blocks: blocks, layout: layout)
        validate(&notebook, errors: &errors)
        if !errors.isEmpty { throw NotebookErrors(errors: errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
        return notebook
    }

    /// ```` ```ltnb ````, ```` ```{ltnb} ```` and ```` ```{ltnb ...} ```` open cells.
    static func isCellInfo(_ info: String) -> Bool {
        let word = info.split(separator: " ").first.map(String.init) ?? ""
        return word == "ltnb" || word == "{ltnb}" || (word.hasPrefix("{ltnb") && (word.count == 5 || word.hasPrefix("{ltnb,")))
    }

    // MARK: - Cells

    private static func parseCell(_ raw: [String], fence: Fence, index: Int, fenceLine: Int, defaults: FrontMatter,
                                  path: String, errors: inout [NotebookError]) -> Cell {
        // The fence's indentation is stripped from every line, as CommonMark does.
        let body = raw.map { line -> String in
            String(line.dropFirst(min(fence.indent, line.prefix(while: { $0 == " " }).count)))
        }
        var optionLines: [String] = []
        // Per option line, the file column where its YAML text starts (for error columns).
        var yamlColumns: [Int] = []
        // Evaluated as written (indentation kept), so diagnostics' columns are the file's.
        var evaluated = raw
        for (k, line) in body.enumerated() {
            let lead = line.prefix(while: { $0 == " " }).count
            let trimmed = line.dropFirst(lead)
            guard trimmed.hasPrefix("#|") else { break }
            var rest = trimmed.dropFirst(2)
            if rest.first == " " { rest = rest.dropFirst() }
            optionLines.append(String(rest))
            yamlColumns.append(raw[k].count - line.count + lead + (trimmed.count - rest.count) + 1)
            evaluated[k] = ""
        }
        var options = CellOptions()
        options.cache = defaults.cache
        options.echo = defaults.echo
        options.outputLimits = defaults.outputLimits
        let optionText = optionLines.joined(separator: "\n")
        if !optionLines.isEmpty {
            parseOptions(optionText, firstLine: fenceLine + 1, columns: yamlColumns, path: path, into: &options, errors: &errors)
        }
        var shown = Array(body.dropFirst(optionLines.count))
        while shown.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { shown.removeFirst() }
        while shown.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { shown.removeLast() }
        return Cell(fence: fence, optionLines: Array(raw.prefix(optionLines.count)), bodyLines: Array(raw.dropFirst(optionLines.count)),
                    index: index, code: shown.joined(separator: "\n"), evaluatedCode: evaluated.joined(separator: "\n"),
                    firstLine: fenceLine + 1, fenceLine: fenceLine, options: options, optionText: optionText)
    }

    /// The accepted cell options and their types.
    static let optionTypes: [String: String] = [
        "label": "string", "caption": "string", "fig-cap": "string", "tbl-cap": "string", "fig-alt": "string",
        "echo": "bool", "eval": "bool", "output": "bool", "include": "bool", "error": "bool", "cache": "bool",
        "fig-width": "number", "fig-height": "number",
        "output-max-lines": "count", "output-max-bytes": "count",
    ]

    /// `columns[k]` is the file column where the YAML text of option line k starts.
    private static func parseOptions(_ yaml: String, firstLine: Int, columns: [Int], path: String, into options: inout CellOptions,
                                     errors: inout [NotebookError]) {
        func fileColumn(line: Int, column: Int) -> Int {
            let k = line - 1
            return (k >= 0 && k < columns.count ? columns[k] : 1) + max(column, 1) - 1
        }
        guard let mapping = composeMapping(yaml, lineOffset: firstLine - 1, path: path, what: "cell options",
                                           columnOf: fileColumn, errors: &errors) else { return }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = (keyNode.mark?.line ?? 1) + firstLine - 1
            let column = fileColumn(line: keyNode.mark?.line ?? 1, column: keyNode.mark?.column ?? 1)
            func fail(_ message: String) { errors.append(NotebookError(path: path, line: line, column: column, message)) }
            guard let type = optionTypes[key] else {
                let known = optionTypes.keys.sorted().joined(separator: ", ")
                let guess = nearestName(key, in: Array(optionTypes.keys)).map { "; did you mean '\($0)'?" } ?? ""
                fail("unknown cell option '\(key)'\(guess) (options: \(known))")
                continue
            }
            switch type {
            case "bool":
                guard let b = scalarBool(value) else { fail("cell option '\(key)' must be true or false, not '\(value.string ?? "?")'"); continue }
                switch key {
                case "echo": options.echo = b
                case "eval": options.eval = b
                case "output": options.output = b
                case "include": options.include = b
                case "error": options.error = b
                default: options.cache = b
                }
            case "number":
                guard let x = scalarNumber(value), x > 0, x == x.rounded(), x <= 4000 else {
                    fail("cell option '\(key)' must be a whole number of pixels between 1 and 4000, not '\(value.string ?? "?")'"); continue
                }
                if key == "fig-width" { options.figWidth = Int(x) } else { options.figHeight = Int(x) }
            case "count":
                guard let n = outputLimit(value) else { fail("cell option '\(key)' \(outputLimitRule), not '\(value.string ?? "?")'"); continue }
                if key == "output-max-lines" { options.outputLimits.maxLines = n } else { options.outputLimits.maxBytes = n }
            default:
                guard let s = value.scalar?.string, value.scalar != nil else { fail("cell option '\(key)' must be text"); continue }
                switch key {
                case "label":
                    guard !s.isEmpty, s.allSatisfy(ProseScanner.isLabelChar), s.first?.isLetter == true,
                          s.last != "-" else {
                        fail("label '\(s)' must start with a letter and use only letters, digits, '-' and '_'"); continue
                    }
                    if isReservedAnchor(s) {
                        fail("label '\(s)' is reserved: the report names unlabelled cells 'cell-N' and inline expressions 'inline-N-K'"); continue
                    }
                    options.label = s
                case "fig-alt": options.alt = s
                default: options.caption = s
                }
            }
        }
    }

    // MARK: - Front matter

    static let frontMatterKeys = ["title", "subtitle", "author", "date", "params", "cache", "echo", "toc", "seed",
                                  "output-max-lines", "output-max-bytes"]

    static let outputLimitRule = "must be a whole number from 1 to 1000000000"

    /// A cap on output lines or bytes: a plain whole number in 1...1e9.
    static func outputLimit(_ node: Node) -> Int? {
        guard let x = scalarNumber(node), x >= 1, x <= 1e9, x == x.rounded() else { return nil }
        return Int(x)
    }

    private static func parseFrontMatter(_ yaml: String, lineOffset: Int, path: String,
                                         errors: inout [NotebookError]) -> FrontMatter {
        var fm = FrontMatter()
        if yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return fm }
        guard let mapping = composeMapping(yaml, lineOffset: lineOffset, path: path, what: "front matter", errors: &errors) else { return fm }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = (keyNode.mark?.line ?? 1) + lineOffset
            let column = keyNode.mark?.column ?? 1
            func fail(_ message: String) { errors.append(NotebookError(path: path, line: line, column: column, message)) }
            switch key {
            case "title", "subtitle", "date":
                guard let s = value.scalar?.string else { fail("front matter '\(key)' must be text"); continue }
                if key == "title" { fm.title = s } else if key == "subtitle" { fm.subtitle = s } else { fm.date = s }
            case "author":
                if let s = value.scalar?.string { fm.authors = [s] }
                else if let seq = value.sequence, seq.allSatisfy({ $0.scalar != nil }) { fm.authors = seq.compactMap { $0.scalar?.string } }
                else { fail("front matter 'author' must be text or a list of names") }
            case "cache", "echo", "toc":
                guard let b = scalarBool(value) else { fail("front matter '\(key)' must be true or false"); continue }
                if key == "cache" { fm.cache = b } else if key == "echo" { fm.echo = b } else { fm.toc = b }
            case "seed":
                guard let x = scalarNumber(value), x >= 0, x == x.rounded(), x < 9.0e15 else {
                    fail("front matter 'seed' must be a whole number >= 0"); continue
                }
                fm.seed = UInt64(x)
            case "output-max-lines", "output-max-bytes":
                guard let n = outputLimit(value) else { fail("front matter '\(key)' \(outputLimitRule)"); continue }
                if key == "output-max-lines" { fm.outputLimits.maxLines = n } else { fm.outputLimits.maxBytes = n }
            case "params":
                guard let map = value.mapping else { fail("front matter 'params' must be a map of names to default values"); continue }
                for (nameNode, v) in map {
                    let name = nameNode.string ?? ""
                    let pline = (nameNode.mark?.line ?? 1) + lineOffset
                    guard isIdentifier(name) else {
                        errors.append(NotebookError(path: path, line: pline, column: nameNode.mark?.column ?? 1,
                                                    "parameter name '\(name)' is not a valid name")); continue
                    }
                    fm.params.append((name, yamlValue(v)))
                }
            default:
                let guess = nearestName(key, in: frontMatterKeys).map { "; did you mean '\($0)'?" } ?? ""
                fail("unknown front matter key '\(key)'\(guess) (keys: \(frontMatterKeys.joined(separator: ", ")))")
            }
        }
        return fm
    }

    private static func composeMapping(_ yaml: String, lineOffset: Int, path: String, what: String,
                                       columnOf: (_ line: Int, _ column: Int) -> Int = { $1 },
                                       errors: inout [NotebookError]) -> Node.Mapping? {
        do {
            guard let node = try Yams.compose(yaml: yaml) else { return nil }
            guard let mapping = node.mapping else {
                errors.append(NotebookError(path: path, line: lineOffset + 1, "\(what) must be 'key: value' lines"))
                return nil
            }
            return mapping
        } catch let e as YamlError {
            var line = lineOffset + 1, column = 1, problem = "\(e)"
            switch e {
            case .scanner(_, let p, let mark, _), .parser(_, let p, let mark, _):
                line = lineOffset + mark.line; column = columnOf(mark.line, mark.column); problem = p
            default: break
            }
            errors.append(NotebookError(path: path, line: line, column: column, "invalid YAML in \(what): \(problem)"))
            return nil
        } catch {
            errors.append(NotebookError(path: path, line: lineOffset + 1, "invalid YAML in \(what): \(error)"))
            return nil
        }
    }

    /// Plain (unquoted) scalars are typed; quoted ones are always text.
    static func isPlain(_ node: Node) -> Bool { node.scalar?.style == .plain || node.scalar?.style == .any }

    static func scalarBool(_ node: Node) -> Bool? { isPlain(node) ? node.bool : nil }

    static func scalarNumber(_ node: Node) -> Double? {
        guard isPlain(node) else { return nil }
        return node.int.map(Double.init) ?? node.float
    }

    /// A YAML value as a language value: numbers, bools, strings, nil, lists, records.
    static func yamlValue(_ node: Node) -> Value {
        switch node {
        case .scalar(let s):
            if isPlain(node) {
                if node.null != nil { return .nil }
                if let b = node.bool { return .bool(b) }
                if let x = scalarNumber(node) { return .number(x) }
            }
            return .string(s.string)
        case .sequence(let seq): return .list(seq.map(yamlValue))
        case .mapping(let map): return .record(map.map { ($0.key.string ?? "", yamlValue($0.value)) })
        case .alias: return .nil
        }
    }

    /// Anchors the report gives unlabelled cells (`cell-3`) and inline expressions
    /// (`inline-4-0`); a label spelled like one would give two elements the same id.
    static func isReservedAnchor(_ label: String) -> Bool {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        let numeric = { (p: Substring) in !p.isEmpty && p.allSatisfy(\.isASCII) && p.allSatisfy(\.isNumber) }
        switch parts.first {
        case "cell": return parts.count == 2 && numeric(parts[1])
        case "inline": return parts.count == 3 && numeric(parts[1]) && numeric(parts[2])
        default: return false
        }
    }

    // MARK: - Whole-notebook checks

    private static func validate(_ notebook: inout Notebook, errors: inout [NotebookError]) {
        var labels: [String: Int] = [:]
        for cell in notebook.cells {
            if let label = cell.options.label {
                if let other = labels[label] {
                    errors.append(NotebookError(path: notebook.path, line: cell.fenceLine, "label '\(label)' is already used by the cell at line \(other)"))
                }
                labels[label] = cell.fenceLine
            }
            if cell.options.eval, let d = Interpreter.parse(cell.sourceFile(name: notebook.path)) {
                errors.append(NotebookError(d, path: notebook.path))
            }
        }
        for case .prose(let prose) in notebook.blocks {
            for piece in ProseScanner.scan(prose.text, firstLine: prose.firstLine) {
                switch piece {
                case .inline(let code, let line, let column):
                    let inline = InlineExpression(code: code, line: line, column: column)
                    if code.isEmpty {
                        errors.append(NotebookError(path: notebook.path, line: line, column: column, "empty inline expression"))
                    } else if let d = Interpreter.parse(inline.sourceFile(name: notebook.path)) {
                        errors.append(NotebookError(d, path: notebook.path))
                    }
                case .reference(let label, let line, let column):
                    if labels[label] == nil {
                        let guess = nearestName(label, in: Array(labels.keys)).map { "; did you mean '@\($0)'?" } ?? ""
                        errors.append(NotebookError(path: notebook.path, line: line, column: column, "reference to unknown label '@\(label)'\(guess)"))
                    }
                default: break
                }
            }
        }
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.first, f.isASCII, f.isLetter || f == "_" else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// The closest name within edit distance 2, for "did you mean" hints.
    static func nearestName(_ name: String, in names: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var prev = Array(0...b.count)
            for i in 1...max(1, a.count) where !a.isEmpty {
                var cur = [i] + Array(repeating: 0, count: b.count)
                for j in 1...max(1, b.count) where !b.isEmpty {
                    cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
                prev = cur
            }
            return a.isEmpty ? b.count : (b.isEmpty ? a.count : prev[b.count])
        }
        let scored = names.sorted().map { ($0, distance(Array(name), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }
}

/// Every problem found in a notebook file.
public struct NotebookErrors: Error, CustomStringConvertible {
    public var errors: [NotebookError]
    public var description: String { errors.map(\.description).joined() }
}
