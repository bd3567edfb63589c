import Foundation
import LTLang
import LTNotebook
import LTStdlib
import Testing
@testable import ltnb

/// The REPL's logic without a terminal: a scripted `PlainReader` and a buffer output.
@Suite struct REPLSessionTests {
    final class BufferOutput: REPLOutput {
        var out = "", err = ""
        let errorStyle = DiagnosticRenderer.Style.plain
        func write(_ text: String) { out += text }
        func writeError(_ text: String) { err += text }
        func flush() {}
    }

    static func run(_ lines: [String]) -> (repl: REPL, output: BufferOutput, reader: PlainReader) {
        let output = BufferOutput()
        let reader = PlainReader(lines.map(LineInput.line))
        let repl = REPL(reader: reader, output: output)
        _ = repl.run()
        return (repl, output, reader)
    }

    @Test func continuesIncompleteEntries() {
        let (repl, output, reader) = Self.run(["fn f(a) {", "  a + 1", "}", "f(1)", "[1,", "2]"])
        #expect(output.out == "2\n[1, 2]\n")
        #expect(reader.remembered == ["fn f(a) {\n  a + 1\n}", "f(1)", "[1,\n2]"])
        #expect(repl.successfulEntries.count == 3)
    }

    @Test func keepsBindingsAfterAnError() {
        let (repl, output, _) = Self.run(["a = 2", "a + nope", "a * 5"])
        #expect(output.out == "10\n")
        #expect(output.err.contains("error:"))
        #expect(repl.successfulEntries == ["a = 2", "a * 5"])
    }

    @Test func interruptedLineIsDropped() {
        let output = BufferOutput()
        let reader = PlainReader([.line("fn f() {"), .interrupted, .line("3")])
        _ = REPL(reader: reader, output: output).run()
        #expect(output.out == "3\n")
        #expect(output.err.isEmpty)
    }

    @Test func helpAndVars() {
        let (_, output, _) = Self.run(["t = {a: 1}", ":vars", "?len", ":help :time", ":help", ":help nosuch"])
        #expect(output.out.contains("t  record  {a: 1}"))
        #expect(output.out.contains("len("))
        #expect(output.out.contains(":time expr\n"))
        #expect(output.out.contains("REPL commands:"))
        #expect(output.out.contains("Built-in functions"))
        #expect(output.err.contains("no built-in or binding named 'nosuch'"))
    }

    @Test func typeAndTime() {
        let (_, output, _) = Self.run([":type [1]", ":type 2", ":t", ":time 1 + 1"])
        #expect(output.out.hasPrefix("list\nnumber\n"))
        #expect(output.out.contains("median per loop"))
        #expect(output.err.contains("':t' is ambiguous: :type, :time"))
    }

    @Test func commandPrefixes() {
        #expect(MetaCommand.named("q") == .quit)
        #expect(MetaCommand.named("he") == .help)
        #expect(MetaCommand.named("t") == nil)  // type or time
        #expect(MetaCommand.named("ty") == .type)
    }

    @Test func saveAndLoadRoundTrip() throws {
        let dir = NSTemporaryDirectory() + "ltnb-save-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/s.ltnb"
        let (_, output, _) = Self.run(["x = 4", "oops(", ")", "y = x * 2", ":save \(path)", ":reset", ":load \(path)", "y"])
        #expect(output.out.contains("saved 2 cells"))
        #expect(output.out.contains("ran 2 cells"))
        #expect(output.out.hasSuffix("8\n"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: ltnb session\ndate: "))
        #expect(text.hasSuffix("---\n\n```ltnb\nx = 4\n```\n\n```ltnb\ny = x * 2\n```\n"))
    }

    @Test func loadsAScriptAndReportsMissingFiles() throws {
        let path = NSTemporaryDirectory() + "ltnb-load-\(UUID().uuidString).lt"
        try "q = 6\nq + 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (_, output, _) = Self.run([":load \(path)", "q", ":load /no/such/file.lt"])
        #expect(output.out == "7\n6\n")
        #expect(output.err.contains("cannot read '/no/such/file.lt': no such file"))
    }

    /// `:load` reads through the same reader as `exec`, so a directory is named as one.
    @Test func loadNamesADirectory() {
        let dir = NSTemporaryDirectory()
        let (_, output, _) = Self.run([":load \(dir)", "1 + 1"])
        #expect(output.err.contains("cannot read '\(dir)': it is a directory"))
        #expect(output.out == "2\n")
    }

    /// A file that is not UTF-8 is refused at its bad byte and runs nothing; the session
    /// keeps its state.
    @Test func loadRefusesBytesThatAreNotUTF8() throws {
        let path = NSTemporaryDirectory() + "ltnb-load-\(UUID().uuidString).lt"
        try Data(Array("q = 6\nr = \"caf".utf8) + [0xE9] + Array("\"\n".utf8)).write(to: URL(fileURLWithPath: path))
        let (_, output, _) = Self.run(["q = 1", ":load \(path)", "q"])
        #expect(output.out == "1\n")
        #expect(output.err.contains("is not UTF-8 text: byte 0xE9"))
        #expect(output.err.contains(":2:9\n"))
        #expect(output.err.contains("was not loaded"))
    }
}

@Suite struct NotebookTextTests {
    /// `:load` reads a notebook with `ltnb run`'s parser: CRLF files, `~~~` and `{ltnb}`
    /// fences, params, `eval: false`, each cell's random stream, paths relative to the notebook.
    @Test func loadRunsANotebookAsTheBatchRunnerWould() throws {
        let dir = NSTemporaryDirectory() + "ltnb-load-nb-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "a,b\n1,2\n3,4\n".write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
        let lines = [
            "---", "title: T", "seed: 3", "params:", "  n: 5", "---", "", "Prose.", "",
            "```ltnb", "a = n", "```", "", "```python", "not ltnb", "```", "",
            "~~~{ltnb}", "#| label: draw", "r = sum(rand(4))", "t = load_csv(\"d.csv\")", "~~~", "",
            "````ltnb", "#| eval: false", "skipped()", "````", "",
        ]
        let path = dir + "/nb.ltnb"
        try lines.joined(separator: "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        let (repl, output, _) = REPLSessionTests.run([":load \(path)", "[a, t.shape]", "r"])
        #expect(output.err.isEmpty)
        #expect(output.out.hasPrefix("ran 2 cells from \(path)\n[5, [2, 2]]\n"))
        #expect(repl.successfulEntries == ["a = n", "r = sum(rand(4))\nt = load_csv(\"d.csv\")", "[a, t.shape]", "r"])

        // The same draw as `ltnb run` makes in the cell labelled `draw`.
        let notebook = try NotebookParser.parse(lines.joined(separator: "\n"), path: "nb.ltnb")
        let interpreter = Stdlib.makeInterpreter()
        SessionRandom.of(interpreter).reseed(NotebookRunner.randomSeed(for: notebook.cells[1], in: notebook))
        let expected = try #require(try interpreter.evaluate(SourceFile(name: "x", text: "sum(rand(4))")))
        #expect(output.out.hasSuffix("\n\(expected.displayText)\n"))
    }

    @Test func aBrokenNotebookLoadsNothing() throws {
        let path = NSTemporaryDirectory() + "ltnb-bad-\(UUID().uuidString).ltnb"
        try "```ltnb\nok = 1\n```\n\n```ltnb\n#| colour: red\nx = (\n```\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (_, output, _) = REPLSessionTests.run([":load \(path)", "ok"])
        #expect(output.err.contains("\(path):6:4"))
        #expect(output.err.contains("was not loaded"))
        #expect(output.err.contains("'ok'"))  // nothing ran, so `ok` is unknown
    }

    @Test func rendersLongerFencesAroundBackticks() {
        let text = NotebookText.render(cells: ["s = \"```\""], title: "t", date: Date(timeIntervalSince1970: 0))
        #expect(text.contains("\n````ltnb\ns = \"```\"\n````\n"))
    }
}

@Suite struct HistoryFileTests {
    func temporaryPath() -> String { NSTemporaryDirectory() + "ltnb-history-\(UUID().uuidString)" }

    @Test func encodesMultiLineEntriesWithTabs() {
        #expect(HistoryFile.encode("  fn f() {\n  1\n}  \n") == "fn f() {\n\t  1\n\t}")
        #expect(HistoryFile.decode("a\nfn f() {\n\t  1\n\t}\nb\n") == ["a", "fn f() {\n  1\n}", "b"])
    }

    @Test func appendsAndTrimsToTheLimit() throws {
        let path = temporaryPath()
        var file = HistoryFile(path: path)
        file.limit = 3
        for i in 0..<5 { file.append("e\(i)") }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "e0\ne1\ne2\ne3\ne4\n")
        #expect(file.load() == ["e2", "e3", "e4"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "e2\ne3\ne4\n")
        file.append("  ")
        #expect(file.load() == ["e2", "e3", "e4"])
    }

    @Test func twoSessionsInterleaveWithoutLosingEntries() throws {
        let path = temporaryPath()
        let a = HistoryFile(path: path), b = HistoryFile(path: path)
        _ = a.load()
        _ = b.load()
        a.append("from a 1")
        b.append("from b 1")
        a.append("fn f() {\n  1\n}")
        b.append("from b 2")
        #expect(HistoryFile(path: path).load() == ["from a 1", "from b 1", "fn f() {\n  1\n}", "from b 2"])
        // Concurrent writers: every entry arrives whole.
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let file = HistoryFile(path: path)
            for j in 0..<25 { file.append("w\(i)-\(j)") }
        }
        let all = HistoryFile(path: path).load()
        #expect(all.count == 4 + 200)
        #expect(Set(all.dropFirst(4)).count == 200)
    }

    @Test func defaultPathHonoursTheEnvironment() {
        #expect(HistoryFile.defaultPath(environment: ["LTNB_HISTORY": "/x/h", "HOME": "/home/u"]) == "/x/h")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.ltnb_history")
        #expect(HistoryFile.defaultPath(environment: [:]) == nil)
    }
}

@Suite struct CompleterTests {
    let interpreter = Stdlib.makeInterpreter()

    func complete(_ line: String, cursor: Int? = nil) -> Completer.Completion {
        Completer(interpreter: interpreter).complete(line, cursor: cursor ?? line.utf8.count)
    }

    @Test func namesAndKeywords() {
        _ = try? interpreter.evaluate(SourceFile(name: "t", text: "my_value = 1; fn my_fn(alpha, beta) { alpha }"))
        let c = complete("1 + my_")
        #expect(c.start == 4)
        #expect(Set(c.candidates) == ["my_value", "my_fn"])
        #expect(complete("my_f").suffix == "(")
        #expect(complete("my_v").suffix == "")
        #expect(complete("my_v").notes["my_value"] == "number = 1")
        #expect(complete("fm").notes["fmt"]?.hasPrefix("fmt(x, digits:)") == true)
        #expect(complete("whi").candidates == ["while"])
    }

    @Test func fieldsOfRecords() {
        _ = try? interpreter.evaluate(SourceFile(name: "t", text: "r = {alpha: {inner: 1}, beta: 2}"))
        #expect(complete("r.").candidates == ["alpha", "beta"])
        #expect(complete("r.al").candidates == ["alpha"])
        #expect(complete("r.alpha.in").candidates == ["inner"])
        #expect(complete("nosuch.x").candidates.isEmpty)
        #expect(complete("3.").candidates.isEmpty)
        #expect(complete("r.s").candidates.isEmpty)  // records get no method names
    }

    @Test func keywordArgumentsInsideACall() {
        let c = complete("fmt(3.14, di")
        #expect(c.candidates == ["digits:"])
        #expect(c.suffix == " ")
        _ = try? interpreter.evaluate(SourceFile(name: "t", text: "fn g(alpha, beta) { alpha }"))
        #expect(complete("g(1, be").candidates == ["beta:"])
        #expect(complete("g(alpha: 1, al").candidates.filter { $0.hasSuffix(":") }.isEmpty)
        #expect(c.notes["digits:"] == "decimals to show (default 2)")
        #expect(complete("fmt(2, ").candidates == ["digits:"])  // x is given; only keywords on an empty word
        #expect(complete("g(1, ").candidates == ["beta:"])
        #expect(complete("g(f(1, 2), [3, 4], ").candidates.filter { $0.hasSuffix(":") }.isEmpty)
        #expect(complete("g(").candidates == ["alpha:", "beta:"])
        #expect(complete("3.g(").candidates == ["beta:"])  // member sugar: 3 is alpha
        #expect(Completer.parameters(fromSignature: "<fn f(a, b?, c:, d...)>") == ["a", "b", "c", "d"])
    }

    @Test func tensorFieldsAndMethods() {
        _ = try? interpreter.evaluate(SourceFile(name: "t", text: "t = zeros(2, 3)"))
        #expect(complete("t.").candidates.contains("shape"))
        #expect(complete("t.sh").notes["shape"] == "list [2, 3]")
        let c = complete("t.softm")
        #expect(c.candidates == ["softmax"])
        #expect(c.suffix == "(")
    }

    @Test func metaCommands() {
        #expect(complete(":he").candidates == ["help"])
        #expect(complete(":he").start == 1)
        #expect(complete(":help le").candidates.contains("len"))
        #expect(complete("?le").candidates.contains("len"))
    }

    @Test func pathsInStrings() throws {
        let dir = NSTemporaryDirectory() + "ltnb-complete-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/sub.dir", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/sub.dir/data.npy", contents: Data())
        _ = FileManager.default.createFile(atPath: dir + "/.hidden", contents: Data())
        var completer = Completer(interpreter: interpreter)
        completer.currentDirectory = { dir }
        let line = "load_npy(\"su"
        let c = completer.complete(line, cursor: line.utf8.count)
        #expect(c.start == 10)
        #expect(c.candidates == ["sub.dir/"])
        #expect(c.suffix == "")
        let inner = "x = 'sub.dir/d"
        let d = completer.complete(inner, cursor: inner.utf8.count)
        #expect(d.candidates == ["sub.dir/data.npy"])
        #expect(d.suffix == "'")
        #expect(completer.complete("\"", cursor: 1).candidates == ["sub.dir/"])
        #expect(Completer.breakCharacters("f(\"a.b", cursor: 6) == Completer.stringBreaks)
        #expect(Completer.breakCharacters("f(\"a\").b", cursor: 8) == Completer.wordBreaks)
    }

    @Test func nothingInComments() {
        #expect(complete("1 # le").candidates.isEmpty)
    }
}

@Suite struct ProgressBarTests {
    @Test func rendersToTheWidth() {
        let line = ProgressBar.render(0.5, label: "epoch 1/2", width: 40)
        #expect(line.count == 39)
        #expect(line.hasPrefix("epoch 1/2 ██"))
        #expect(line.hasSuffix("  50%"))
        #expect(ProgressBar.render(1, label: "", width: 20) == String(repeating: "█", count: 13) + "  100%")
        #expect(ProgressBar.render(.nan, label: "x", width: 10).hasSuffix("  0%"))
    }
}
