import Foundation
import Testing

/// The fallback validator must catch what it claims to, or the reports' validity tests
/// would pass vacuously on machines without the Nu checker.
@Suite struct StrictHTMLTests {
    func page(_ body: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>t &amp; u</title>\n<style>\na > b { }\n</style>\n</head>\n<body>\n\(body)\n</body>\n</html>\n"
    }

    @Test func acceptsWellFormedReports() {
        let ok = page("""
            <h1 id="a">A &lt;b&gt; &#39;c&#39; &nbsp;</h1><p>text <a href="#a">link</a><br></p>
            <figure><svg viewBox="0 0 1 1"><title>t</title><line x1="0"/></svg><figcaption>c</figcaption></figure>
            <table><caption>c</caption><thead><tr><th scope="col">x</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
            """)
        #expect(StrictHTML.check(ok) == [])
    }

    @Test(arguments: [
        ("<p>a <pre>b</pre></p>", "<pre> inside <p>"),
        ("<div><span></div></span>", "closes nothing"),
        ("<div>", "unclosed elements"),
        ("<p id=\"x\">a</p><p id=\"x\">b</p>", "duplicate id 'x'"),
        ("<p class=\"a\" class=\"b\">a</p>", "duplicate attribute"),
        ("<a href=\"#nowhere\">a</a>", "link to '#nowhere'"),
        ("<p>1 < 2</p>", "does not start a tag"),
        ("<p>a &amp b</p>", "without ';'"),
        ("<div/>", "self-closing <div/>"),
        ("<script>alert(1)</script>", "forbidden element <script>"),
        ("<p onclick=\"x()\">a</p>", "event-handler attribute"),
        ("<a href=\"javascript:alert(1)\">a</a>", "script URL"),
        ("<img src=\"https://x.org/a.png\" alt=\"\">", "external resource"),
        ("<p class=a>x</p>", "unquoted value"),
        ("<br></br>", "end tag for void element"),
        ("<p>a\u{1}b</p>", "forbidden code point U+1"),
        ("<p>a\u{85}b</p>", "forbidden code point U+85"),
    ])
    func rejects(_ body: String, _ expected: String) {
        let problems = StrictHTML.check(page(body))
        #expect(problems.contains { $0.contains(expected) }, "\(body): \(problems)")
    }

    @Test func rejectsAMissingDoctype() {
        #expect(StrictHTML.check("<html></html>").contains { $0.contains("DOCTYPE") })
    }

    /// The golden report of LTNotebookTests passes too.
    @Test func theGoldenReportPasses() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("LTNotebookTests/Golden/report.html")
        let html = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        #expect(StrictHTML.check(html) == [])
    }
}
