import Testing
@testable import LTPlot

/// Text output fits the width it was given, at every width and in every mode, and notes
/// about skipped data reach the reader.
@Suite struct LayoutTests {
    static func visibleWidth(_ line: Substring) -> Int {
        // Strip ANSI escapes before counting.
        var count = 0, inEscape = false
        for ch in line {
            if inEscape { if ch == "m" { inEscape = false }; continue }
            if ch == "\u{1B}" { inEscape = true; continue }
            count += 1
        }
        return count
    }

    @Test(arguments: [20, 33, 40, 57, 80, 100, 140])
    func everyLineFitsTheWidth(width: Int) throws {
        for (name, figure) in try SVGTests.figures() {
            for (ascii, color) in [(false, false), (true, false), (false, true)] {
                let text = figure.text(TextOptions(width: width, ascii: ascii, color: color))
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    #expect(LayoutTests.visibleWidth(line) <= width, "\(name) ascii=\(ascii) color=\(color): \(line)")
                }
            }
        }
    }

    @Test func heightIsRespectedForXYCharts() throws {
        for height in [12, 20, 30] {
            let text = try Fixtures.line().text(TextOptions(width: 60, height: height))
            #expect(text.split(separator: "\n").count == height)
        }
    }

    @Test func skippedPointsAreNoted() throws {
        let f = try Figure.line(x: [1, 2, 3, 4, 5], ys: [[1, .nan, 3, .infinity, -.infinity]])
        #expect(f.notes == ["skipped 3 non-finite points"])
        #expect(f.text().contains("note: skipped 3 non-finite points"))
        #expect(f.svg().contains("note: skipped 3 non-finite points"))
        guard case .line(let series) = f.marks else { Issue.record("not a line"); return }
        #expect(series[0].segments.map(\.count) == [1, 1], "a skipped point breaks the line")
    }

    @Test func histogramCountsEveryFiniteValue() throws {
        let f = try Figure.histogram(values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, .nan], bins: 5)
        guard case .histogram(let h) = f.marks else { Issue.record("not a histogram"); return }
        #expect(h.counts == [2, 2, 2, 2, 3])
        #expect(h.edges == [0, 2, 4, 6, 8, 10])
        #expect(f.notes == ["skipped 1 non-finite value"])
    }

    @Test func legendDefaultsFollowTheSeries() throws {
        let one = try Figure.line(x: [1, 2], ys: [[1, 2]])
        #expect(!one.svg().contains("series 1</text>"))
        let named = try Figure.line(x: [1, 2], ys: [[1, 2]], labels: ["acc"])
        #expect(named.svg().contains(">acc</text>"))
        var hidden = try Fixtures.line()
        hidden.options.legend = false
        #expect(!hidden.text().contains("train"))
    }
}

/// One-line descriptions for the REPL.
@Suite struct SummaryTests {
    @Test func figuresAndTablesDescribeThemselves() throws {
        #expect(try Fixtures.line().description == "<figure line: 2 series, 99 points>")
        #expect(try Fixtures.heatmap().description == "<figure heatmap: 4 x 4>")
        #expect(try Fixtures.histogram().description == "<figure histogram: 400 values, 24 bins>")
        #expect(try Fixtures.bar().description == "<figure bar: 3 categories, 3 series>")
        #expect(try Fixtures.results().description == "<table 3 x 6: Top-1 accuracy on ImageNet-LT>")
    }
}
