import Foundation
import LTLang
import Testing
@testable import LTNotebook

/// The whole HTML report of Golden/report.ltnb (front matter, headings and contents,
/// hostile prose, echo on and off, a numbered figure and table with @-references, inline
/// values, an `error: true` cell, a capped output, params, a data file in the provenance)
/// must equal Golden/report.html byte for byte, and its sidecar files Golden/report_files/.
/// Nothing machine-dependent reaches it: the path is relative, the version is fixed,
/// SOURCE_DATE_EPOCH is fixed (so no wall-clock time or run times), and the one data file
/// is a fixture recorded under a relative name.
/// LTNB_RECORD=1 writes the golden files from the current behaviour instead.
@Suite struct ReportGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates")

    /// `fixture_data()`: a stand-in for a `load_*` built-in that records a data file
    /// without touching the disk, so the provenance table is the same everywhere.
    static let fixtureData = Builtin("fixture_data", family: "Test", [], summary: "a fixed data file", example: "",
                                     result: "") { args in
        let contents = Data("group,count\nmany,500\nfew,5\n".utf8)
        FileReadLog.of(args.interpreter).record(path: "data/fixture.csv", contents: contents)
        return .string(String(decoding: contents, as: UTF8.self))
    }

    static func render() throws -> Report.Document {
        let bundled = try #require(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let text = try String(contentsOf: bundled.appendingPathComponent("report.ltnb"), encoding: .utf8)
        let notebook = try NotebookParser.parse(text, path: "report.ltnb")
        var options = RunOptions()
        options.useCache = false
        options.ltnbVersion = "0.0.0-golden"
        options.prepareInterpreter = { $0.register(fixtureData) }
        let run = try NotebookRunner.run(notebook, options: options)
        var settings = Report.Settings()
        settings.ltnbVersion = "0.0.0-golden"
        settings.sourceDateEpoch = 1_717_200_000
        settings.sidecarFolder = "report_files"
        return try Report.document(run, templates: ReportTemplates(directory: templates), settings: settings)
    }

    @Test func reportMatchesTheGoldenFile() throws {
        let document = try Self.render()
        if ProcessInfo.processInfo.environment["LTNB_RECORD"] != nil {
            try? FileManager.default.removeItem(at: Self.golden.appendingPathComponent("report_files"))
            try Data(document.html.utf8).write(to: Self.golden.appendingPathComponent("report.html"))
            for sidecar in document.sidecars {
                let url = Self.golden.appendingPathComponent(sidecar.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(sidecar.text.utf8).write(to: url)
            }
            return
        }
        let bundled = try #require(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let expected = try String(contentsOf: bundled.appendingPathComponent("report.html"), encoding: .utf8)
        if let difference = Self.firstDifference(expected, document.html) {
            Issue.record("report.html differs from Golden/report.html (LTNB_RECORD=1 swift test --filter ReportGoldenTests re-records it)\n\(difference)")
        }
        let expectedSidecars = try FileManager.default.contentsOfDirectory(
            atPath: bundled.appendingPathComponent("report_files").path).sorted()
        #expect(document.sidecars.map { ($0.path as NSString).lastPathComponent }.sorted() == expectedSidecars)
        for sidecar in document.sidecars {
            let want = try String(contentsOf: bundled.appendingPathComponent(sidecar.path), encoding: .utf8)
            if let difference = Self.firstDifference(want, sidecar.text) {
                Issue.record("\(sidecar.path) differs from its golden file\n\(difference)")
            }
        }
    }

    @Test func nothingMachineDependentLeaksIn() throws {
        let html = try Self.render().html
        for local in [FileManager.default.currentDirectoryPath, NSHomeDirectory(), NSTemporaryDirectory(),
                      Self.golden.path, Self.templates.path] where local.count > 1 {
            #expect(!html.contains(local), "the report contains the local path \(local)")
        }
        #expect(!html.contains(" ms<") && !html.contains(" s</td>"), "run times leak into a reproducible report")
        #expect(html.contains("2024-06-01T00:00:00Z"))
        #expect(html == (try Self.render().html))
    }

    /// The first line where `actual` departs from `expected`, both shown, or nil if equal.
    static func firstDifference(_ expected: String, _ actual: String) -> String? {
        guard expected != actual else { return nil }
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let got = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for k in 0..<max(want.count, got.count) {
            let w = k < want.count ? String(want[k]) : "<end of file>"
            let g = k < got.count ? String(got[k]) : "<end of file>"
            if w != g {
                return "first difference at line \(k + 1):\n  expected: \(w.debugDescription)\n  actual:   \(g.debugDescription)"
            }
        }
        return "the files differ only in line breaks or a trailing newline"
    }

    @Test func firstDifferenceNamesTheLine() {
        #expect(Self.firstDifference("a\nb\nc", "a\nb\nc") == nil)
        #expect(Self.firstDifference("a\nb\nc", "a\nB\nc")?.hasPrefix("first difference at line 2:\n  expected: \"b\"\n  actual:   \"B\"") == true)
        #expect(Self.firstDifference("a", "a\nmore")?.contains("line 2") == true)
    }
}
