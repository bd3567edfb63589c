import Foundation
import Testing
@testable import LTNotebook

/// `ltnb run --record FILE`: what `ltnb sweep` reads back to tell how a point went.
@Suite struct RunRecordTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ltnb-record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func run(_ dir: URL, _ notebook: String, params: [(name: String, value: String)] = []) throws -> (Int32, RunRecord?) {
        try Data(notebook.utf8).write(to: dir.appendingPathComponent("t.ltnb"))
        var request = NotebookCommand.RunRequest(notebookPath: dir.appendingPathComponent("t.ltnb").path)
        request.output = dir.appendingPathComponent("out").path
        request.params = params
        request.ltnbVersion = "9.9"
        request.recordPath = dir.appendingPathComponent("record.json").path
        let status = NotebookCommand.run(request, templates: try ReportTemplates(directory: ReportGoldenTests.templates), log: { _ in })
        return (status, RunRecord.read(dir.appendingPathComponent("record.json").path))
    }

    @Test func recordsInputsAndTheFirstError() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("a,b\n1,2\n".utf8).write(to: dir.appendingPathComponent("d.csv"))
        let nb = "---\nparams:\n  k: 1\n---\n```ltnb\nx = load_csv(\"d.csv\")\n```\n\n```ltnb\nnope + k\n```\n"
        let (status, record) = try run(dir, nb, params: [("k", "3")])
        let r = try #require(record)
        #expect(status == 1)
        #expect(r.status == 1)
        #expect(r.ltnbVersion == "9.9")
        #expect(r.params == ["k=3"])
        #expect(r.notebookSHA.count == 64)
        #expect(r.error?.hasSuffix("t.ltnb:10: unknown name 'nope'") == true, "\(r.error ?? "nil")")
        #expect(r.filesRead.map(\.path) == [dir.appendingPathComponent("d.csv").standardizedFileURL.path])
        #expect(r.report?.hasSuffix("out/t.html") == true)
    }

    @Test func successAndUnparsableNotebooks() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ok = try run(dir, "```ltnb\n1 + 1\n```\n")
        #expect(ok.0 == 0)
        #expect(ok.1?.status == 0)
        #expect(ok.1?.error == nil)
        let bad = try run(dir, "```ltnb\n(1 +\n```\n")
        #expect(bad.0 == 2)
        #expect(bad.1?.status == 2)
        #expect(bad.1?.report == nil)
        #expect(bad.1?.error?.contains("t.ltnb:") == true)
        let param = try run(dir, "```ltnb\n1\n```\n", params: [("zzz", "1")])
        #expect(param.0 == 2)
        #expect(param.1?.error?.contains("no param named 'zzz'") == true)
    }
}
