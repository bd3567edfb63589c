import Foundation
import LTNotebook
import Testing
@testable import LTSweep

/// Outcomes and the summary read back from a sweep folder built by hand, so every case
/// (crash without a record, killed after one, never run, hostile text) is exact.
@Suite struct SummaryTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates")

    struct Sweep {
        let plan: SweepPlan
        let layout: SweepLayout
        init(axes: [SweepAxis], over: String?) throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltnb-sweep-\(UUID().uuidString)")
            layout = SweepLayout(dir.path)
            plan = SweepPlan(ltnbVersion: "t", notebook: "/nb/nb.ltnb", notebookSHA: "abc", axes: axes, over: over,
                             points: try SweepGrid.points(axes), backend: .local, jobs: 2, slurmOptions: [], slurmJobID: nil,
                             slurmVersion: nil, startedAt: nil, digits: 2, executable: "/bin/ltnb")
            for p in plan.points { try layout.prepare(p) }
        }
        func point(_ i: Int) -> SweepPoint { plan.points[i] }
        func finish(_ i: Int, status: Int32, exitCode: Int32?, error: String? = nil, csv: String? = nil, log: String = "") throws {
            let p = point(i)
            try RunRecord(status: status, ltnbVersion: "t", notebookSHA: "abc", params: [], error: error).write(to: layout.record(p).path)
            try exitCode.map { try Data("\($0)\n".utf8).write(to: layout.exitCode(p)) }
            try Data(log.utf8).write(to: layout.log(p))
            if let csv {
                try FileManager.default.createDirectory(at: layout.tables(p), withIntermediateDirectories: true)
                try Data(csv.utf8).write(to: layout.tables(p).appendingPathComponent("tbl-acc.csv"))
            }
        }
        func cleanup() { try? FileManager.default.removeItem(at: layout.directory) }
    }

    @Test func outcomesFromRecordsExitCodesAndLogs() throws {
        let s = try Sweep(axes: [SweepAxis(name: "seed", values: ["0", "1", "2", "3"])], over: "seed")
        defer { s.cleanup() }
        try s.finish(0, status: 0, exitCode: 0)
        try s.finish(1, status: 0, exitCode: 137)  // killed while exiting, after its record
        // A crash: an exit code, no record; the log's tail is the error.
        try Data("139\n".utf8).write(to: s.layout.exitCode(s.point(2)))
        try Data("line 1\n\nSegmentation fault\n".utf8).write(to: s.layout.log(s.point(2)))
        let o = s.plan.points.map { PointOutcome.read($0, layout: s.layout) }
        #expect(o[0].state == .succeeded)
        #expect(o[1].state == .failed(exitCode: 137, error: ""))
        #expect(o[2].state == .failed(exitCode: 139, error: "line 1\nSegmentation fault"))
        #expect(o[3].state == .notRun)
    }

    @Test func summaryAggregatesEscapesAndIsReproducible() throws {
        let s = try Sweep(axes: [SweepAxis(name: "seed", values: ["0", "1"]), SweepAxis(name: "method", values: ["<b>", "la"])], over: "seed")
        defer { s.cleanup() }
        try s.finish(0, status: 0, exitCode: 0, csv: "name,acc\n\"x, <i>y</i>\",0.5\n")
        try s.finish(1, status: 0, exitCode: 0, csv: "name,acc\nz,0.7\n")
        try s.finish(2, status: 0, exitCode: 0, csv: "name,acc\n\"x, <i>y</i>\",0.7\n")
        try s.finish(3, status: 1, exitCode: 1, error: "/nb/nb.ltnb:4: <script>alert(1)</script>", csv: "name,acc\nz,0.9\n")
        let summary = SweepSummary(plan: s.plan, layout: s.layout)
        #expect(summary.failed.map(\.point.name) == ["seed-1_method-la"])
        let t = try #require(summary.tables.first)
        #expect(t.groups.map(\.key) == [["<b>"], ["la"]])
        #expect(t.groups[1].runs == ["seed-0_method-la"])  // the failed run is left out
        #expect(summary.csv() == "table,method,row,column,n,mean,sd\ntbl-acc,<b>,\"x, <i>y</i>\",acc,2,0.6,0.14142135623730948\ntbl-acc,la,z,acc,1,0.7,0.0\n")
        let templates = try ReportTemplates(directory: Self.templates)
        try summary.write(templates: templates, sourceDateEpoch: 0, times: .init(started: Date(), finished: Date()))
        let html = try String(contentsOf: s.layout.index, encoding: .utf8)
        #expect(html.contains("0.60 ± 0.14"))
        #expect(html.contains("x, &lt;i&gt;y&lt;/i&gt;"))
        #expect(html.contains("nb.ltnb:4: &lt;script&gt;alert(1)&lt;/script&gt;"))  // path made relative, text escaped
        #expect(!html.contains("<script>") && !html.contains("<b>") && !html.contains("<i>"))
        #expect(!html.contains("Wall time"))
        let tex = try String(contentsOf: s.layout.summaryTeX, encoding: .utf8)
        #expect(tex.contains("0.60 $\\pm$ 0.14"))
        // Same folder, same bytes.
        try summary.write(templates: templates, sourceDateEpoch: 0, times: nil)
        #expect(try String(contentsOf: s.layout.index, encoding: .utf8) == html)
    }
}
