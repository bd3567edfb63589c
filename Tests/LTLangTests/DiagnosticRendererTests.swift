import LTLang
import Testing

/// The caret block of LANGUAGE.md: location, source line, carets under the range, notes,
/// then the call stack.
@Suite struct DiagnosticRendererTests {
    static func render(_ text: String, _ range: SourceRange, notes: [String] = []) -> String {
        let file = SourceFile(name: "a.lt", text: text)
        return DiagnosticRenderer.render(Diagnostic(.type, "bad", file: file, range: range, notes: notes))
    }

    @Test func caretsUnderTheRange() {
        #expect(DiagnosticRendererTests.render("x = 1\nz = a @ b\n", SourceRange(10, 15)) == """
            error: bad
             --> a.lt:2:5
              |
            2 | z = a @ b
              |     ^^^^^

            """)
    }

    @Test func columnsCountCharactersNotBytes() throws {
        // "é" and "ö" are two bytes each; the caret must still sit under "+".
        let text = "s = \"héllo wörld\" + 1"
        let plus = try #require(Array(text.utf8).firstIndex(of: UInt8(ascii: "+")))
        let out = DiagnosticRendererTests.render(text, SourceRange(plus, plus + 1))
        #expect(out.contains(" --> a.lt:1:19\n"))
        #expect(out.hasSuffix("1 | s = \"héllo wörld\" + 1\n  |                   ^\n"))
    }

    @Test func tabsBecomeSingleSpaces() {
        let out = DiagnosticRendererTests.render("\tx = 1 +\t* 2", SourceRange(9, 10))
        #expect(out.hasSuffix("1 |  x = 1 + * 2\n  |          ^\n"))
    }

    @Test func aRangeOverSeveralLinesIsUnderlinedToTheEndOfTheFirst() {
        let out = DiagnosticRendererTests.render("f(1,\n  2)", SourceRange(0, 9))
        #expect(out.hasSuffix("1 | f(1,\n  | ^^^^\n"))
    }

    @Test func anEmptyRangeGetsOneCaret() {
        let out = DiagnosticRendererTests.render("x = 1 +", SourceRange(7, 7))
        #expect(out.hasSuffix("1 | x = 1 +\n  |        ^\n"))
    }

    @Test func gutterWidensForLongLineNumbers() {
        let text = String(repeating: "\n", count: 99) + "oops"
        let out = DiagnosticRendererTests.render(text, SourceRange(99, 103))
        #expect(out == "error: bad\n   --> a.lt:100:1\n    |\n100 | oops\n    | ^^^^\n")
    }

    @Test func notesFollowTheCarets() {
        let out = DiagnosticRendererTests.render("lenght(x)", SourceRange(0, 6), notes: ["did you mean 'len'?"])
        #expect(out.hasSuffix("  | ^^^^^^\n  = did you mean 'len'?\n"))
    }

    @Test func aDiagnosticWithoutLocationIsOneLine() {
        #expect(DiagnosticRenderer.render(Diagnostic(.io, "no such file")) == "error: no such file\n")
    }

    @Test func aCellKeepsItsLineInTheNotebook() {
        let file = SourceFile(name: "nb.ltnb", text: "x = 1\ny = oops", firstLine: 12)
        let out = DiagnosticRenderer.render(Diagnostic(.name, "unknown name 'oops'", file: file, range: SourceRange(10, 14)))
        #expect(out.contains(" --> nb.ltnb:13:5\n"))
        #expect(out.contains("13 | y = oops\n"))
    }

    @Test func recursionFoldsIntoOneStackLine() {
        let interpreter = Interpreter(builtins: [])
        interpreter.maxCallDepth = 50
        let file = SourceFile(name: "r.lt", text: "fn down(n) { down(n + 1) }\ndown(0)")
        do {
            _ = try interpreter.evaluate(file)
            Issue.record("no error")
        } catch {
            #expect(DiagnosticRenderer.render(error) == """
                error: recursion too deep (more than 50 nested calls)
                 --> r.lt:1:14
                  |
                1 | fn down(n) { down(n + 1) }
                  |              ^^^^^^^^^^^
                  in fn down (r.lt:1:1)
                  ... repeated 49 more times

                """)
        }
    }
}
