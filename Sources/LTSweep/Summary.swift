import Foundation
import LTNotebook
import LTPlot

/// The sweep's summary: DIR/index.html through the report templates (`sweep.html.mustache`,
/// the same head, CSS, CSP and escaping as a notebook report), DIR/summary.csv and
/// DIR/summary.tex. Everything is ordered by grid position, never by finishing order, and
/// under SOURCE_DATE_EPOCH holds no wall-clock data, so the bytes do not depend on how
/// the points were scheduled.
public struct SweepSummary {
    /// When the sweep ran, for provenance; ignored when `sourceDateEpoch` is set.
    public struct Times: Sendable {
        public var started: Date
        /// Nil for `--collect`, which cannot know when the last point ended.
        public var finished: Date?
        public init(started: Date, finished: Date?) { self.started = started; self.finished = finished }
    }

    public let plan: SweepPlan
    public let layout: SweepLayout
    public let outcomes: [PointOutcome]
    public let tables: [SummaryTable]

    /// Reads every point's outcome and exported tables from the folder.
    public init(plan: SweepPlan, layout: SweepLayout) {
        self.plan = plan
        self.layout = layout
        outcomes = plan.points.map { PointOutcome.read($0, layout: layout) }
        var byLabel: [String: [(point: SweepPoint, table: RunTable)]] = [:]
        for outcome in outcomes where outcome.succeeded {
            let dir = layout.tables(outcome.point)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for name in names where name.hasSuffix(".csv") && !name.hasPrefix(".") {
                guard let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8),
                      let table = RunTable.parseCSV(text) else { continue }
                byLabel[String(name.dropLast(4)), default: []].append((outcome.point, table))
            }
        }
        tables = byLabel.keys.sorted().compactMap { SummaryTable.build(label: $0, plan: plan, tables: byLabel[$0] ?? []) }
    }

    public var failed: [PointOutcome] { outcomes.filter { if case .failed = $0.state { return true } else { return false } } }
    public var notRun: [PointOutcome] { outcomes.filter { $0.state == .notRun } }
    public var allSucceeded: Bool { outcomes.allSatisfy(\.succeeded) }

    /// Writes index.html, summary.csv and summary.tex atomically.
    public func write(templates: ReportTemplates, sourceDateEpoch: Int?, times: Times?) throws {
        try AtomicFile.write(Data(csv().utf8), to: layout.summaryCSV)
        try AtomicFile.write(Data(latex().utf8), to: layout.summaryTeX)
        let html = try templates.renderPage(context(sourceDateEpoch: sourceDateEpoch, times: times), template: "sweep")
        try AtomicFile.write(Data(html.utf8), to: layout.index)
    }

    // MARK: - Tables

    /// Axis columns take the axis name unless the run table already has that column.
    func axisColumns(_ t: SummaryTable) -> [String] {
        t.axes.map { t.columns.contains($0) ? "\($0) (param)" : $0 }
    }

    /// The summary table as an LTPlot table: remaining axes, n, then the run table's columns.
    func plotTable(_ t: SummaryTable) throws -> Table {
        let showN = plan.over != nil
        var columns: [(String, [LTPlot.Cell])] = axisColumns(t).map { ($0, []) }
        if showN { columns.append((t.columns.contains("n") ? "n (runs)" : "n", [])) }
        columns += t.columns.map { ($0, []) }
        for group in t.groups {
            for row in group.rows {
                var c = 0
                for v in group.key { columns[c].1.append(.string(v)); c += 1 }
                if showN { columns[c].1.append(.number(Double(group.runs.count))); c += 1 }
                for cell in row { columns[c].1.append(.string(cell.formatted(digits: plan.digits))); c += 1 }
            }
        }
        var options = TableOptions()
        options.caption = caption(t)
        return try Table(columns: columns, options: options)
    }

    func caption(_ t: SummaryTable) -> String {
        guard let over = plan.over else { return "\(t.label): one run per row" }
        return "\(t.label): mean ± sd over \(over), n runs per row"
    }

    /// Long form, one numeric cell per line, for pandas or R:
    /// `table,<axes>,row,column,n,mean,sd`. The row is the first column's text when that
    /// column is text (a method name), else its 1-based number.
    public func csv() -> String {
        let axes = plan.axes.map(\.name).filter { $0 != plan.over }
        var lines = [(["table"] + axes + ["row", "column", "n", "mean", "sd"]).map(quote).joined(separator: ",")]
        for t in tables {
            for group in t.groups {
                for (r, row) in group.rows.enumerated() {
                    var rowKey = String(r + 1)
                    switch row.first {
                    case .text(let s)?, .same(let s, _)?: rowKey = s
                    default: break
                    }
                    for (c, cell) in row.enumerated() {
                        let n: Int, mean: Double, sd: Double
                        switch cell {
                        case .stats(let m, let d, let k): (mean, sd, n) = (m, d, k)
                        case .same(let s, let k):
                            // A number every run agrees on is still data (sd 0); the row's key is not.
                            guard c > 0, let x = Double(s), x.isFinite else { continue }
                            (mean, sd, n) = (x, 0, k)
                        case .text: continue
                        }
                        let fields = [t.label] + group.key + [rowKey, t.columns[c], String(n), "\(mean)", "\(sd)"]
                        lines.append(fields.map(quote).joined(separator: ","))
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One booktabs table per label (`\usepackage{booktabs}`), ± typeset as `$\pm$`.
    public func latex() -> String {
        func comment(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ") }
        var out = "% Written by ltnb sweep from \(comment((plan.notebook as NSString).lastPathComponent)); needs \\usepackage{booktabs}.\n"
        for t in tables {
            guard let table = try? plotTable(t) else { continue }
            out += "\n% \(comment(t.label))\n" + table.latex().replacingOccurrences(of: "±", with: "$\\pm$")
            if !out.hasSuffix("\n") { out += "\n" }
        }
        return out
    }

    // MARK: - The page

    func context(sourceDateEpoch: Int?, times: Times?) -> [String: Any] {
        let nbFile = (plan.notebook as NSString).lastPathComponent
        let succeeded = outcomes.filter(\.succeeded).count
        var counts = "\(plan.points.count) point\(plan.points.count == 1 ? "" : "s"): \(succeeded) succeeded"
        if !failed.isEmpty { counts += ", \(failed.count) failed" }
        if !notRun.isEmpty { counts += ", \(notRun.count) not run" }

        let tableItems = tables.compactMap { t -> [String: Any]? in
            guard let table = try? plotTable(t) else { return nil }
            var item: [String: Any] = ["tableLabel": t.label, "tableID": "table-" + GridID.safe(t.label), "tableHTML": table.html()]
            if !t.mismatched.isEmpty { item["tableMismatched"] = t.mismatched.joined(separator: ", ") }
            return item
        }
        let runRows = outcomes.map { o -> [String: Any] in
            var row: [String: Any] = [
                "runName": o.point.name,
                "runParams": o.point.params.map { "\($0.name)=\($0.value)" }.joined(separator: " "),
                "runStatus": status(o),
            ]
            if FileManager.default.fileExists(atPath: layout.report(o.point, notebookName: plan.notebookName).path) {
                row["runHref"] = href("runs/\(o.point.name)/\(plan.notebookName).html")
            }
            if FileManager.default.fileExists(atPath: layout.log(o.point).path) { row["logHref"] = href("logs/\(o.point.name).log") }
            return row
        }
        let failureRows = failed.map { o -> [String: Any] in
            guard case .failed(let code, let error) = o.state else { return [:] }
            var row: [String: Any] = ["failName": o.point.name, "failCode": String(code), "failError": relativized(error)]
            if FileManager.default.fileExists(atPath: layout.report(o.point, notebookName: plan.notebookName).path) {
                row["failHref"] = href("runs/\(o.point.name)/\(plan.notebookName).html")
            }
            return row
        }

        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var ctx: [String: Any] = [
            "generator": plan.ltnbVersion,
            "pageTitle": "Sweep of \(nbFile)",
            "sweepTitle": "Sweep of \(nbFile)",
            "sweepCounts": counts,
            "tables": tableItems,
            "runRows": runRows,
            "version": plan.ltnbVersion,
            "notebookName": nbFile,
            "notebookSHA": plan.notebookSHA,
            "axes": plan.axes.map { ["axisName": $0.name, "axisValues": $0.values.joined(separator: ", ")] },
            "pointCount": String(plan.points.count),
            "backend": backendText,
        ]
        if let over = plan.over { ctx["over"] = over }
        if !failureRows.isEmpty {
            ctx["failures"] = ["failureRows": failureRows, "failureCount": String(failureRows.count), "pointCount": String(plan.points.count)]
        }
        if let epoch = sourceDateEpoch {
            ctx["rendered"] = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
        } else {
            let now = Date()
            ctx["rendered"] = formatter.string(from: now)
            if let times {
                var t = ["started": formatter.string(from: times.started)]
                if let finished = times.finished {
                    t["finished"] = formatter.string(from: finished)
                    t["wallTime"] = String(format: "%.1f s", finished.timeIntervalSince(times.started))
                }
                ctx["times"] = t
            }
        }
        return ctx
    }

    var backendText: String {
        switch plan.backend {
        case .local: return "local, \(plan.jobs) worker\(plan.jobs == 1 ? "" : "s")"
        case .slurm:
            let opts = plan.slurmOptions.isEmpty ? "" : " with \(plan.slurmOptions.joined(separator: " "))"
            let version = plan.slurmVersion.map { " (\($0))" } ?? ""
            return "Slurm job array \(plan.slurmJobID ?? "(not submitted)")\(opts)\(version)"
        }
    }

    func status(_ o: PointOutcome) -> String {
        switch o.state {
        case .succeeded: return "ok"
        case .failed(let code, _): return "failed (exit \(code))"
        case .notRun: return "not run"
        }
    }

    /// Errors name files by absolute path; inside the sweep folder they read relative to it,
    /// so the page does not depend on where the folder is.
    func relativized(_ text: String) -> String {
        text.replacingOccurrences(of: layout.directory.path + "/", with: "")
            .replacingOccurrences(of: plan.notebook, with: (plan.notebook as NSString).lastPathComponent)
    }

    func href(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":;?#[]@!$&'()*+,=%")
        return "./" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path)
    }
}

/// Element ids from labels: letters, digits, `-` and `_`.
enum GridID {
    static func safe(_ s: String) -> String {
        String(s.unicodeScalars.map { ch -> Character in
            ch.isASCII && (CharacterSet.alphanumerics.contains(ch) || ch == "-" || ch == "_") ? Character(ch) : "-"
        })
    }
}
