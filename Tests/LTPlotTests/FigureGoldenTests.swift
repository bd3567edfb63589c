import Testing
@testable import LTPlot

/// Every kind rendered as Unicode and ASCII text at widths 40 and 100, and as SVG, pinned
/// by golden files.
@Suite struct FigureGoldenTests {
    @Test(arguments: [40, 100])
    func unicodeTextMatchesGolden(width: Int) throws {
        for (name, figure) in try Fixtures.all() {
            Golden.check(figure.text(TextOptions(width: width)), "\(name)-w\(width).txt")
        }
    }

    @Test(arguments: [40, 100])
    func asciiTextMatchesGolden(width: Int) throws {
        for (name, figure) in try Fixtures.all() {
            let text = figure.text(TextOptions(width: width, ascii: true))
            Golden.check(text, "\(name)-w\(width)-ascii.txt")
            #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(name) ASCII output has non-ASCII characters")
        }
    }

    @Test func colorTextMatchesGolden() throws {
        Golden.check(try Fixtures.line().text(TextOptions(width: 60, color: true)), "line-w60-color.txt")
        Golden.check(try Fixtures.heatmap().text(TextOptions(width: 60, color: true)), "heatmap-w60-color.txt")
        Golden.check(try Fixtures.bar().text(TextOptions(width: 60, color: true)), "bar-w60-color.txt")
    }

    @Test func svgMatchesGolden() throws {
        for (name, figure) in try Fixtures.all() {
            Golden.check(figure.svg(), "\(name).svg")
        }
    }

    @Test func svgAtOtherSizesMatchesGolden() throws {
        var small = try Fixtures.bar()
        small.options.svgWidth = 400
        small.options.svgHeight = 260
        Golden.check(small.svg(), "bar-400x260.svg")
        var wide = try Fixtures.heatmap()
        wide.options.svgWidth = 1000
        Golden.check(wide.svg(), "heatmap-1000.svg")
    }
}
