import Foundation
import LTLang
import Testing
@testable import LTNotebook

/// Running notebooks: params, order, errors, exit status, the per-cell random streams and
/// the cache (hits, misses, invalidation by a file the cell read).
@Suite struct RunnerTests {
    func run(_ text: String, _ configure: (inout RunOptions) -> Void = { _ in }) throws -> RunResult {
        let nb = try NotebookParser.parse(text, path: "nb.ltnb")
        var options = RunOptions()
        configure(&options)
        return try NotebookRunner.run(nb, options: options)
    }

    func texts(_ r: CellResult) -> [String] {
        r.outputs.map { o -> String in
            switch o {
            case .text(let s), .value(let s): return s
            case .error(let m, _): return "error: \(m)"
            case .figure: return "<figure>"
            case .table: return "<table>"
            }
        }
    }

    let paramNotebook = """
        ---
        params:
          n: 2
          name: "a"
          flag: false
        ---
        ```ltnb
        [n * 10, name, flag]
        ```
        """

    @Test func bindsParamsWithOverrides() throws {
        #expect(texts(try run(paramNotebook).cells[0]) == ["[20, \"a\", false]"])
        let r = try run(paramNotebook) { $0.params = [("n", "3.5"), ("name", "42"), ("flag", "true")] }
        #expect(texts(r.cells[0]) == ["[35, \"42\", true]"])
    }

    @Test func rejectsUnknownParams() {
        #expect(throws: NotebookErrors.self) { try run(paramNotebook) { $0.params = [("m", "1")] } }
    }

    let failing = """
        ```ltnb
        x = 1
        ```
        ```ltnb
        x + nope
        ```
        ```ltnb
        x + 1
        ```
        The value is `{ltnb} x`.
        """

    @Test func stopsAtTheFirstFailureAndExitsOne() throws {
        let r = try run(failing)
        #expect(r.status == 1)
        #expect(r.cells.map(\.status) == [.ok, .failed, .notRun])
        #expect(r.firstFailure?.line == 5)
        #expect(r.diagnostics.first?.contains("nb.ltnb:5:5") == true)
        if case .notRun? = r.inlines[3]?.first {} else { Issue.record("inline should not run") }
    }

    @Test func keepGoingRunsEverythingButStillFails() throws {
        let r = try run(failing) { $0.keepGoing = true }
        #expect(r.status == 1)
        #expect(r.cells.map(\.status) == [.ok, .failed, .ok])
        if case .text("1")? = r.inlines[3]?.first {} else { Issue.record("inline should be 1") }
    }

    @Test func errorTrueLetsTheNotebookGoOn() throws {
        let r = try run(failing.replacingOccurrences(of: "```ltnb\nx + nope", with: "```ltnb\n#| error: true\nx + nope"))
        #expect(r.status == 0)
        #expect(r.cells.map(\.status) == [.ok, .failed, .ok])
    }

    @Test func evalFalseDoesNotRun() throws {
        let r = try run("```ltnb\n#| eval: false\nprint(1)\n```\n")
        #expect(r.cells[0].status == .notEvaluated)
        #expect(r.cells[0].outputs.isEmpty)
    }

    @Test func capturesPrintsShowsAndResultsInOrder() throws {
        let r = try run("```ltnb\nprint(\"a\")\nshow([1])\nprint(\"b\")\n\"s\"\n```\n")
        #expect(texts(r.cells[0]) == ["a\n", "[1]", "b\n", "\"s\""])
    }

    @Test func cellsGetRepeatableRandomStreams() throws {
        let text = "---\nseed: 5\n---\n```ltnb\n#| label: a\nrand(3)\n```\n```ltnb\nrand(3)\n```\n"
        let a = try run(text), b = try run(text)
        #expect(texts(a.cells[0]) == texts(b.cells[0]))
        #expect(texts(a.cells[0]) != texts(a.cells[1]))
        let c = try run(text.replacingOccurrences(of: "seed: 5", with: "seed: 6"))
        #expect(texts(a.cells[0]) != texts(c.cells[0]))
    }

    // MARK: - Cache

    func tempDir() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ltnb-cache-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `read_text(path)`: a stand-in for load_* built-ins that records the file it reads.
    static let readText = Builtin("read_text", family: "Test", [.required("path", "a file")], summary: "read a file",
                                  example: "", result: "") { args in
        let path = try args.string("path")
        let data = FileManager.default.contents(atPath: path) ?? Data()
        FileReadLog.of(args.interpreter).record(path: path, contents: data)
        return .string(String(decoding: data, as: UTF8.self))
    }

    @Test func cacheHitRestoresBindingsAndOutputsWithoutRunning() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
            ```ltnb
            #| cache: true
            calls = [1]
            print("ran")
            total = 40 + 2
            ```
            ```ltnb
            total + 1
            ```
            """
        let first = try run(text) { $0.cacheDirectory = dir }
        #expect(first.cells[0].status == .ok)
        #expect(first.cells[0].cacheNote?.contains("stored") == true)
        let second = try run(text) { $0.cacheDirectory = dir }
        #expect(second.cells[0].status == .cached)
        #expect(texts(second.cells[0]) == ["ran\n"])
        #expect(texts(second.cells[1]) == ["43"])
        let edited = try run(text.replacingOccurrences(of: "40 + 2", with: "40 + 3")) { $0.cacheDirectory = dir }
        #expect(edited.cells[0].status == .ok)
        #expect(edited.cells[0].cacheNote?.hasPrefix("miss") == true)
        let uncached = try run(text) { $0.cacheDirectory = dir; $0.useCache = false }
        #expect(uncached.cells[0].status == .ok)
    }

    @Test func cacheMissesWhenAFileTheCellReadChanges() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data.txt")
        try Data("one".utf8).write(to: data)
        let text = "```ltnb\n#| cache: true\ns = read_text(\"\(data.path)\")\n```\n```ltnb\ns\n```\n"
        func go() throws -> RunResult {
            try run(text) { $0.cacheDirectory = dir; $0.prepareInterpreter = { $0.register(RunnerTests.readText) } }
        }
        let a = try go()
        #expect(a.filesRead.map(\.path) == [data.path])
        #expect(try go().cells[0].status == .cached)
        try Data("two".utf8).write(to: data)
        let c = try go()
        #expect(c.cells[0].status == .ok)
        #expect(c.cells[0].cacheNote?.contains("changed") == true)
        #expect(texts(c.cells[1]) == ["\"two\""])
    }

    /// `opaque()`: an object with no stored form.
    static let opaque = Builtin("opaque", family: "Test", [], summary: "an unstorable object", example: "", result: "") { _ in
        .object(PersistenceTests.Opaque())
    }

    @Test func cellsBindingUnstorableValuesAreNotCachedAndSayWhy() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run("```ltnb\n#| cache: true\nfn keep(w) => fn() => w\nf = keep(opaque())\n```\n") {
            $0.cacheDirectory = dir
            $0.prepareInterpreter = { $0.register(RunnerTests.opaque) }
        }
        #expect(r.cells[0].cacheNote == "miss: no entry for this cell's code, options, params and earlier cells; not stored: binding 'f' holds an opaque object (captured as 'w' by <fn()>), which cannot be cached")
    }

    @Test func earlierUnstorableBindingsDoNotBlockCachingLaterCells() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
            ```ltnb
            helpers = {double: fn(x) => x * 2, data: [1, 2], handle: opaque()}
            ```
            ```ltnb
            #| cache: true
            y = helpers.double(21)
            helpers.data[0] = 5
            ```
            ```ltnb
            [y, helpers.data]
            ```
            """
        func go(_ text: String) throws -> RunResult {
            try run(text) { $0.cacheDirectory = dir; $0.prepareInterpreter = { $0.register(RunnerTests.opaque) } }
        }
        let a = try go(text)
        #expect(a.cells[1].cacheNote?.contains("not stored: binding 'helpers'") == true)
        let b = try go(text.replacingOccurrences(of: "helpers.data[0] = 5\n", with: ""))
        #expect(b.cells[1].cacheNote?.hasSuffix("; stored") == true)
        let c = try go(text.replacingOccurrences(of: "helpers.data[0] = 5\n", with: ""))
        #expect(c.cells[1].status == .cached)
        #expect(texts(c.cells[2]) == ["[42, [1, 2]]"])
    }
}
