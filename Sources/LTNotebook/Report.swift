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
        /// The folder, relative to the report, for the full text of capped outputs
        /// (`<report name>_files`); nil writes none, and the report only says what was cut.
        public var sidecarFolder: String?
        /// Reads a local image named in prose (`![alt](figs/a.png)`), relative to the
        /// notebook, for embedding; nil (or a nil result) turns the image into a link.
        public var loadImage: ((String) -> Data?)?
        public init() {}
    }

    /// A file that goes beside the report, linked from it.
    public struct Sidecar: Equatable, Sendable {
        /// The path relative to the report's folder.
        public var path: String
        public var text: String
    }

    /// A rendered report and the sidecar files it links to.
    public struct Document: Sendable {
        public var html: String
        public var sidecars: [Sidecar]
    }

    public static func document(_ run: RunResult, templates: ReportTemplates, settings: Settings) throws -> Document {
        var sidecars: [Sidecar] = []
        let html = HTML.scrub(try templates.render(context(run, css: templates.css, settings: settings, sidecars: &sidecars)))
        return Document(html: html, sidecars: sidecars)
    }

    public static func html(_ run: RunResult, templates: ReportTemplates, settings: Settings) throws -> String {
        try document(run, templates: templates, settings: settings).html
    }

    /// The folder for a report's sidecar files: `paper_files` for `paper.html` (Quarto's
    /// and knitr's convention).
    public static func sidecarFolder(forReport reportPath: String) -> String {
        ((reportPath as NSString).lastPathComponent as NSString).deletingPathExtension + "_files"
    }

    static func context(_ run: RunResult, css: String, settings: Settings, sidecars: inout [Sidecar]) -> [String: Any] {
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
                        case .text(let s):
                            if let (start, omitted) = OutputCap.inline(s, maxBytes: fm.outputLimits.maxBytes) {
                                return "<span class=\"ltnb-inline\">\(HTML.escape(start))</span>"
                                    + "<span class=\"ltnb-omitted\"> … \(OutputCap.size(omitted)) not shown</span>"
                            }
                            return "<span class=\"ltnb-inline\">\(HTML.escape(s))</span>"
                        case .error(let m):
                            return "<span class=\"ltnb-inline-error\" id=\"inline-\(blockIndex)-\(k)\">error: \(HTML.escape(m))</span>"
                        case .notRun: return "<span class=\"ltnb-inline-error\">not run</span>"
                        }
                    },
                    reference: { label in
                        guard let (kind, n) = labels[label] else { return "@" + HTML.escape(label) }
                        return "<a class=\"ltnb-ref\" href=\"#\(HTML.escape(label))\">\(kind.rawValue)&nbsp;\(n)</a>"
                    },
                    image: { src in embeddedImage(src, settings.loadImage) },
                    headingIDs: &usedIDs, headings: &headings)
                if !html.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    blocks.append(["prose": ["proseHTML": html]])
                }
            case .cell(let cell):
                let result = cell.index < run.cells.count ? run.cells[cell.index] : CellResult(status: .notRun, outputs: [], seconds: 0)
                // `include: false` hides a cell, unless it failed: errors are always shown in place.
                guard cell.options.include || result.status == .failed else { continue }
                blocks.append(["cell": cellContext(cell, result, labels: labels, sidecarFolder: settings.sidecarFolder, sidecars: &sidecars)])
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

    static func cellContext(_ cell: Cell, _ result: CellResult, labels: [String: (kind: CrossRefKind, number: Int)],
                            sidecarFolder: String? = nil, sidecars: inout [Sidecar]) -> [String: Any] {
        var c: [String: Any] = [
            "anchor": cell.anchor,
            "ordinal": cell.index + 1,
            "cellLine": cell.fenceLine,
        ]
        if cell.options.echo, cell.options.include, !cell.code.isEmpty { c["sourceHTML"] = Highlighter.html(cell.code) }
        switch result.status {
        case .failed: c["failed"] = true
        case .notRun: c["statusText"] = "not run: an earlier cell failed"
        case .notEvaluated: break
        case .cached: c["cachedNote"] = true
        case .ok: break
        }
        if result.status == .notEvaluated { c["notEvaluated"] = true }
        // `output: false` (and a failed `include: false` cell) hides what the cell shows, but never its errors.
        let visible = result.outputs.filter { output in
            if case .error = output { return true }
            return cell.options.output && cell.options.include
        }
        let (shown, full) = OutputCap.apply(visible, limits: cell.options.outputLimits)
        var sidecarHref: String?
        if let full, let folder = sidecarFolder {
            let path = folder + "/" + cell.anchor + ".txt"
            sidecars.append(Sidecar(path: path, text: full))
            sidecarHref = relativeHref(path)
        }
        var tables = 0
        let outputs = shown.map { piece -> [String: Any] in
            switch piece {
            case .output(.text(let s)): return ["outText": s]
            case .output(.value(let s)): return ["outValue": s]
            case .output(.figure(let svg)): return ["outSVG": svg]
            case .output(.table(let html, _, _)):
                tables += 1
                return ["outTable": withCaption(html, "Table\(tables > 1 ? " \(tables)" : "") from cell \(cell.index + 1)"
                                                     + (cell.options.label.map { " (\($0))" } ?? ""))]
            case .output(.error(_, let rendered)): return ["outError": rendered]
            case .omitted(let lines, let bytes):
                var note: [String: Any] = ["omittedWhat": omittedSummary(lines: lines, bytes: bytes),
                                           "omittedLimits": limitSummary(cell.options.outputLimits)]
                if let sidecarHref, let full {
                    note["omittedHref"] = sidecarHref
                    let lines = full.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                    note["omittedFullSize"] = "\(OutputCap.grouped(lines)) line\(lines == 1 ? "" : "s"), \(OutputCap.size(full.utf8.count))"
                }
                return ["outOmitted": note]
            }
        }
        if !outputs.isEmpty { c["outputs"] = outputs }
        if let label = cell.options.label, let (kind, n) = labels[label], kind == .figure,
           visible.contains(where: { if case .figure = $0 { return true } else { return false } }) {
            c["figure"] = ["figureNumber": n, "figureCaption": cell.options.caption ?? ""]
        }
        return c
    }

    static let imageTypes = ["png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
                              "svg": "image/svg+xml", "webp": "image/webp"]

    /// A `data:` URL for a local image of a known type, or nil.
    static func embeddedImage(_ src: String, _ load: ((String) -> Data?)?) -> String? {
        let path = String(src.prefix { $0 != "?" && $0 != "#" })
        guard let load, let type = imageTypes[(path as NSString).pathExtension.lowercased()], let data = load(path) else { return nil }
        return "data:\(type);base64,\(data.base64EncodedString())"
    }

    /// A table without a caption gets one only assistive technology reads (the report's
    /// CSS hides `.ltnb-sr-only` visually), so every table has an accessible name.
    static func withCaption(_ html: String, _ caption: String) -> String {
        guard !html.contains("<caption"), let open = html.range(of: "<table"),
              let end = html[open.upperBound...].firstIndex(of: ">") else { return html }
        var out = html
        out.insert(contentsOf: "\n  <caption class=\"ltnb-sr-only\">\(HTML.escape(caption))</caption>", at: out.index(after: end))
        return out
    }

    /// `12,345 lines (1.2 MiB)`, or only the size when the cut is inside one long line.
    static func omittedSummary(lines: Int, bytes: Int) -> String {
        let size = OutputCap.size(bytes)
        return lines == 0 ? size : "\(OutputCap.grouped(lines)) line\(lines == 1 ? "" : "s") (\(size))"
    }

    static func limitSummary(_ limits: OutputLimits) -> String {
        "output-max-lines \(limits.maxLines), output-max-bytes \(limits.maxBytes)"
    }

    /// A relative path as a link: percent-encoded, and starting with `./` so a `:` in the
    /// name never reads as a URL scheme.
    static func relativeHref(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":;?#[]@!$&'()*+,=%")
        return "./" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path)
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
            // A hidden cell (`include: false`, and it did not fail) has no anchor to link to.
            if cell.options.include || r.status == .failed { row["rowLinked"] = true }
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
