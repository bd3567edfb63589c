import Foundation
import LTLang
import LTStdlib

/// How to run a notebook (the `ltnb run` flags).
public struct RunOptions {
    /// `-p name=value` overrides, in command-line order.
    public var params: [(name: String, value: String)] = []
    /// `--keep-going`: run every cell even after a failure.
    public var keepGoing = false
    /// `--no-cache` turns this off: the cache is neither read nor written.
    public var useCache = true
    /// Where cache entries live; nil disables the cache.
    public var cacheDirectory: URL?
    /// The ltnb version, part of every cache key and the provenance footer.
    public var ltnbVersion = "0.0.0"
    /// Called on the fresh interpreter before params are bound (extra built-ins in tests).
    public var prepareInterpreter: ((Interpreter) -> Void)?
    public init() {}
}

/// The outcome of a run: a result per cell, inline values per prose chunk, and what the
/// provenance footer needs.
public struct RunResult {
    public var notebook: Notebook
    /// By cell index.
    public var cells: [CellResult]
    /// By block index (prose blocks only): the HTML of each inline expression.
    public var inlines: [Int: [InlineResult]]
    /// The params as bound, in order.
    public var params: [(name: String, value: Value)]
    public var seed: UInt64
    /// Every data file read, first read first.
    public var filesRead: [FileReadLog.Entry]
    /// The first failure that stopped the run (or failed it, with --keep-going).
    public var firstFailure: (line: Int, anchor: String, message: String)?
    /// 0 every cell succeeded (or failed where allowed), 1 a cell failed.
    public var status: Int32
    /// Every error, rendered as caret diagnostics, for stderr.
    public var diagnostics: [String]
}

/// The value of an inline expression.
public enum InlineResult: Sendable {
    case text(String)
    case error(String)
    case notRun
}

/// Runs a parsed notebook: params, seed, then every cell and inline expression in
/// document order through one interpreter and one display sink.
public enum NotebookRunner {
    /// Runs `notebook`. Throws (exit 2, nothing run) when a `-p` override is invalid.
    public static func run(_ notebook: Notebook, options: RunOptions) throws(NotebookErrors) -> RunResult {
        let params = try bindParams(notebook, options.params)
        let sink = OutputSink()
        let interp = Stdlib.makeInterpreter(sink: sink)
        options.prepareInterpreter?(interp)
        for (name, value) in params { interp.define(name, value) }
        let random = SessionRandom.of(interp)
        random.reseed(notebook.frontMatter.seed)
        let readLog = FileReadLog.of(interp)
        let cache = options.useCache ? options.cacheDirectory.map { CellCache(directory: $0) } : nil
        let paramText = params.map { "\($0.name)=\($0.value.displayText)" }.joined(separator: "\n")

        var result = RunResult(notebook: notebook, cells: [], inlines: [:], params: params, seed: notebook.frontMatter.seed,
                               filesRead: [], firstFailure: nil, status: 0, diagnostics: [])
        var chain = SHA256.hex("start")
        var stopped = false
        let path = notebook.path

        func recordFiles(_ files: [FileReadLog.Entry]) {
            for f in files where !result.filesRead.contains(f) { result.filesRead.append(f) }
        }
        func fail(_ d: Diagnostic, anchor: String, allowed: Bool) {
            result.diagnostics.append(DiagnosticRenderer.render(d))
            guard !allowed else { return }
            result.status = 1
            if result.firstFailure == nil {
                let line = d.file.flatMap { f in d.range.map { f.location(of: $0.start).line } } ?? 0
                result.firstFailure = (line, anchor, d.message)
            }
            if !options.keepGoing { stopped = true }
        }

        for (blockIndex, block) in notebook.blocks.enumerated() {
            switch block {
            case .prose(let prose):
                var values: [InlineResult] = []
                for inline in prose.inlines {
                    chain = SHA256.hex(chain + "\ninline:" + inline.code)
                    if stopped { values.append(.notRun); continue }
                    random.reseed(streamSeed(notebook.frontMatter.seed, "inline-\(blockIndex)-\(values.count)"))
                    sink.outputs = []
                    sink.cell = nil
                    readLog.removeAll()
                    do {
                        let v = try interp.evaluate(inline.sourceFile(name: path))
                        values.append(.text(v?.plainText ?? "nil"))
                    } catch {
                        fail(error, anchor: "inline-\(blockIndex)-\(values.count)", allowed: false)
                        values.append(.error(error.message))
                    }
                    recordFiles(readLog.entries)
                    chain = CellCache.chain(chain, files: readLog.entries)
                }
                result.inlines[blockIndex] = values

            case .cell(let cell):
                if !cell.options.eval {
                    result.cells.append(CellResult(status: .notEvaluated, outputs: [], seconds: 0, cacheNote: nil))
                    continue
                }
                let key = CellCache.key(previous: chain, cell: cell, params: paramText, seed: notebook.frontMatter.seed,
                                        ltnbVersion: options.ltnbVersion)
                if stopped {
                    chain = key
                    result.cells.append(CellResult(status: .notRun, outputs: [], seconds: 0, cacheNote: nil))
                    continue
                }
                random.reseed(streamSeed(notebook.frontMatter.seed, cell.anchor))
                sink.outputs = []
                sink.cell = cell
                sink.number = number(of: cell, in: notebook)
                readLog.removeAll()

                var note: String?
                if cell.options.cache {
                    if let cache {
                        switch cache.lookup(key) {
                        case .hit(let entry, let data):
                            switch restore(data, names: entry.bindings, into: interp) {
                            case .success:
                                let files = entry.files.map { FileReadLog.Entry(path: $0.path, sha256: $0.sha256) }
                                recordFiles(files)
                                chain = CellCache.chain(key, files: files)
                                result.cells.append(CellResult(status: .cached, outputs: entry.outputs, seconds: 0,
                                                               cacheNote: "hit: restored \(entry.bindings.count) binding(s) and \(entry.outputs.count) output(s)"))
                                continue
                            case .failure(let why):
                                note = "miss: the stored bindings could not be read back (\(why.message)); the cell re-runs and replaces them"
                            }
                        case .miss(let why): note = "miss: \(why)"
                        }
                    } else {
                        note = options.useCache ? "miss: no cache directory" : "miss: --no-cache"
                    }
                }

                let before = snapshot(interp)
                let start = DispatchTime.now().uptimeNanoseconds
                var failed = false
                do {
                    if let v = try interp.evaluate(cell.sourceFile(name: path)) { sink.emit(.value(v)) }
                } catch {
                    sink.emit(.error(error))
                    failed = true
                    fail(error, anchor: cell.anchor, allowed: cell.options.error)
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                let files = readLog.entries
                recordFiles(files)
                chain = CellCache.chain(key, files: files)

                if cell.options.cache, let cache, !failed {
                    let changed = changedBindings(before: before, interp: interp)
                    let earlier = unchanged(before)
                    do {
                        let data = try ValueCoder.encode(changed.map(\.1), earlier: earlier)
                        let entry = CellCache.Entry(outputs: sink.outputs,
                                                    files: files.map { .init(path: $0.path, sha256: $0.sha256) },
                                                    bindings: changed.map(\.0))
                        try cache.store(key, entry: entry, bindings: data)
                        note = (note ?? "miss") + "; stored"
                    } catch let e as PersistenceError {
                        if let (name, why) = changed.lazy.compactMap({ b in ValueCoder.unsupportedReason(b.1, earlier: earlier).map { (b.0, $0) } }).first {
                            note = (note ?? "miss") + "; not stored: binding '\(name)' holds \(why), which cannot be cached"
                        } else {
                            note = (note ?? "miss") + "; not stored: \(e.description)"
                        }
                    } catch {
                        note = (note ?? "miss") + "; not stored: \(error.localizedDescription)"
                    }
                } else if cell.options.cache, failed {
                    note = (note ?? "miss") + "; not stored: the cell failed"
                }
                result.cells.append(CellResult(status: failed ? .failed : .ok, outputs: sink.outputs, seconds: seconds, cacheNote: note))
            }
        }
        return result
    }

    struct RestoreError: Error { let message: String }

    /// Decodes an entry's bindings and binds them; nothing is bound unless all decode.
    static func restore(_ data: Data, names: [String], into interp: Interpreter) -> Result<Void, RestoreError> {
        let values: [Value]
        do { values = try ValueCoder.decode(data, interpreter: interp) } catch {
            return .failure(RestoreError(message: (error as? PersistenceError)?.description ?? "\(error)"))
        }
        guard values.count == names.count else {
            return .failure(RestoreError(message: "\(values.count) values for \(names.count) names"))
        }
        for (name, v) in zip(names, values) { interp.define(name, v) }
        return .success(())
    }

    /// The seed of one cell's random stream: each cell (and inline expression) starts a
    /// stream derived from the notebook seed and its label (or position), so inserting a
    /// cell does not shift the random numbers of labelled cells after it, and a cache hit
    /// leaves later cells drawing exactly what a full run would.
    static func streamSeed(_ seed: UInt64, _ name: String) -> UInt64 {
        SHA256.digest(Data("\(seed)\u{0}\(name)".utf8)).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The figure or table number of a `fig-`/`tbl-` cell: its position among cells of the
    /// same kind, in document order.
    static func number(of cell: Cell, in notebook: Notebook) -> Int? {
        guard let kind = cell.options.crossRefKind else { return nil }
        return notebook.cells.filter { $0.options.crossRefKind == kind && $0.index <= cell.index }.count
    }

    /// Each user binding with, for lists and records, a fingerprint of their contents.
    private static func snapshot(_ interp: Interpreter) -> [String: (Value, Int)] {
        var out: [String: (Value, Int)] = [:]
        for name in interp.userNames { if let v = interp.global(name) { out[name] = (v, fingerprint(v)) } }
        return out
    }

    /// A hash of a value's contents: scalars by value, lists and records recursively,
    /// objects by identity (tensors and library objects are immutable), functions by
    /// identity and the variables they captured. Tells whether a cell changed a list, a
    /// record or a closure's state in place.
    static func fingerprint(_ v: Value) -> Int {
        var hasher = Hasher()
        var visiting = Set<ObjectIdentifier>()
        func add(_ v: Value) {
            switch v {
            case .nil: hasher.combine(0)
            case .bool(let b): hasher.combine(b)
            case .number(let x): hasher.combine(x.bitPattern)
            case .string(let s): hasher.combine(s)
            case .function(let f):
                hasher.combine(ObjectIdentifier(f))
                guard visiting.insert(ObjectIdentifier(f)).inserted else { return }
                for (name, item) in f.capturedValues { hasher.combine(name); add(item) }
            case .object(let o): hasher.combine(ObjectIdentifier(o))
            case .list(let box):
                hasher.combine(ObjectIdentifier(box))
                guard visiting.insert(ObjectIdentifier(box)).inserted else { return }
                hasher.combine(box.items.count)
                for item in box.items { add(item) }
            case .record(let box):
                hasher.combine(ObjectIdentifier(box))
                guard visiting.insert(ObjectIdentifier(box)).inserted else { return }
                for (k, item) in box.fields { hasher.combine(k); add(item) }
            }
        }
        add(v)
        return hasher.finalize()
    }

    /// The values bound before a cell that it did not change in place, by name (sorted, so
    /// entries are repeatable): a new binding that shares one is stored as a reference to
    /// it, keeping the identity a run without the cache has (`d = c` stays one closure).
    private static func unchanged(_ before: [String: (Value, Int)]) -> [(name: String, value: Value)] {
        before.keys.sorted().compactMap { name in
            guard let (v, print) = before[name], fingerprint(v) == print else { return nil }
            return (name, v)
        }
    }

    /// Bindings a cell made, rebound, or changed in place, in binding order.
    private static func changedBindings(before: [String: (Value, Int)], interp: Interpreter) -> [(String, Value)] {
        interp.userNames.compactMap { name -> (String, Value)? in
            guard let v = interp.global(name) else { return nil }
            guard let (_, old) = before[name] else { return (name, v) }
            return fingerprint(v) == old ? nil : (name, v)
        }
    }

    /// Params from the front matter with `-p` overrides: `true`/`false` are bools, numbers
    /// are numbers, anything else (or anything given for a text param) is a string.
    public static func bindParams(_ notebook: Notebook, _ overrides: [(name: String, value: String)]) throws(NotebookErrors) -> [(name: String, value: Value)] {
        var params = notebook.frontMatter.params
        var errors: [NotebookError] = []
        for (name, text) in overrides {
            guard let i = params.firstIndex(where: { $0.name == name }) else {
                let known = params.map(\.name)
                let guess = NotebookParser.nearestName(name, in: known).map { "; did you mean '\($0)'?" } ?? ""
                let list = known.isEmpty ? "the notebook declares no params" : "params: \(known.joined(separator: ", "))"
                errors.append(NotebookError(path: notebook.path, line: 1, "-p \(name)=...: no param named '\(name)'\(guess) (\(list))"))
                continue
            }
            if case .string = params[i].value {
                params[i].value = .string(text)
            } else {
                params[i].value = parseParam(text)
            }
        }
        if !errors.isEmpty { throw NotebookErrors(errors: errors) }
        return params
    }

    static func parseParam(_ text: String) -> Value {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        default:
            let cleaned = text.replacingOccurrences(of: "_", with: "")
            if let x = Double(cleaned), !cleaned.isEmpty, cleaned.first != "+",
               cleaned.allSatisfy({ $0.isNumber || "-.eE".contains($0) }) {
                return .number(x)
            }
            return .string(text)
        }
    }
}
