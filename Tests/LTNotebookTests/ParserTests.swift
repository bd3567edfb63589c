import Foundation
import LTLang
import Testing
@testable import LTNotebook

/// The `.ltnb` parser: front matter, fences, options, inline expressions, references, and
/// errors that point at file:line:col.
@Suite struct ParserTests {
    func parse(_ text: String) throws -> Notebook { try NotebookParser.parse(text, path: "nb.ltnb") }

    func errors(_ text: String) -> [NotebookError] {
        do { _ = try NotebookParser.parse(text, path: "nb.ltnb"); return [] } catch { return error.errors }
    }

    @Test func readsFrontMatterParamsAndSeed() throws {
        let nb = try parse("""
            ---
            title: "A: title"
            author: [A, B]
            params:
              imbalance: 100
              name: "100"
              on: true
            seed: 7
            cache: true
            ---
            Text.
            """)
        #expect(nb.frontMatter.title == "A: title")
        #expect(nb.frontMatter.authors == ["A", "B"])
        #expect(nb.frontMatter.seed == 7)
        #expect(nb.frontMatter.cache)
        #expect(nb.frontMatter.params.map(\.name) == ["imbalance", "name", "on"])
        #expect(nb.frontMatter.params.map(\.value.displayText) == ["100", "\"100\"", "true"])
    }

    @Test func acceptsEveryFenceStyleForCells() throws {
        let nb = try parse("""
            ```ltnb
            1
            ```
            ```{ltnb}
            2
            ```
            ~~~ltnb
            3
            ~~~
            ````{ltnb}
            4
            ````
            ```python
            not a cell
            ```
            """)
        #expect(nb.cells.map(\.code) == ["1", "2", "3", "4"])
        #expect(nb.cells.map(\.firstLine) == [2, 5, 8, 11])
    }

    @Test func readsOptionsAndBlanksTheirLines() throws {
        let nb = try parse("""
            ```ltnb
            #| label: fig-acc
            #| caption: "Accuracy: all"
            #| echo: false
            #| fig-width: 320
            x = 1
            ```
            """)
        let cell = try #require(nb.cells.first)
        #expect(cell.options.label == "fig-acc")
        #expect(cell.options.caption == "Accuracy: all")
        #expect(!cell.options.echo)
        #expect(cell.options.figWidth == 320)
        #expect(cell.code == "x = 1")
        #expect(cell.evaluatedCode == "\n\n\n\nx = 1")
    }

    @Test func reportsUnknownOptionsAndWrongTypesWithTheirLines() {
        let errs = errors("""
            Prose.

            ```ltnb
            #| echo: maybe
            #| lable: x
            1
            ```
            """)
        #expect(errs.count == 2)
        #expect(errs.map(\.line) == [4, 5])
        #expect(errs[0].message.contains("'echo' must be true or false"))
        #expect(errs[1].message.contains("unknown cell option 'lable'; did you mean 'label'?"))
    }

    @Test func reportsSyntaxErrorsInAnyCellAtTheFileLine() {
        let errs = errors("""
            ```ltnb
            x = 1
            ```

            ```ltnb
            y = (1 +
            ```
            """)
        #expect(errs.count == 1)
        #expect(errs[0].line == 6 || errs[0].line == 7)
        #expect(errs[0].description.contains("nb.ltnb:"))
    }

    @Test func findsInlineExpressionsWithTheirColumns() throws {
        let nb = try parse("Accuracy is `{ltnb} fmt(acc, digits: 3)` today.\n")
        guard case .prose(let prose) = nb.blocks[0] else { Issue.record("no prose"); return }
        #expect(prose.inlines.count == 1)
        #expect(prose.inlines[0].code == "fmt(acc, digits: 3)")
        #expect(prose.inlines[0].line == 1)
        #expect(prose.inlines[0].column == 21)
        let file = prose.inlines[0].sourceFile(name: "nb.ltnb")
        #expect(file.location(of: 20) == SourceLocation(line: 1, column: 21))
    }

    @Test func rejectsReferencesToUnknownLabelsAndDuplicateLabels() {
        let errs = errors("""
            See @fig-missing, but mail a@fig-x.org is fine.

            ```ltnb
            #| label: fig-a
            1
            ```
            ```ltnb
            #| label: fig-a
            2
            ```
            """)
        #expect(errs.map(\.line) == [1, 7])
        #expect(errs[0].message.contains("unknown label '@fig-missing'"))
        #expect(errs[0].column == 5)
        #expect(errs[1].message.contains("already used"))
    }

    @Test func rejectsLabelsSpelledLikeAutomaticAnchors() {
        let errs = errors("""
            ```ltnb
            #| label: cell-1
            1
            ```
            ```ltnb
            #| label: inline-0-2
            2
            ```
            ```ltnb
            #| label: cell-one
            3
            ```
            """)
        #expect(errs.map(\.line) == [2, 6])
        #expect(errs.allSatisfy { $0.message.contains("is reserved") })
    }

    @Test func reportsAnUnclosedCell() {
        let errs = errors("```ltnb\nx = 1\n")
        #expect(errs.first?.message.contains("never closed") == true)
    }
}
