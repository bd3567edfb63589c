import Foundation
import Testing
@testable import LTNotebook

/// Report decisions the golden file does not pin down on its own.
@Suite struct ReportTests {
    static let templates = ReportGoldenTests.templates

    func html(_ text: String, keepGoing: Bool = false) throws -> String {
        let nb = try NotebookParser.parse(text, path: "t.ltnb")
        var options = RunOptions()
        options.keepGoing = keepGoing
        let run = try NotebookRunner.run(nb, options: options)
        var settings = Report.Settings()
        settings.sourceDateEpoch = 0
        return try Report.html(run, templates: ReportTemplates(directory: Self.templates), settings: settings)
    }

    @Test func aHiddenCellThatFailsShowsItsErrorInPlace() throws {
        let page = try html("```ltnb\n#| include: false\nprint(\"secret\")\nnope\n```\n")
        #expect(page.contains("<section class=\"ltnb-cell ltnb-cell-failed\" id=\"cell-1\""))
        #expect(page.contains("error: unknown name &#39;nope&#39;"))
        #expect(!page.contains("secret"))
        #expect(page.contains("<a href=\"#cell-1\">cell-1</a>"))
    }

    @Test func hiddenCellsAreListedWithoutALink() throws {
        let page = try html("```ltnb\n#| include: false\nx = 1\n```\n")
        #expect(!page.contains("id=\"cell-1\""))
        #expect(page.contains("<tr><td>cell-1</td>"))
    }

    @Test func longInlineValuesAreCut() throws {
        let page = try html("---\noutput-max-bytes: 10\n---\nValue: `{ltnb} \"abcdefghijklmnop\"`.\n")
        #expect(page.contains("<span class=\"ltnb-inline\">abcdefghij</span><span class=\"ltnb-omitted\"> … 6 bytes not shown</span>"))
    }

    @Test func everyTableHasACaption() throws {
        let page = try html("```ltnb\n#| label: scores\nshow(table([{a: 1}]))\ntable([{b: 2}], caption: \"Mine\")\n```\n")
        #expect(page.contains("<table class=\"ltnb-table\">\n  <caption class=\"ltnb-sr-only\">Table from cell 1 (scores)</caption>"))
        #expect(page.contains("<caption>Mine</caption>"))
        #expect(!page.contains("Table 2 from cell 1"))
    }
}
