import Foundation
import Testing
@testable import LTNotebook

/// Capping a cell's text outputs in the report: head and tail kept, the middle replaced
/// by a note, the full text returned for the sidecar; figures and errors never cut.
@Suite struct OutputCapTests {
    func limits(lines: Int, bytes: Int = 1 << 20) -> OutputLimits {
        var l = OutputLimits()
        l.maxLines = lines
        l.maxBytes = bytes
        return l
    }

    let numbered = (1...10).map { "line \($0)\n" }.joined()

    @Test func leavesSmallOutputsAlone() {
        let outputs: [CellOutput] = [.text(numbered), .value("[1, 2]")]
        let (shown, full) = OutputCap.apply(outputs, limits: limits(lines: 11))
        #expect(shown == outputs.map(OutputCap.Shown.output))
        #expect(full == nil)
    }

    @Test func keepsHeadAndTailLines() {
        let (shown, full) = OutputCap.apply([.text(numbered)], limits: limits(lines: 4))
        #expect(shown == [.output(.text("line 1\nline 2\n")), .omitted(lines: 6, bytes: 42), .output(.text("line 9\nline 10\n"))])
        #expect(full == numbered)
    }

    @Test func cutsAcrossOutputsAndKeepsFiguresAndErrors() {
        let outputs: [CellOutput] = [
            .text("a\nb\n"), .figure(svg: "<svg/>"), .value("v1"), .text("c\nd\n"),
            .error(message: "m", rendered: "error: m\n"), .value("v2"),
        ]
        let (shown, full) = OutputCap.apply(outputs, limits: limits(lines: 3))
        #expect(shown == [
            .output(.text("a\nb\n")), .output(.figure(svg: "<svg/>")), .omitted(lines: 3, bytes: 6),
            .output(.error(message: "m", rendered: "error: m\n")), .output(.value("v2")),
        ])
        #expect(full == "a\nb\nv1\nc\nd\nv2\n")
    }

    @Test func cutsOneLongLineByBytesAtACharacter() {
        let long = String(repeating: "é", count: 100)  // 200 bytes
        let (shown, full) = OutputCap.apply([.value(long)], limits: limits(lines: 10, bytes: 21))
        #expect(shown == [.output(.value(String(repeating: "é", count: 5))), .omitted(lines: 0, bytes: 180),
                          .output(.value(String(repeating: "é", count: 5)))])
        #expect(full == long + "\n")
    }

    @Test func reportsCutsWithALinkToTheSidecar() throws {
        let text = "```ltnb\n#| label: big\n#| output-max-lines: 4\nfor i in range(100) { print(i) }\n```\n"
        let nb = try NotebookParser.parse(text, path: "big.ltnb")
        let run = try NotebookRunner.run(nb, options: RunOptions())
        var sidecars: [Report.Sidecar] = []
        let ctx = Report.cellContext(nb.cells[0], run.cells[0], labels: [:], sidecarFolder: "a b_files", sidecars: &sidecars)
        #expect(sidecars == [Report.Sidecar(path: "a b_files/big.txt", text: (0..<100).map { "\($0)\n" }.joined())])
        let outputs = try #require(ctx["outputs"] as? [[String: Any]])
        #expect(outputs.count == 3)
        #expect(outputs[0]["outText"] as? String == "0\n1\n")
        #expect(outputs[2]["outText"] as? String == "98\n99\n")
        let note = try #require(outputs[1]["outOmitted"] as? [String: Any])
        #expect(note["omittedWhat"] as? String == "96 lines (280 bytes)")
        #expect(note["omittedHref"] as? String == "./a%20b_files/big.txt")
        #expect(note["omittedFullSize"] as? String == "100 lines, 290 bytes")
    }

    @Test func validatesTheLimitOptions() {
        for bad in ["output-max-lines: 0", "output-max-bytes: 1.5", "output-max-lines: \"10\"", "output-max-lines: many"] {
            #expect(throws: NotebookErrors.self, "\(bad)") {
                try NotebookParser.parse("```ltnb\n#| \(bad)\n1\n```\n", path: "t.ltnb")
            }
        }
        #expect(throws: NotebookErrors.self) { try NotebookParser.parse("---\noutput-max-bytes: -1\n---\n", path: "t.ltnb") }
    }

    @Test func frontMatterSetsTheDefaultAndCellsOverrideIt() throws {
        let nb = try NotebookParser.parse("""
            ---
            output-max-lines: 50
            output-max-bytes: 1000
            ---
            ```ltnb
            1
            ```
            ```ltnb
            #| output-max-lines: 7
            2
            ```
            """, path: "t.ltnb")
        #expect(nb.cells[0].options.outputLimits == limits(lines: 50, bytes: 1000))
        #expect(nb.cells[1].options.outputLimits == limits(lines: 7, bytes: 1000))
        #expect(OutputLimits() == limits(lines: 400, bytes: 65_536))
    }

    @Test func formatsCountsWithoutTheLocale() {
        #expect(OutputCap.grouped(1_234_567) == "1,234,567")
        #expect(OutputCap.grouped(12) == "12")
        #expect(OutputCap.size(1) == "1 byte")
        #expect(OutputCap.size(65_536) == "64.0 KiB")
        #expect(OutputCap.size(3 * 1_048_576 / 2) == "1.5 MiB")
    }
}
