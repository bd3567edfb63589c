import Foundation
import Testing
@testable import LTPlot

/// SVG is valid, accessible, self-contained, escaped and deterministic.
@Suite struct SVGTests {
    static func figures() throws -> [(String, Figure)] {
        var all = try Fixtures.all()
        all.append(("hostile", try hostile()))
        all.append(("single point", try Figure.line(x: [1], ys: [[2]])))
        all.append(("constant", try Figure.scatter(x: [1, 2, 3], y: [5, 5, 5])))
        all.append(("huge", try Figure.line(x: [0, 1e-300, 1], ys: [[1e300, -1e300, 0]])))
        all.append(("one cell", try Figure.heatmap(matrix: [[3]])))
        all.append(("nan cells", try Figure.heatmap(matrix: [[1, .nan], [.nan, 2]], annotate: true)))
        all.append(("negative bars", try Figure.bar(categories: ["a", "b"], values: [[-1, 2]])))
        let big = Double.greatestFiniteMagnitude
        all.append(("extreme line", try Figure.line(x: [-big, big], ys: [[big, -big]])))
        all.append(("extreme hist", try Figure.histogram(values: [-big, 0, big])))
        all.append(("extreme bar", try Figure.bar(categories: ["a", "b"], values: [[-big, big]])))
        all.append(("extreme heatmap", try Figure.heatmap(matrix: [[-big, big]], annotate: true, colorMap: .diverging)))
        var toggled = try Figure.line(x: [0, 1], ys: [[0, 1]])
        toggled.options.logx = true
        toggled.options.logy = true
        all.append(("log toggled after validation", toggled))
        all.append(("empty bins", try Figure.histogram(values: [1, 1, 1, 9], bins: 8, options: FigureOptions(logy: true))))
        return all
    }

    static func hostile() throws -> Figure {
        let evil = "<script>alert('x')</script> & \"q\""
        return try Figure.line(
            x: [1, 2, 3], ys: [[1, 2, 3]], labels: [evil],
            options: FigureOptions(title: evil, xlabel: "a < b", ylabel: "p & q"))
    }

    @Test func everySVGParsesAsXML() throws {
        for (name, figure) in try SVGTests.figures() {
            let svg = figure.svg()
            let parsed = XML.parse(svg)
            #expect(parsed.error == nil, "\(name): \(parsed.error ?? "")")
            #expect(parsed.elements.first == "svg", "\(name) root")
            #expect(parsed.elements.dropFirst().first == "title", "\(name) title first")
            #expect(parsed.elements.dropFirst(2).first == "desc", "\(name) desc second")
        }
    }

    @Test func svgIsSelfContainedAndAccessible() throws {
        for (name, figure) in try SVGTests.figures() {
            let svg = figure.svg()
            #expect(svg.contains("role=\"img\""), "\(name)")
            for banned in ["<script", "<style", "<image", "href", "@import", "url(", " id=\"", "<foreignObject"] {
                #expect(!svg.contains(banned), "\(name) contains \(banned)")
            }
        }
    }

    @Test func coordinatesAreShortAndStable() throws {
        // Attribute values only: text such as "1.798e308" may legitimately hold digits.
        let attribute = try Regex(#"="([^"]*)""#)
        let bad = try Regex(#"(^|[^0-9.e])-0(?![0-9.])|nan|inf|\d\.\d{3,}"#)
        for (name, figure) in try SVGTests.figures() {
            for match in figure.svg().matches(of: attribute) {
                let value = String(match.output[1].substring ?? "")
                guard !value.contains("system-ui") else { continue }
                #expect(value.firstMatch(of: bad) == nil, "\(name): \(value.prefix(80))")
            }
        }
    }

    @Test func hostileTextIsEscaped() throws {
        let svg = try SVGTests.hostile().svg()
        #expect(!svg.contains("<script"))
        #expect(svg.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;"))
        #expect(svg.contains("a &lt; b"))
        #expect(XML.parse(svg).error == nil)
    }

    @Test func renderingIsDeterministic() throws {
        for (name, _) in try SVGTests.figures() {
            let a = try SVGTests.figures().first { $0.0 == name }?.1
            let b = try SVGTests.figures().first { $0.0 == name }?.1
            #expect(a?.svg() == b?.svg(), "\(name) svg")
            #expect(a?.text() == b?.text(), "\(name) text")
        }
    }

    @Test func descSummarisesTheData() throws {
        let svg = try Fixtures.line().svg()
        #expect(svg.contains("<desc>Line chart with 2 series: train (50 points, x 0 to 49, y 0.3 to 0.899)"))
        #expect(svg.contains("Note: skipped 1 non-finite point."))
        #expect(try Fixtures.heatmap().summary.hasPrefix("Heatmap of 4 rows by 4 columns, values 0 to 0.91"))
    }

    @Test func sizeOptionsSetThePixels() throws {
        var f = try Fixtures.line()
        f.options.svgWidth = 320
        f.options.svgHeight = 200
        #expect(f.svg().hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\" viewBox=\"0 0 320 200\""))
    }

    @Test func saveSVGWritesAtomically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltplot-svg-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("fig.svg").path
        let f = try Fixtures.bar()
        try f.saveSVG(to: path)
        try f.saveSVG(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == f.svg())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["fig.svg"])
        #expect(throws: PlotError.self) { try f.saveSVG(to: dir.appendingPathComponent("missing/fig.svg").path) }
    }
}
