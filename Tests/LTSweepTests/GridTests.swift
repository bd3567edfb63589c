import Testing
@testable import LTSweep

/// `-p` specs and the cartesian grid: lists, ranges, folder names, and every bad input.
@Suite struct GridTests {
    @Test func listsAndRanges() throws {
        #expect(try SweepGrid.parseAxis("loss=ce,la").values == ["ce", "la"])
        #expect(try SweepGrid.parseAxis("epochs=10..30:10").values == ["10", "20", "30"])
        #expect(try SweepGrid.parseAxis("seed=0..2").values == ["0", "1", "2"])
        #expect(try SweepGrid.parseAxis("tau=0.1..0.3:0.1").values == ["0.1", "0.2", "0.3"])
        #expect(try SweepGrid.parseAxis("x=-1..1").values == ["-1", "0", "1"])
        #expect(try SweepGrid.parseAxis("n=1,5..7:2,100").values == ["1", "5", "7", "100"])
        // Not numbers on both sides: a literal value that happens to hold "..".
        #expect(try SweepGrid.parseAxis("path=a..b").values == ["a..b"])
        #expect(try SweepGrid.parseAxis("s=x=y").values == ["x=y"])
    }

    @Test func badSpecsAreUsageErrors() {
        for bad in ["seed", "=1", "1x=2", "seed=", "seed=1,,2", "seed=1,1", "seed=3..1", "seed=0..5:0", "seed=0..5:-1", "seed=0..5:z"] {
            #expect(throws: SweepError.self, "\(bad)") { try SweepGrid.parseAxis(bad) }
        }
        #expect(throws: SweepError.self) { try SweepGrid.points([]) }
        #expect(throws: SweepError.self) {
            try SweepGrid.points([SweepAxis(name: "a", values: ["1"]), SweepAxis(name: "a", values: ["2"])])
        }
        #expect(throws: SweepError.self) { try SweepGrid.parseAxis("n=0..1000000") }
    }

    @Test func cartesianOrderFirstAxisSlowest() throws {
        let points = try SweepGrid.points([SweepAxis(name: "seed", values: ["0", "1", "2"]), SweepAxis(name: "loss", values: ["ce", "la"])])
        #expect(points.map(\.name) == ["seed-0_loss-ce", "seed-0_loss-la", "seed-1_loss-ce", "seed-1_loss-la", "seed-2_loss-ce", "seed-2_loss-la"])
        #expect(points.map(\.index) == Array(0..<6))
        #expect(points[3].params == [.init(name: "seed", value: "1"), .init(name: "loss", value: "la")])
        #expect(points[3].value(of: "loss") == "la")
    }

    @Test func folderNamesAreSafeAndDistinct() throws {
        let points = try SweepGrid.points([SweepAxis(name: "name", values: ["a b", "a/b", "../x", "ok"])])
        #expect(points.map(\.name) == ["name-a~b", "name-a~b~2", "name-..~x", "name-ok"])
        for p in points { #expect(!p.name.contains("/")) }
    }
}
