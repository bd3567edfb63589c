import Foundation
import Testing

/// `ltnb sweep` end to end with the local backend: real worker processes of the built
/// binary over a 3 x 2 grid, the summary's bytes across job orders, a failing point,
/// resuming, Ctrl-C, and bad input that runs nothing. (The Slurm backend meets a real
/// slurmctld in scripts/slurm-test.sh.)
@Suite(.serialized) struct SweepTests {
    typealias Folder = NotebookTests.Folder

    /// A labelled table whose numbers depend on both axes, plus an unlabelled output.
    static let notebook = """
        ---
        title: Sweep test
        params:
          seed: 0
          loss: ce
        ---

        ```ltnb
        #| label: tbl-acc
        #| caption: Accuracy
        base = 0.5 + seed / 100
        bonus = if loss == "la" { 0.1 } else if loss == "bad" { error("loss 'bad' is not a loss") } else { 0 }
        table([{method: loss, overall: base + bonus, few: base + bonus / 2 - 0.3, k: 7}])
        ```

        ```ltnb
        print("seed", seed, "loss", loss)
        ```
        """

    static let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]

    func sweep(_ f: Folder, _ args: [String], env: [String: String] = epoch) throws -> LtnbProcess.Result {
        try LtnbProcess.run(["sweep", f.path("nb.ltnb")] + args, environment: env)
    }

    @Test func localGridEndToEndIsByteIdenticalAcrossJobOrders() throws {
        let f = try Folder(["nb.ltnb": Self.notebook])
        defer { f.cleanup() }
        let grid = ["-p", "seed=0..2", "-p", "loss=ce,la", "--jobs", "2"]
        let a = try sweep(f, grid + ["-o", f.path("a")])
        #expect(a.status == 0, "\(a.stderr)")
        let b = try sweep(f, grid + ["-o", f.path("b"), "--reverse-order"])
        #expect(b.status == 0, "\(b.stderr)")
        for name in ["index.html", "summary.csv", "summary.tex"] {
            let x = try #require(f.read("a/\(name)")), y = try #require(f.read("b/\(name)"))
            #expect(x == y, "\(name) differs between job orders")
        }
        // Every point ran as an ordinary `ltnb run`: report, exported table, record.
        for seed in 0...2 {
            for loss in ["ce", "la"] {
                let run = "a/runs/seed-\(seed)_loss-\(loss)"
                #expect(f.exists("\(run)/nb.html"))
                #expect(f.read("\(run)/tables/tbl-acc.csv")?.hasPrefix("method,overall,few,k\n") == true)
                #expect(f.read("\(run)/record.json")?.contains("\"status\" : 0") == true)
                #expect(f.read("\(run)/nb.html")?.contains("seed \(seed) loss \(loss)") == true)
            }
        }
        let html = try #require(f.read("a/index.html"))
        #expect(html.contains("Content-Security-Policy"))
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("0.510 ± 0.010"))   // overall, ce: 0.50, 0.51, 0.52
        #expect(html.contains("0.610 ± 0.010"))   // overall, la
        #expect(html.contains("<td>7</td>"))       // the same in every run: shown as written
        #expect(html.contains("href=\"./runs/seed-1_loss-la/nb.html\""))
        #expect(html.contains("6 points: 6 succeeded"))
        #expect(html.contains("<code>seed = 0, 1, 2</code>"))
        #expect(html.contains("local, 2 workers"))
        #expect(!html.contains("Wall time"))  // SOURCE_DATE_EPOCH: no wall-clock data
        let csv = try #require(f.read("a/summary.csv"))
        #expect(csv.hasPrefix("table,loss,row,column,n,mean,sd\n"))
        #expect(csv.contains("\ntbl-acc,la,la,overall,3,0.61"))
        #expect(csv.contains("\ntbl-acc,la,la,k,3,7.0,0.0\n"))
        #expect(try #require(f.read("a/summary.tex")).contains("0.510 $\\pm$ 0.010"))
        try NotebookTests().validateHTML(f.path("a"))  // StrictHTML, and the Nu checker where installed
    }

    @Test func failingPointIsListedAndTheRestSummarised() throws {
        let f = try Folder(["nb.ltnb": Self.notebook])
        defer { f.cleanup() }
        let r = try sweep(f, ["-p", "seed=0,1", "-p", "loss=ce,bad", "-o", f.path("s"), "--jobs", "2"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("failed seed-0_loss-bad (exit 1)"))
        let html = try #require(f.read("s/index.html"))
        #expect(html.contains("Failed points"))
        #expect(html.contains("failed (exit 1)"))
        #expect(html.contains("nb.ltnb:"))
        #expect(html.contains("loss &#39;bad&#39; is not a loss") || html.contains("loss &#x27;bad&#x27; is not a loss"))
        #expect(html.contains("0.505 ± 0.007"))  // ce over seeds 0, 1
        #expect(html.contains("4 points: 2 succeeded, 2 failed"))
        // The failed run still has its report, showing the error in place.
        #expect(f.exists("s/runs/seed-1_loss-bad/nb.html"))
        #expect(StrictHTML.check(html) == [])
    }

    @Test func rerunSkipsCurrentPointsAndRedoesStaleOnes() throws {
        let f = try Folder(["nb.ltnb": Self.notebook])
        defer { f.cleanup() }
        let args = ["-p", "seed=0,1", "-p", "loss=ce", "-o", f.path("s"), "--jobs", "2"]
        #expect(try sweep(f, args).status == 0)
        let first = try #require(f.read("s/index.html"))
        let reportPath = f.path("s/runs/seed-0_loss-ce/nb.html")
        let before = try FileManager.default.attributesOfItem(atPath: reportPath)[.modificationDate] as? Date
        usleep(20_000)
        let again = try sweep(f, args)
        #expect(again.status == 0)
        #expect(again.stderr.contains("2 of 2 points are current; running 0"))
        #expect(try FileManager.default.attributesOfItem(atPath: reportPath)[.modificationDate] as? Date == before)
        #expect(f.read("s/index.html") == first)
        // A lost record makes that point stale; so does an edited notebook (all points).
        try FileManager.default.removeItem(atPath: f.path("s/runs/seed-1_loss-ce/record.json"))
        #expect(try sweep(f, args).stderr.contains("1 of 2 points are current; running 1"))
        try f.write("nb.ltnb", Self.notebook + "\nMore prose.\n")
        let edited = try sweep(f, args)
        #expect(edited.status == 0)
        #expect(!edited.stderr.contains("points are current"))
    }

    @Test func ctrlCStopsWorkersAndKeepsFinishedRuns() throws {
        // seed 0 is quick; other seeds spin until they are stopped.
        let slow = Self.notebook.replacingOccurrences(
            of: "base = 0.5 + seed / 100",
            with: "n = 0\nwhile seed > 0 and n < 1000000000 { n += 1 }\nbase = 0.5 + seed / 100")
        let f = try Folder(["nb.ltnb": slow])
        defer { f.cleanup() }
        let p = Process()
        p.executableURL = LtnbProcess.binary
        p.arguments = ["sweep", f.path("nb.ltnb"), "-p", "seed=0..2", "-o", f.path("s"), "--jobs", "2"]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let done = Date().addingTimeInterval(60)
        while !f.exists("s/runs/seed-0/exit-code") && Date() < done { usleep(50_000) }
        #expect(f.exists("s/runs/seed-0/exit-code"))
        usleep(200_000)
        kill(p.processIdentifier, SIGINT)
        let stopped = Date()
        p.waitUntilExit()
        #expect(Date().timeIntervalSince(stopped) < 10)
        #expect(p.terminationStatus == 130)
        #expect(f.exists("s/runs/seed-0/nb.html"))
        #expect(!f.exists("s/runs/seed-1/exit-code"))
        #expect(!f.exists("s/runs/seed-1/nb.html"))
        #expect(!f.exists("s/index.html"))
        // No worker outlives the sweep: the workers' logs stop growing.
        let size = { (try? FileManager.default.attributesOfItem(atPath: f.path("s/logs/seed-1.log"))[.size] as? Int) ?? -1 }
        #expect(size() == size())
    }

    @Test func badInputRunsAndSubmitsNothing() throws {
        let f = try Folder(["nb.ltnb": Self.notebook, "syntax.ltnb": "```ltnb\n(1 +\n```\n"])
        defer { f.cleanup() }
        let cases: [([String], String)] = [
            (["-p", "sed=0,1", "-o", f.path("x")], "no param named 'sed'; did you mean 'seed'?"),
            (["-o", f.path("x")], "empty grid"),
            (["-p", "seed=0,0", "-o", f.path("x")], "given twice"),
            (["-p", "seed=2..1", "-o", f.path("x")], "range is empty"),
            (["-p", "seed=0,1", "-o", f.path("x"), "--over", "loss"], "--over loss: not an axis"),
            (["-p", "seed=0,1"], "-o DIR is required"),
            (["-p", "seed=0,1", "-o", f.path("x"), "--backend", "pbs"], "--backend must be local or slurm"),
            (["-p", "seed=0,1", "-o", f.path("x"), "--no-wait"], "--no-wait only applies"),
            (["-p", "seed=0,1", "-o", f.path("x"), "--jobs", "0"], "--jobs must be at least 1"),
        ]
        for (args, message) in cases {
            let r = try sweep(f, args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(!f.exists("x"), "\(args) created the sweep folder")
        }
        let syntax = try LtnbProcess.run(["sweep", f.path("syntax.ltnb"), "-p", "a=1", "-o", f.path("x")])
        #expect(syntax.status == 2)
        #expect(!f.exists("x"))
        // No sbatch on PATH: a usage error before anything is written or submitted.
        let slurm = try sweep(f, ["-p", "seed=0,1", "-o", f.path("x"), "--backend", "slurm"], env: ["PATH": "/nonexistent"])
        #expect(slurm.status == 2)
        #expect(slurm.stderr.contains("'sbatch' is not on PATH"))
        #expect(!f.exists("x"))
        #expect(try LtnbProcess.run(["sweep", "--collect", f.path("nowhere")]).status == 2)
    }
}

/// The local backend on a terminal: a redrawn progress line, and a typed Ctrl-C (SIGINT
/// to the whole foreground process group, workers included).
@Suite(.serialized) struct SweepTerminalTests {
    @Test func progressLineAndTypedCtrlC() throws {
        let slow = SweepTests.notebook.replacingOccurrences(
            of: "base = 0.5 + seed / 100",
            with: "n = 0\nwhile seed > 0 and n < 1000000000 { n += 1 }\nbase = 0.5 + seed / 100")
        let f = try NotebookTests.Folder(["nb.ltnb": slow])
        defer { f.cleanup() }
        let env = ["TERM": "xterm", "LANG": "C.UTF-8", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let t = try PseudoTerminal(arguments: ["sweep", f.path("nb.ltnb"), "-p", "seed=0..2", "-o", f.path("s"), "--jobs", "2"],
                                   environment: env, directory: f.url.path)
        try t.waitFor("seed-0 done")
        #expect(t.transcript.contains("[1/3]"))
        #expect(!t.transcript.contains("ok     seed-0"))  // not the line-per-point format
        usleep(300_000)
        t.send("\u{03}")
        try t.waitFor("interrupted: 1 of 3 points finished")
        #expect(t.waitForExit(timeout: 20) == 130)
        #expect(f.exists("s/runs/seed-0/nb.html"))
        #expect(!f.exists("s/runs/seed-1/exit-code"))
        #expect(!f.exists("s/runs/seed-2/exit-code"))
        #expect(!f.exists("s/index.html"))
    }
}
