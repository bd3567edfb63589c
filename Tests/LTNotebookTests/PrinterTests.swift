import Foundation
import Testing
@testable import LTNotebook

/// `NotebookPrinter.print(NotebookParser.parse(x)) == x`, byte for byte, for every notebook
/// in notebooks/ and for inputs chosen to lose information if the model dropped any.
@Suite struct PrinterTests {
    static let tricky: [(String, String)] = [
        ("empty", ""),
        ("one newline", "\n"),
        ("no trailing newline", "Prose.\n```ltnb\n1 + 1\n```"),
        ("cell at the very end without newline", "```ltnb\nx = 1\n```"),
        ("blank lines everywhere", "\n\n# H\n\n\n```ltnb\n\n\nx = 1\n\n\n```\n\n\n"),
        ("crlf", "---\r\ntitle: T\r\n---\r\n# H\r\n\r\n```ltnb\r\n#| label: a\r\nx = 1\r\n```\r\nDone `{ltnb} x`.\r\n"),
        ("mixed breaks", "# H\r\nprose\n```ltnb\r\nx = 1\n```\r\n"),
        ("lone cr", "a\rb\n```ltnb\n1\r\n```\n"),
        ("byte-order mark", "\u{FEFF}---\ntitle: T\n---\nText.\n"),
        ("trailing whitespace", "---  \ntitle: T   \n---\t\nProse.   \n```ltnb   \n#| echo: false   \nx = 1   \n```   \n"),
        ("tilde fences", "~~~ltnb\n1\n~~~\n~~~~{ltnb}\n2\n~~~~~\n~~~python\nnot a cell\n~~~\n"),
        ("braced fences with attributes", "```{ltnb}\n1\n```\n```{ltnb, echo=false}\n2\n```\n```` {ltnb} \n3\n````\n"),
        ("indented fences", "  ```ltnb\n  #| label: a\n  x = 1\n    y = 2\n z = 3\n  ```\n"),
        ("options in every style", "```ltnb\n#| label: fig-a\n#|caption: \"A: b\"\n  #| echo: false\n#| fig-width: 320\n#| cache: true\nline([1, 2], [[1, 2]])\n```\nSee @fig-a.\n"),
        ("multi-line option value", "```ltnb\n#| caption: >\n#|   a long\n#|   caption\nx = 1\n```\n"),
        ("inline expressions", "A `{ltnb} 1 + 1` and `` `{ltnb}` `` and ```{ltnb} 2``` here.\n"),
        ("prose code blocks", "````markdown\n```ltnb\nnot a cell\n```\n````\n\n    indented code\n"),
        ("front matter with params and comments", "---\n# a comment\ntitle: \"Q: x\"\nparams:\n  n: 1   # trailing\n  s: 'a'\n...\nText.\n"),
        ("only front matter", "---\ntitle: T\n---"),
        ("unicode", "# Ünïcødé ✓\n```ltnb\ns = \"→ λ 🙂\"\n```\n"),
        ("eval false with bad code", "```ltnb\n#| eval: false\nthis ( is not code\n```\n"),
    ]

    @Test(arguments: tricky.map(\.0))
    func roundTripsTrickyInputs(_ name: String) throws {
        let text = try #require(Self.tricky.first { $0.0 == name }?.1)
        let notebook = try NotebookParser.parse(text, path: "t.ltnb")
        let printed = NotebookPrinter.print(notebook)
        #expect(Array(printed.utf8) == Array(text.utf8), "\(name): printed \(printed.debugDescription)")
    }

    @Test func everyShippedNotebookRoundTrips() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("notebooks")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".ltnb") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let text = String(decoding: data, as: UTF8.self)
            let notebook = try NotebookParser.parse(text, path: name)
            #expect(Data(NotebookPrinter.print(notebook).utf8) == data, "\(name) does not round-trip")
        }
    }

    @Test func positionsSurviveCRLFAndIndentation() throws {
        let nb = try NotebookParser.parse("# H\r\n\r\n  ```ltnb\r\n  #| label: a\r\n  x = 1\r\n  ```\r\n", path: "t.ltnb")
        let cell = try #require(nb.cells.first)
        #expect(cell.fenceLine == 3)
        #expect(cell.code == "x = 1")
        #expect(cell.evaluatedCode == "\n  x = 1")
        #expect(nb.layout.lineBreaks == .crlf)
        #expect(cell.fence.indent == 2)
        #expect(cell.fence.closing == "  ```")
    }

    @Test func errorsInIndentedCellsPointAtTheFileColumn() throws {
        let nb = try NotebookParser.parse("  ```ltnb\n  x = 1\n    y = x + nope\n  ```\n", path: "t.ltnb")
        #expect(nb.cells[0].code == "x = 1\n  y = x + nope")
        let run = try NotebookRunner.run(nb, options: RunOptions())
        #expect(run.diagnostics.first?.contains("t.ltnb:3:13") == true, "\(run.diagnostics)")
    }

    @Test func optionErrorsPointAtTheKeyColumn() {
        do {
            _ = try NotebookParser.parse("""
                ```ltnb
                #| lable: a
                1
                ```
                ```ltnb
                  #|   colour: red
                1
                ```
                ```ltnb
                #|echo: maybe
                1
                ```
                """, path: "t.ltnb")
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.line) == [2, 6, 10])
            #expect(error.errors.map(\.column) == [4, 8, 3])
        }
    }

    @Test func frontMatterErrorsPointAtTheKey() {
        do {
            _ = try NotebookParser.parse("---\ntitel: T\nparams:\n  ok: 1\n  not-a-name: 2\n---\n", path: "t.ltnb")
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map { "\($0.line):\($0.column)" } == ["2:1", "5:3"])
        }
    }
}
