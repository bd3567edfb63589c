import Testing
@testable import LTSweep

/// CSV read-back and the mean ± sd of cells.
@Suite struct AggregateTests {
    @Test func parsesQuotedCSV() throws {
        let t = try #require(RunTable.parseCSV("method,acc\n\"a, \"\"b\"\"\",0.5\nc,\n"))
        #expect(t.columns == ["method", "acc"])
        #expect(t.rows == [["a, \"b\"", "0.5"], ["c", ""]])
        #expect(RunTable.parseCSV("") == nil)
        #expect(RunTable.parseCSV("a,b\n1\n") == nil)  // ragged
    }

    @Test func meanAndSampleSD() {
        guard case .stats(let mean, let sd, let n) = SummaryCell.aggregate(["0.5", "0.6", "0.7"]) else {
            Issue.record("not numeric"); return
        }
        #expect(n == 3)
        #expect(abs(mean - 0.6) < 1e-12)
        #expect(abs(sd - 0.1) < 1e-12)
        #expect(SummaryCell.aggregate(["0.5", "0.6", "0.7"]).formatted(digits: 3) == "0.600 ± 0.100")
        #expect(SummaryCell.aggregate(["2"]).formatted(digits: 2) == "2")  // one run: as written
        #expect(SummaryCell.aggregate(["-0.0001", "0.0001"]).formatted(digits: 2) == "0.00 ± 0.00")
    }

    @Test func textCellsKeepAgreementAndShowDisagreement() {
        #expect(SummaryCell.aggregate(["LA", "LA"]) == .same("LA", n: 2))
        #expect(SummaryCell.aggregate(["1", "1", "1"]).formatted(digits: 3) == "1")
        #expect(SummaryCell.aggregate(["LA", "CE", "LA"]) == .text("LA / CE"))
        // One missing number makes the cell text: a mean over fewer runs would mislead.
        #expect(SummaryCell.aggregate(["0.5", ""]) == .text("0.5 / "))
        #expect(SummaryCell.aggregate(["nan", "0.5"]) == .text("nan / 0.5"))
    }

    @Test func groupsByRemainingAxesInGridOrder() throws {
        let axes = [SweepAxis(name: "seed", values: ["0", "1"]), SweepAxis(name: "loss", values: ["ce", "la"])]
        let points = try SweepGrid.points(axes)
        let plan = SweepPlan(ltnbVersion: "t", notebook: "/nb.ltnb", notebookSHA: "", axes: axes, over: "seed", points: points,
                             backend: .local, jobs: 1, slurmOptions: [], slurmJobID: nil, slurmVersion: nil, startedAt: nil, digits: 3, executable: "/ltnb")
        func table(_ acc: String) -> RunTable { RunTable(columns: ["m", "acc"], rows: [["x", acc]]) }
        // Given in finishing order, not grid order: the result must not care.
        let runs = [(points[3], table("0.8")), (points[0], table("0.5")), (points[2], table("0.6")), (points[1], table("0.7")),
                    (points[1], RunTable(columns: ["other"], rows: [["1"]]))]
        let s = try #require(SummaryTable.build(label: "tbl", plan: plan, tables: runs.map { ($0.0, $0.1) }))
        #expect(s.axes == ["loss"])
        #expect(s.groups.map(\.key) == [["ce"], ["la"]])
        #expect(s.groups[0].runs == ["seed-0_loss-ce", "seed-1_loss-ce"])
        #expect(s.groups[1].rows[0][1].formatted(digits: 2) == "0.75 ± 0.07")
        #expect(s.mismatched == ["seed-0_loss-la"])
    }
}
