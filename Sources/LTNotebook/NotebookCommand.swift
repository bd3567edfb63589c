import Foundation
import LTLang
import LTStdlib

/// `ltnb run` and `ltnb check` as library calls: the CLI only parses flags and prints.
public enum NotebookCommand {
    /// One `ltnb run` of one notebook.
    public struct RunRequest {
        public var notebookPath: String
        /// `-o`: a `.html` file, a directory, or nil for `output/<name>.html`.
        public var output: String?
        public var params: [(name: String, value: String)] = []
        public var figuresDirectory: String?
        public var keepGoing = false
        public var useCache = true
        public var explainCache = false
        public var ltnbVersion = "0.0.0"
        public var sourceDateEpoch: Int?
        /// `--record FILE`: also write a `RunRecord` there (for `ltnb sweep`).
        public var recordPath: String?
        public init(notebookPath: String) { self.notebookPath = notebookPath }
    }

    /// Where the report of `notebookPath` goes.
    public static func reportPath(for notebookPath: String, output: String?) -> String {
        let base = ((notebookPath as NSString).lastPathComponent as NSString).deletingPathExtension
        guard let output else { return "output/\(base).html" }
        let lower = output.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return output }
        return (output as NSString).appendingPathComponent("\(base).html")
    }

    /// Runs one notebook and writes its report; returns the exit status (0, 1 or 2).
    /// `log` receives what goes to stderr (diagnostics, cache explanations, paths written).
    public static func run(_ request: RunRequest, templates: ReportTemplates, log: (String) -> Void) -> Int32 {
        var record = RunRecord(status: 0, ltnbVersion: request.ltnbVersion, notebookSHA: "",
                               params: request.params.map { "\($0.name)=\($0.value)" })
        let status = run(request, templates: templates, log: log, record: &record)
        guard let recordPath = request.recordPath else { return status }
        record.status = status
        do { try record.write(to: recordPath) } catch {
            log("error: cannot write the run record '\(recordPath)': \(describe(error))\n")
            return max(status, 1)
        }
        return status
    }

    static func run(_ request: RunRequest, templates: ReportTemplates, log: (String) -> Void, record: inout RunRecord) -> Int32 {
        let path = request.notebookPath
        guard let data = FileManager.default.contents(atPath: path) else {
            record.error = "cannot read notebook '\(path)'"
            log("error: cannot read notebook '\(path)'\n")
            return 2
        }
        let text: String
        do throws(Diagnostic) { text = try SourceFile.decoding([UInt8](data), name: path).text } catch {
            record.error = error.message
            log(DiagnosticRenderer.render(error))
            return 2
        }
        record.notebookSHA = SHA256.hex(text)
        let notebook: Notebook
        do { notebook = try NotebookParser.parse(text, path: path) } catch {
            record.error = error.errors.first.map { "\($0.path):\($0.line):\($0.column): \($0.message)" } ?? "the notebook could not be parsed"
            log(error.description)
            log("\(path): \(error.errors.count) problem(s); nothing was run\n")
            return 2
        }
        let reportPath = reportPath(for: path, output: request.output)
        // Absolute before the run changes directory: cells run in the notebook's folder.
        let reportURL = URL(fileURLWithPath: reportPath).standardizedFileURL
        let figuresDirectory = request.figuresDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var options = RunOptions()
        options.params = request.params
        options.keepGoing = request.keepGoing
        options.useCache = request.useCache
        options.ltnbVersion = request.ltnbVersion
        options.cacheDirectory = reportURL.deletingLastPathComponent()
            .appendingPathComponent(".ltnb-cache").appendingPathComponent(notebook.name)
        let result: RunResult
        do { result = try inNotebookFolder(path) { () throws(NotebookErrors) in try NotebookRunner.run(notebook, options: options) } } catch {
            record.error = error.errors.first.map { "\($0.path):\($0.line):\($0.column): \($0.message)" } ?? "the run could not start"
            log(error.description)
            return 2
        }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        record.filesRead = result.filesRead.map { entry in
            let url = entry.path.hasPrefix("/") ? URL(fileURLWithPath: entry.path) : folder.appendingPathComponent(entry.path)
            return RunRecord.FileRead(path: url.standardizedFileURL.path, sha256: entry.sha256)
        }
        if let f = result.firstFailure { record.error = "\(path):\(f.line): \(f.message)" }
        for d in result.diagnostics { log(d) }
        if request.explainCache {
            for cell in notebook.cells {
                let r = result.cells[cell.index]
                let note = r.cacheNote ?? (cell.options.cache ? "not run" : "not cached (cache: false)")
                log("cache \(cell.anchor) (\(path):\(cell.fenceLine)): \(note)\n")
            }
        }
        var settings = Report.Settings()
        settings.ltnbVersion = request.ltnbVersion
        settings.sourceDateEpoch = request.sourceDateEpoch
        settings.sidecarFolder = Report.sidecarFolder(forReport: reportURL.path)
        let notebookFolder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        settings.loadImage = { src in
            let url = src.hasPrefix("/") ? URL(fileURLWithPath: src) : notebookFolder.appendingPathComponent(src)
            return FileManager.default.contents(atPath: url.standardizedFileURL.path)
        }
        do {
            let document = try Report.document(result, templates: templates, settings: settings)
            // Sidecars first, so the new report never links to a file that is not there yet.
            let folder = reportURL.deletingLastPathComponent()
            for sidecar in document.sidecars {
                try AtomicFile.write(Data(sidecar.text.utf8), to: folder.appendingPathComponent(sidecar.path))
                log("wrote \(((reportPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(sidecar.path))\n")
            }
            try AtomicFile.write(Data(document.html.utf8), to: reportURL)
            record.report = reportPath
            log("wrote \(reportPath)\n")
            removeStaleSidecars(in: folder.appendingPathComponent(settings.sidecarFolder ?? ""),
                                anchors: notebook.cells.map(\.anchor), keeping: document.sidecars)
            if let dir = figuresDirectory {
                for written in try writeFigures(result, to: dir) { log("wrote \(written)\n") }
            }
        } catch {
            record.error = record.error ?? describe(error)
            log("error: \(describe(error))\n")
            return max(result.status, 1)
        }
        if let f = result.firstFailure {
            let stopped = result.cells.contains { $0.status == .notRun }
            let what = f.anchor.hasPrefix("inline-") ? "an inline expression" : "cell '\(f.anchor)'"
            log("\(path):\(f.line): \(what) failed\(stopped ? "; later cells were not run" : "")\n")
        }
        return result.status
    }

    /// Removes the sidecars of this notebook's cells (`<anchor>.txt`) that a previous run
    /// left and this report no longer links to, and the folder if that empties it. Other
    /// files are never touched, in case the folder holds something of the user's.
    static func removeStaleSidecars(in folder: URL, anchors: [String], keeping: [Report.Sidecar]) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
        let kept = Set(keeping.map { ($0.path as NSString).lastPathComponent })
        let ours = Set(anchors.map { "\($0).txt" })
        for name in names where ours.contains(name) && !kept.contains(name) {
            try? fm.removeItem(at: folder.appendingPathComponent(name))
        }
        if (try? fm.contentsOfDirectory(atPath: folder.path))?.isEmpty == true { try? fm.removeItem(at: folder) }
    }

    /// Runs `body` with the notebook's folder as the working directory, as Quarto and
    /// knitr do, so data paths in cells are relative to the notebook.
    public static func inNotebookFolder<T>(_ notebookPath: String, _ body: () throws(NotebookErrors) -> T) throws(NotebookErrors) -> T {
        let fm = FileManager.default
        let previous = fm.currentDirectoryPath
        let folder = URL(fileURLWithPath: notebookPath).standardizedFileURL.deletingLastPathComponent().path
        let moved = fm.changeCurrentDirectoryPath(folder)
        defer { if moved { _ = fm.changeCurrentDirectoryPath(previous) } }
        return try body()
    }

    /// `--figures DIR`: each labelled figure as `DIR/<label>.svg` (further figures of the
    /// same cell as `<label>-2.svg`, ...), each labelled table as `.csv` and `.tex`.
    static func writeFigures(_ result: RunResult, to dir: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var written: [String] = []
        for cell in result.notebook.cells {
            guard let label = cell.options.label, cell.options.crossRefKind != nil, cell.index < result.cells.count else { continue }
            var figures = 0, tables = 0
            for output in result.cells[cell.index].outputs {
                switch output {
                case .figure(let svg):
                    figures += 1
                    let p = (dir as NSString).appendingPathComponent(figures == 1 ? "\(label).svg" : "\(label)-\(figures).svg")
                    try AtomicFile.write(Data(svg.utf8), to: URL(fileURLWithPath: p))
                    written.append(p)
                case .table(_, let csv, let latex):
                    tables += 1
                    let stem = tables == 1 ? label : "\(label)-\(tables)"
                    for (ext, text) in [("csv", csv), ("tex", latex)] {
                        let p = (dir as NSString).appendingPathComponent("\(stem).\(ext)")
                        try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: p))
                        written.append(p)
                    }
                default: break
                }
            }
        }
        return written
    }

    /// `ltnb check`: parses the notebook and resolves names in every cell and inline
    /// expression without running anything. Exit 2 if it does not parse, 1 if a name is
    /// unknown, 0 otherwise.
    public static func check(_ path: String, log: (String) -> Void) -> Int32 {
        guard let data = FileManager.default.contents(atPath: path) else {
            log("error: cannot read notebook '\(path)'\n")
            return 2
        }
        let text: String
        do throws(Diagnostic) { text = try SourceFile.decoding([UInt8](data), name: path).text } catch {
            log(DiagnosticRenderer.render(error))
            return 2
        }
        let notebook: Notebook
        do { notebook = try NotebookParser.parse(text, path: path) } catch {
            log(error.description)
            return 2
        }
        let interp = Stdlib.makeInterpreter()
        let params = notebook.frontMatter.params.map(\.name)
        var problems: [Diagnostic] = []
        for block in notebook.blocks {
            switch block {
            case .cell(let cell):
                guard cell.options.eval else { continue }
                problems += interp.check(cell.sourceFile(name: path), predeclared: params)
            case .prose(let prose):
                for inline in prose.inlines {
                    problems += interp.check(inline.sourceFile(name: path), predeclared: params)
                }
            }
        }
        for d in problems { log(DiagnosticRenderer.render(d)) }
        if problems.isEmpty {
            log("\(path): ok (\(notebook.cells.count) cells)\n")
            return 0
        }
        return 1
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let e as TemplateError: return e.description
        case let e as PersistenceError: return e.description
        default: return (error as NSError).localizedDescription
        }
    }
}
