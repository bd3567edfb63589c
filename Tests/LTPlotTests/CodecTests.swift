import Testing
@testable import LTPlot

/// The figure and table codecs behind the notebook cache: a restored figure renders
/// byte-identical SVG and text, a restored table every format; corrupt or truncated bytes
/// are always an error or a figure the renderers draw without crashing.
@Suite struct CodecTests {
    func figures() throws -> [(String, Figure)] {
        var sized = try Fixtures.bar()
        sized.options.width = 50
        sized.options.height = 12
        sized.options.svgWidth = 500
        sized.options.legend = false
        let single = try Figure.line(ys: [[1, .nan, 3, 2]], labels: ["only"])
        return try Fixtures.all() + [("sized bar", sized), ("named single line", single)]
    }

    func tables() throws -> [Table] {
        let formats = try Table(
            columns: [("model", ["CLIP", "OpenCLIP"]), ("acc", [0.7124, 0.7011]), ("n", [1000, 50]),
                      ("ok", [true, false]), ("x", [.null, -0.0])],
            options: TableOptions(caption: "formats", digits: 4, columnDigits: ["n": 1, "acc": 2],
                                  formats: ["acc": .percent(1), "x": .scientific(2), "n": .fixed(0)],
                                  highlight: .max, columnHighlight: ["x": .min, "n": .min], rowHeader: false))
        return [try Fixtures.results(), try Fixtures.matrix(), formats]
    }

    @Test func figuresRenderIdenticallyAfterARoundTrip() throws {
        for (name, figure) in try figures() {
            let back = try Figure(encoded: figure.encoded())
            #expect(back == figure, "\(name)")
            #expect(back.svg() == figure.svg(), "\(name)")
            #expect(back.text() == figure.text(), "\(name)")
            #expect(back.text(TextOptions(width: 60, ascii: true)) == figure.text(TextOptions(width: 60, ascii: true)), "\(name)")
            #expect(back.encoded() == figure.encoded(), "\(name)")
        }
    }

    @Test func tablesRenderIdenticallyAfterARoundTrip() throws {
        for table in try tables() {
            let back = try Table(encoded: table.encoded())
            #expect(back == table)
            for format in TableFormat.allCases { #expect(back.render(format) == table.render(format)) }
            #expect(back.text(color: true) == table.text(color: true))
            #expect(back.encoded() == table.encoded())
        }
    }

    @Test func theHeaderNamesKindAndVersion() throws {
        let figure = try Fixtures.bar().encoded()
        #expect(throws: PlotError("corrupt table data at byte 4 of \(figure.count): holds kind 1, not a table (2)")) {
            _ = try Table(encoded: figure)
        }
        var future = figure
        future[5] = Figure.codecVersion + 1
        #expect(throws: PlotError.self) { _ = try Figure(encoded: future) }
    }

    /// Every truncation is an error; every flipped byte is an error or a figure that still
    /// renders (a flipped value or label is a valid, different figure).
    @Test func truncatedOrFlippedFiguresNeverCrash() throws {
        for (_, figure) in try figures() {
            let bytes = figure.encoded()
            // Every length for small figures; decoding is linear, so larger ones take a sample.
            for n in stride(from: 0, to: bytes.count, by: bytes.count < 1500 ? 1 : 7) {
                #expect(throws: PlotError.self) { _ = try Figure(encoded: Array(bytes[0..<n])) }
            }
            for i in stride(from: 0, to: bytes.count, by: bytes.count < 1500 ? 1 : 5) {
                var flipped = bytes
                flipped[i] ^= i % 2 == 0 ? 0xFF : 0x10
                guard let f = try? Figure(encoded: flipped) else { continue }
                _ = f.svg()
                _ = f.text()
            }
        }
    }

    @Test func truncatedOrFlippedTablesNeverCrash() throws {
        for table in try tables() {
            let bytes = table.encoded()
            for n in 0..<bytes.count {
                #expect(throws: PlotError.self) { _ = try Table(encoded: Array(bytes[0..<n])) }
            }
            for i in 0..<bytes.count {
                var flipped = bytes
                flipped[i] ^= 0x41
                guard let t = try? Table(encoded: flipped) else { continue }
                for format in TableFormat.allCases { _ = t.render(format) }
            }
        }
    }
}
