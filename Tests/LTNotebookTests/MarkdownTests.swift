import Testing
@testable import LTNotebook

/// Prose rendering: Markdown through Ink, raw HTML always escaped, fences handled by ltnb.
@Suite struct MarkdownTests {
    func render(_ text: String) -> String {
        var ids = Set<String>()
        var headings: [MarkdownRenderer.Heading] = []
        return MarkdownRenderer.render(ProseScanner.scan(text, firstLine: 1), inline: { _ in "" }, reference: { _ in "" },
                                       headingIDs: &ids, headings: &headings)
    }

    @Test func escapesRawHTML() {
        let html = render("Hi <script>alert(1)</script> and <img src=x onerror=alert(1)> &<b>x</b>; ok\n\n# Next")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("<h1 id=\"sec-next\">Next</h1>"))
    }

    @Test func dropsHTMLComments() {
        let html = render("Shown <!-- hidden <script>x</script>\nstill `{ltnb} 1` @fig-x hidden --> after `<!-- kept -->`<!-- a --><!--\n\nb -->.")
        #expect(html == "<p>Shown after <code>&lt;!-- kept --&gt;</code></p>\n<p>.</p>", "\(html)")
        #expect(!html.contains("hidden") && !html.contains("!--&gt;") && html.contains("<code>&lt;!-- kept --&gt;</code>"))
        let pieces = ProseScanner.scan("a <!-- `{ltnb} x` @fig-y\n``` --> b `{ltnb} z`", firstLine: 1)
        #expect(pieces == [.markdown("a \n b "), .inline(code: "z", line: 2, column: 19)])
    }

    @Test func rendersTildeFencesAsEscapedCode() {
        let html = render("~~~python\nprint(\"<b>\")\n~~~\n")
        #expect(html.contains("<pre class=\"ltnb-prose-code\"><code class=\"language-python\">print(&quot;&lt;b&gt;&quot;)</code></pre>"))
        #expect(!html.contains("<p><pre"))
    }

    @Test func dropsUnsafeLinksAndLinkTitles() {
        let html = render("[a](javascript:alert(1)) [b](https://x.org \"T\") ![c](https://x.org/i.png)")
        #expect(!html.contains("<a href=\"javascript"))
        #expect(html.contains("&lt;a href=\"javascript:alert(1)\"&gt;a&lt;/a&gt;") || html.contains("&lt;a href=\"javascript:alert(1)\">a&lt;/a>"))
        #expect(html.contains("<a href=\"https://x.org\">b</a>"))
        #expect(!html.contains("<img"))
    }

    @Test func keepsMarkdownFormattingAndEntities() {
        let html = render("**bold** _em_ `a < b` &copy; | x |\n")
        #expect(html.contains("<strong>bold</strong>"))
        #expect(html.contains("<em>em</em>"))
        #expect(html.contains("<code>a &lt; b</code>"))
        #expect(html.contains("&copy;"))
    }

    @Test func highlightsWithEscaping() {
        let html = Highlighter.html("fn f(x) { \"<s>\" + 1 } # c")
        #expect(html.contains("<span class=\"tok-kw\">fn</span> <span class=\"tok-fn\">f</span>"))
        #expect(html.contains("<span class=\"tok-str\">&quot;&lt;s&gt;&quot;</span>"))
        #expect(html.contains("<span class=\"tok-num\">1</span>"))
        #expect(html.contains("<span class=\"tok-com\"># c</span>"))
    }
}

/// Cell source colouring comes from the language's lexer.
@Suite struct HighlighterTests {
    @Test func coloursInterpolationAsCode() {
        let html = Highlighter.html("s = \"a {x + 1} b\"")
        #expect(html == "s = <span class=\"tok-str\">&quot;a {</span>x + <span class=\"tok-num\">1</span><span class=\"tok-str\">} b&quot;</span>")
    }

    @Test func neverFailsOnTextTheLexerRejects() {
        let code = "x = 1\ny = \"open\nz = 2 # note\nw = 0x"
        let html = Highlighter.html(code)
        #expect(MarkdownRenderer.stripTags(html) == HTML.escape(code))
        #expect(html.contains("<span class=\"tok-com\"># note</span>"))
        #expect(html.hasPrefix("x = <span class=\"tok-num\">1</span>"))
    }

    @Test func numbersFollowTheLanguage() {
        #expect(Highlighter.html("1_000 + .5e-3") == "<span class=\"tok-num\">1_000</span> + <span class=\"tok-num\">.5e-3</span>")
    }
}
