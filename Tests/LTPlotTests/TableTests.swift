import Foundation
import Testing
@testable import LTPlot

/// Tables: every format pinned by goldens, highlights as papers use them, escaping, and
/// saving by extension.
@Suite struct TableTests {
    @Test func resultsTableMatchesGoldens() throws {
        let t = try Fixtures.results()
        Golden.check(t.text(), "results.txt")
        Golden.check(t.text(ascii: true), "results-ascii.txt")
        Golden.check(t.text(color: true), "results-color.txt")
        Golden.check(t.markdown(), "results.md")
        Golden.check(t.latex(), "results.tex")
        Golden.check(t.html(), "results.html")
        Golden.check(t.csv(), "results.csv")
    }

    @Test func matrixTableMatchesGoldens() throws {
        let t = try Fixtures.matrix()
        Golden.check(t.text(), "matrix.txt")
        Golden.check(t.markdown(), "matrix.md")
        Golden.check(t.latex(), "matrix.tex")
        Golden.check(t.html(), "matrix.html")
        Golden.check(t.csv(), "matrix.csv")
    }

    @Test func columnsTableWithFormats() throws {
        let t = try Table(
            columns: [("model", ["CLIP", "OpenCLIP"]), ("acc", [0.7124, 0.7011]), ("n", [1000, 50]), ("ok", [true, false])],
            options: TableOptions(caption: "formats", formats: ["acc": .percent(1)], highlight: .max))
        Golden.check(t.text(), "formats.txt")
        Golden.check(t.markdown(), "formats.md")
        Golden.check(t.latex(), "formats.tex")
        Golden.check(t.html(), "formats.html")
        Golden.check(t.csv(), "formats.csv")
        #expect(t.markdown().contains("**71.2%**"))
        #expect(t.latex().contains("\\textbf{71.2\\%}"))
    }

    @Test func tiesAreAllBoldAtTheShownPrecision() throws {
        let t = try Table(columns: [("a", [0.7124, 0.7119, 0.5])], options: TableOptions(highlight: .max))
        #expect(t.html().components(separatedBy: "<strong>").count - 1 == 2)
        let min = try Table(columns: [("ece", [0.2, 0.1, .null])], options: TableOptions(highlight: .min))
        #expect(min.html().contains("<strong>0.100</strong>"))
        #expect(!min.html().contains("<strong>0.200</strong>"))
    }

    @Test func hostileStringsAreEscapedEverywhere() throws {
        let evil = "<script>alert('x')</script> & \"q\" | 50% $x_1^2$ {a} ~ \\ #"
        let t = try Table(columns: [(evil, [.string(evil)])], options: TableOptions(caption: evil))
        let html = t.html()
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"))
        let md = t.markdown()
        #expect(!md.contains("<script"))
        #expect(md.contains("\\|"))
        let tex = t.latex()
        for raw in ["50%", " $x", " & \"", " {a}", " # "] { #expect(!tex.contains(raw), "\(raw) in LaTeX") }
        #expect(tex.contains("50\\% \\$x\\_1\\textasciicircum{}2\\$ \\{a\\} \\textasciitilde{} \\textbackslash{} \\#"))
        #expect(t.csv().hasSuffix("\"<script>alert('x')</script> & \"\"q\"\" | 50% $x_1^2$ {a} ~ \\ #\"\n"))
    }

    @Test func csvQuotesPerRFC4180() throws {
        let t = try Table(columns: [("a,b", ["x\"y", "line\nbreak", "plain"]), ("n", [0.1, 1e-7, .null])])
        #expect(t.csv() == "\"a,b\",n\n\"x\"\"y\",0.1\n\"line\nbreak\",1e-07\nplain,\n")
    }

    @Test func nullsRenderAsDocumented() throws {
        let t = try Table(records: [[("a", 1), ("b", "x")], [("a", nil)]])
        #expect(t.rows[1] == [.null, .null], "missing fields become null")
        #expect(t.text().contains("—"))
        #expect(t.latex().contains("---"))
        #expect(t.csv() == "a,b\n1,x\n,\n")
    }

    @Test func saveChoosesTheFormatFromTheExtension() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltplot-table-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try Fixtures.results()
        for (ext, expected) in [("csv", t.csv()), ("md", t.markdown()), ("tex", t.latex()), ("html", t.html()), ("txt", t.text()), ("TEX", t.latex())] {
            let path = dir.appendingPathComponent("results.\(ext)").path
            try t.save(to: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == expected, "\(ext)")
        }
        #expect(throws: PlotError("cannot save a table as '.xlsx': use .csv, .md, .tex, .html or .txt")) {
            try t.save(to: dir.appendingPathComponent("results.xlsx").path)
        }
    }
}
