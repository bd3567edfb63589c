import Foundation
import LTLang

/// Builds the HTML report of a run through the Mustache templates. Every string from the
/// notebook or its outputs reaches the page escaped: either by `{{…}}` or by `HTML.escape`
/// before it is placed in a `{{{…}}}` fragment; raw fragments are only SVG and tables
/// that LTPlot generated, and Markdown after the sanitiser.
public enum Report {
    /// What the footer needs besides the run itself.
    public struct Settings {
        public var ltnbVersion = "0.0.0"
        /// `SOURCE_DATE_EPOCH`: when set the report has no wall-clock data (byte-identical runs).
        public var sourceDateEpoch: Int?
        public init() {}
    }

    public static func html(_ run: RunResult, templates: ReportTemplates, settings: Settings) throws -> String {
        try templates.render(context(run, css: templates.css, settings: settings))
    }

    static func context(_ run: RunResult, css: String, settings: Settings) -> [String: Any] {
        let nb = run.notebook
        let fm = nb.frontMatter
        var usedIDs = Set(nb.cells.map(\.anchor))
        var headings: [MarkdownRenderer.Heading] = []
        var labels: [String: (kind: CrossRefKind, number: Int)] = [:]
        for cell in nb.cells {
            if let kind = cell.options.crossRefKind, let label = cell.options.label, let n = NotebookRunner.number(of: cell, in: nb) {
                labels[label] = (kind, n)
            }
        }

        var blocks: [[String: Any]] = []
        for (blockIndex, block) in nb.blocks.enumerated() {
            switch block {
            case .prose(let prose):
                let values = run.inlines[blockIndex] ?? []
                let html = MarkdownRenderer.render(
                    ProseScanner.scan(prose.text, firstLine: prose.firstLine),
                    inline: { k in
                        switch k < values.count ? values[k] : .notRun {
                        case .text(let s): return "<span class=\"ltnb-inline\">\(HTML.escape(s))</span>"
                        case .error(let m):
                            return "<span class=\"ltnb-inline-error\" id=\"inline-\(blockIndex)-\(k)\">error: \(HTML.escape(m))</span>"
                        case .notRun: return "<span class=\"ltnb-inline-error\">not run</span>"
                        }
                    },
                    reference: { label in
                        guard let (kind, n) = labels[label] else { return "@" + HTML.escape(label) }
                        return "<a class=\"ltnb-ref\" href=\"#\(HTML.escape(label))\">\(kind.rawValue)&nbsp;\(n)</a>"
                    },
                    headingIDs: &usedIDs, headings: &headings)
                if !html.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    blocks.append(["prose": ["proseHTML": html]])
                }
            case .cell(let cell):
                guard cell.options.include else { continue }
                let result = cell.index < run.cells.count ? run.cells[cell.index] : CellResult(status: .notRun, outputs: [], seconds: 0)
                blocks.append(["cell": cellContext(cell, result, labels: labels)])
            }
        }

        var ctx: [String: Any] = [
            "css": css,
            "generator": settings.ltnbVersion,
            "pageTitle": fm.title ?? nb.name,
            "blocks": blocks,
            "footer": footerContext(run, settings: settings),
        ]
        if let title = fm.title {
            var titleBlock: [String: Any] = ["docTitle": title]
            if let s = fm.subtitle { titleBlock["docSubtitle"] = s }
            if !fm.authors.isEmpty { titleBlock["docAuthors"] = fm.authors.joined(separator: ", ") }
            if let d = fm.date { titleBlock["docDate"] = d }
            ctx["titleBlock"] = titleBlock
        }
        if fm.toc, headings.count >= 2 {
            ctx["toc"] = ["tocEntries": headings.map { ["tocLevel": $0.level, "tocID": $0.id, "tocHTML": $0.html] }]
        }
        if let f = run.firstFailure {
            ctx["banner"] = ["bannerAnchor": f.anchor, "bannerLine": f.line, "bannerMessage": f.message,
                             "bannerStopped": run.cells.contains { $0.status == .notRun }]
        }
        return ctx
    }

    static func cellContext(_ cell: Cell, _ result: CellResult, labels: [String: (kind: CrossRefKind, number: Int)]) -> [String: Any] {
        var c: [String: Any] = [
            "anchor": cell.anchor,
            "ordinal": cell.index + 1,
            "cellLine": cell.fenceLine,
        ]
        if cell.options.echo, !cell.code.isEmpty { c["sourceHTML"] = Highlighter.html(cell.code) }
        switch result.status {
        case .failed: c["failed"] = true
        case .notRun: c["statusText"] = "not run: an earlier cell failed"
        case .notEvaluated: break
        case .cached: c["cachedNote"] = true
        case .ok: break
        }
        if result.status == .notEvaluated { c["notEvaluated"] = true }
        let outputs = result.outputs.compactMap { output -> [String: Any]? in
            // `output: false` hides what the cell shows, but never its errors.
            if !cell.options.output { if case .error = output {} else { return nil } }
            switch output {
            case .text(let s): return ["outText": s]
            case .value(let s): return ["outValue": s]
            case .figure(let svg): return ["outSVG": svg]
            case .table(let html, _, _): return ["outTable": html]
            case .error(_, let rendered): return ["outError": rendered]
            }
        }
        if !outputs.isEmpty { c["outputs"] = outputs }
        if let label = cell.options.label, let (kind, n) = labels[label], kind == .figure,
           result.outputs.contains(where: { if case .figure = $0 { return true } else { return false } }) {
            c["figure"] = ["figureNumber": n, "figureCaption": cell.options.caption ?? ""]
        }
        return c
    }

    static func footerContext(_ run: RunResult, settings: Settings) -> [String: Any] {
        let reproducible = settings.sourceDateEpoch != nil
        let date = Date(timeIntervalSince1970: TimeInterval(settings.sourceDateEpoch ?? Int(Date().timeIntervalSince1970)))
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let cells = run.notebook.cells.map { cell -> [String: Any] in
            let r = cell.index < run.cells.count ? run.cells[cell.index] : CellResult(status: .notRun, outputs: [], seconds: 0)
            // A reproducible report does not depend on the cache: a restored cell reads as
            // one that ran, so a rerun from the cache gives the bytes of a full run.
            let status = reproducible && r.status == .cached ? CellStatus.ok : r.status
            var row: [String: Any] = ["rowAnchor": cell.anchor, "rowLine": cell.fenceLine, "rowStatus": statusName(status)]
            if !reproducible { row["rowTime"] = r.status == .ok || r.status == .failed ? formatSeconds(r.seconds) : "—" }
            return row
        }
        var footer: [String: Any] = [
            "version": settings.ltnbVersion,
            "notebookName": (run.notebook.path as NSString).lastPathComponent,
            "notebookSHA": SHA256.hex(run.notebook.text),
            "seed": String(run.seed),
            "rendered": formatter.string(from: date),
            "cellRows": cells,
        ]
        if !reproducible { footer["showTimes"] = true }
        if !run.params.isEmpty {
            footer["params"] = run.params.map { ["paramName": $0.name, "paramValue": $0.value.inlineText] }
        }
        if !run.filesRead.isEmpty {
            footer["files"] = ["fileRows": run.filesRead.map { ["filePath": $0.path, "fileSHA": $0.sha256] }]
        }
        return footer
    }

    static func statusName(_ s: CellStatus) -> String {
        switch s {
        case .ok: return "ran"
        case .cached: return "cached"
        case .failed: return "failed"
        case .notEvaluated: return "eval: false"
        case .notRun: return "not run"
        }
    }

    static func formatSeconds(_ s: Double) -> String {
        s < 1 ? String(format: "%.0f ms", s * 1000) : String(format: "%.2f s", s)
    }
}

extension CellResult {
    init(status: CellStatus, outputs: [CellOutput], seconds: Double) {
        self.init(status: status, outputs: outputs, seconds: seconds, cacheNote: nil)
    }
}
