import Foundation
import Testing

/// The REPL driven through a pseudo-terminal: real readline, real signals, the real
/// binary. Waits are generous and nothing asserts on speed, so a loaded machine only
/// makes these slower.
@Suite(.serialized) struct REPLTerminalTests {
    /// A REPL session in a fresh temporary directory with its own history file.
    final class Session {
        let directory: String
        let historyPath: String
        let terminal: PseudoTerminal

        init(directory: String? = nil, color: Bool = false) throws {
            let dir = directory ?? Self.makeTemporaryDirectory()
            self.directory = dir
            historyPath = dir + "/history"
            var env = ["TERM": "xterm", "HOME": dir, "INPUTRC": "/dev/null", "LTNB_HISTORY": historyPath,
                       "LANG": "C.UTF-8", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            if !color { env["NO_COLOR"] = "1" }
            terminal = try PseudoTerminal(environment: env, directory: dir)
            try terminal.waitFor("ltnb> ")
        }

        static func makeTemporaryDirectory() -> String {
            let path = NSTemporaryDirectory() + "ltnb-repl-\(UUID().uuidString)"
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }

        /// Types a line, presses Enter, and waits for the next prompt; returns what was
        /// shown in between (the echo, the output and the prompt).
        @discardableResult
        func enter(_ line: String, prompt: String = "ltnb> ") throws -> String {
            terminal.type(line)
            terminal.send(Key.enter)
            return try terminal.waitFor(prompt)
        }

        /// Ends the session with Ctrl-D and returns the exit status.
        /// Ctrl-D at the prompt; sent again if the first arrived before the prompt did
        /// (on a loaded machine), so a slow start cannot fail an unrelated test.
        func quit() -> Int32? {
            terminal.send(Key.ctrlD)
            if let status = terminal.waitForExit(timeout: 20) { return status }
            terminal.send(Key.ctrlD)
            return terminal.waitForExit(timeout: 40)
        }
    }

    @Test func evaluatesAndDisplaysValues() throws {
        let s = try Session()
        #expect(try s.enter("40 + 2").contains("\n42\n"))
        #expect(try s.enter("\"a\" + \"b\"").contains("\n\"ab\"\n"))
        #expect(try s.enter("x = 3").hasSuffix("x = 3\nltnb> "))  // an assignment shows nothing
        #expect(s.quit() == 0)
    }

    @Test func editsWithArrowsAndCtrlA() throws {
        let s = try Session()
        s.terminal.type("5 * 3")
        s.terminal.send(Key.left + Key.left + Key.left + Key.left)
        s.terminal.type("0")
        s.terminal.send(Key.enter)
        #expect(try s.terminal.waitFor("ltnb> ").contains("150\n"))
        s.terminal.type("1 + 2")
        s.terminal.send(Key.ctrlA)
        s.terminal.type("10")
        s.terminal.send(Key.enter)
        #expect(try s.terminal.waitFor("ltnb> ").contains("103\n"))
        #expect(s.quit() == 0)
    }

    @Test func recallsHistoryWithUp() throws {
        let s = try Session()
        try s.enter("y = 20")
        #expect(try s.enter("y + 1").contains("21\n"))
        try s.enter("y = 30")
        s.terminal.send(Key.up)
        s.terminal.send(Key.up)
        s.terminal.send(Key.enter)
        #expect(try s.terminal.waitFor("ltnb> ").contains("31\n"))
        #expect(s.quit() == 0)
    }

    @Test func searchesHistoryWithCtrlR() throws {
        let s = try Session()
        try s.enter("zeta = 7")
        #expect(try s.enter("zeta * 3").contains("\n21\n"))
        try s.enter("1 + 1")
        s.terminal.send(Key.ctrlR)
        s.terminal.type("zeta *")
        s.terminal.send(Key.enter)
        try s.terminal.waitFor("\n21\n")
        try s.terminal.waitFor("ltnb> ")
        #expect(s.quit() == 0)
    }

    @Test func completesNamesFieldsAndKeywords() throws {
        let s = try Session()
        try s.enter("my_long_name = 5")
        s.terminal.type("my_lo")
        s.terminal.send(Key.tab)
        s.terminal.type(" + 1")
        s.terminal.send(Key.enter)
        #expect(try s.terminal.waitFor("ltnb> ").contains("\n6\n"))

        try s.enter("rec = {alpha: 1, beta: 22}")
        s.terminal.type("rec.be")
        s.terminal.send(Key.tab)
        s.terminal.send(Key.enter)
        #expect(try s.terminal.waitFor("ltnb> ").contains("\n22\n"))

        s.terminal.type("fmt(3.14159, di")
        s.terminal.send(Key.tab)
        s.terminal.type("3)")
        s.terminal.send(Key.enter)
        #expect(try s.terminal.waitFor("ltnb> ").contains("\"3.142\""))
        #expect(s.quit() == 0)
    }

    @Test func completesPathsInStrings() throws {
        let dir = Session.makeTemporaryDirectory()
        _ = FileManager.default.createFile(atPath: dir + "/unique_data_file.txt", contents: Data("hi".utf8))
        let s = try Session(directory: dir)
        s.terminal.type("\"uniq")
        s.terminal.send(Key.tab)
        s.terminal.send(Key.enter)
        #expect(try s.terminal.waitFor("ltnb> ").contains("\n\"unique_data_file.txt\"\n"))
        #expect(s.quit() == 0)
    }

    @Test func runsAMultiLineFunction() throws {
        let s = try Session()
        try s.enter("fn sq(v) {", prompt: "...   ")
        try s.enter("  v * v", prompt: "...   ")
        try s.enter("}")
        #expect(try s.enter("sq(9)").contains("\n81\n"))
        // A line ending in an operator continues too.
        try s.enter("1 +", prompt: "...   ")
        #expect(try s.enter("2").contains("\n3\n"))
        #expect(s.quit() == 0)
    }

    /// Resends Ctrl-C until the running entry reports the interrupt (one sent before it
    /// starts is dropped, as it should be); true when it did.
    static func interrupt(_ s: Session) -> Bool {
        for _ in 0..<30 {
            s.terminal.drain(for: 0.3)
            s.terminal.send(Key.ctrlC)
            if (try? s.terminal.waitFor("interrupted", timeout: 3)) != nil { return true }
        }
        return false
    }

    @Test func ctrlCInterruptsEvaluationAndKeepsBindings() throws {
        let s = try Session()
        try s.enter("kept = 5")
        s.terminal.type("while true {}")
        s.terminal.send(Key.enter)
        #expect(REPLTerminalTests.interrupt(s))
        try s.terminal.waitFor("ltnb> ")
        #expect(try s.enter("kept + 1").contains("\n6\n"))
        #expect(s.quit() == 0)
    }

    /// Pure arithmetic runs in the number tier (no frames, its own checks): Ctrl-C still
    /// stops it, and the function keeps working (and keeps its tier) afterwards.
    @Test func ctrlCInterruptsNumberTierRecursion() throws {
        let s = try Session()
        try s.enter("fn spin(n) { if n == 0 { 1 } else { spin(n - 1) + spin(n - 1) } }")
        s.terminal.type("spin(80)")
        s.terminal.send(Key.enter)
        #expect(REPLTerminalTests.interrupt(s))
        try s.terminal.waitFor("ltnb> ")
        #expect(try s.enter("spin(10)").contains("\n1024\n"))
        #expect(s.quit() == 0)
    }

    @Test func ctrlCAtThePromptClearsTheLine() throws {
        let s = try Session()
        try s.enter("kept = 5")
        s.terminal.type("this is not code")
        s.terminal.send(Key.ctrlC)
        try s.terminal.waitFor("^C")
        try s.terminal.waitFor("ltnb> ")
        let shown = try s.enter("kept * 2")
        #expect(shown.contains("\n10\n"))
        #expect(!shown.contains("error"))
        #expect(s.quit() == 0)
    }

    @Test func ctrlCAbandonsAnUnfinishedEntry() throws {
        let s = try Session()
        try s.enter("fn f() {", prompt: "...   ")
        s.terminal.send(Key.ctrlC)
        try s.terminal.waitFor("ltnb> ")
        #expect(try s.enter("f").contains("error: "))  // f was never defined
        #expect(try s.enter("1 + 1").contains("\n2\n"))
        #expect(s.quit() == 0)
    }

    @Test func listsChoicesOnSecondTab() throws {
        let s = try Session()
        try s.enter("cand_alpha = 1")
        try s.enter("cand_beta = 2")
        s.terminal.type("cand_")
        s.terminal.send(Key.tab)
        s.terminal.drain(for: 0.2)
        s.terminal.send(Key.tab)
        try s.terminal.waitFor("cand_alpha")
        try s.terminal.waitFor("cand_beta")
        s.terminal.type("b")
        s.terminal.send(Key.tab)
        s.terminal.send(Key.enter)
        try s.terminal.waitFor("\n2\n")
        #expect(s.quit() == 0)
    }

    @Test func editsNonASCIIText() throws {
        let s = try Session()
        s.terminal.type("\"h\u{E9}llo \u{65E5}\u{672C}\"")
        s.terminal.send(Key.left + Key.left + Key.left)
        s.terminal.type("\u{00FC}")
        s.terminal.send(Key.enter)
        #expect(try s.terminal.waitFor("ltnb> ").contains("\"h\u{E9}llo \u{FC}\u{65E5}\u{672C}\""))
        #expect(s.quit() == 0)
    }

    @Test func bracketedPasteIsOneEntry() throws {
        let s = try Session()
        s.terminal.send("\u{1B}[200~a1 = 1\nb1 = a1 + 1\u{1B}[201~")
        s.terminal.drain(for: 0.2)
        s.terminal.send(Key.enter)
        try s.terminal.waitFor("ltnb> ")
        #expect(try s.enter("b1").contains("\n2\n"))
        #expect(s.quit() == 0)
    }

    @Test func ctrlDExits() throws {
        let s = try Session()
        s.terminal.send(Key.ctrlD)
        #expect(s.terminal.waitForExit() == 0)
    }

    @Test func quitCommandExits() throws {
        let s = try Session()
        s.terminal.type(":quit")
        s.terminal.send(Key.enter)
        #expect(s.terminal.waitForExit() == 0)
    }

    @Test func persistsHistoryAcrossSessions() throws {
        let first = try Session()
        try first.enter("h = 11")
        try first.enter("h + 1")
        try first.enter("h + 1")  // a repeat is stored once
        try first.enter("fn twice(v) {", prompt: "...   ")
        try first.enter("v * 2", prompt: "...   ")
        try first.enter("}")
        try first.enter("")  // blank lines are not history
        // Appended after every entry: the file is complete before the session ends.
        let text = try String(contentsOfFile: first.historyPath, encoding: .utf8)
        #expect(text == "h = 11\nh + 1\nfn twice(v) {\n\tv * 2\n\t}\n")
        #expect(first.quit() == 0)

        let second = try Session(directory: first.directory)
        try second.enter("h = 4")
        second.terminal.send(Key.up + Key.up + Key.up)  // h = 4, the function, then h + 1
        second.terminal.send(Key.enter)
        try second.terminal.waitFor("\n5\nltnb> ")
        #expect(second.quit() == 0)
    }

    @Test func errorsAreColouredOnlyWithoutNoColor() throws {
        let plain = try Session()
        let shown = try plain.enter("[1, 2][5]")
        #expect(shown.contains("error: index 5 is out of range"))
        #expect(!plain.terminal.transcriptRaw.contains("\u{1B}[1;31m"))
        #expect(plain.quit() == 0)

        let colored = try Session(color: true)
        try colored.enter("[1, 2][5]")
        #expect(colored.terminal.transcriptRaw.contains("\u{1B}[1;31merror"))
        #expect(colored.quit() == 0)
    }

    @Test func metaCommands() throws {
        let s = try Session()
        try s.enter("w = [1, 2, 3]")
        #expect(try s.enter(":vars").contains("w  list  [1, 2, 3]"))
        #expect(try s.enter(":type w").contains("\nlist\n"))
        #expect(try s.enter(":help len").contains("len("))
        #expect(try s.enter("?len").contains("len("))
        #expect(try s.enter(":time 1 + 1").contains("median"))
        #expect(try s.enter(":bogus").contains("unknown command ':bogus'"))
        try s.enter(":save session")
        let saved = try String(contentsOfFile: s.directory + "/session.ltnb", encoding: .utf8)
        #expect(saved.contains("```ltnb\nw = [1, 2, 3]\n```"))
        #expect(try s.enter(":reset").contains("cleared"))
        #expect(try s.enter(":vars").contains("no bindings"))
        #expect(try s.enter(":load session.ltnb").contains("ran 1 cell"))
        #expect(try s.enter("len(w)").contains("\n3\n"))
        #expect(s.quit() == 0)
    }
}

extension PseudoTerminal {
    /// The raw output, escapes included.
    var transcriptRaw: String { String(decoding: output, as: UTF8.self) }
}
