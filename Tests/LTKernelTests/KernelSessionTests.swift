import Foundation
import LTLang
@testable import LTKernel
import Testing

/// The kernel's language side without sockets: what each request answers.
@Suite struct KernelSessionTests {
    final class Published { var outputs: [KernelSession.Output] = [] }

    func session() -> (KernelSession, Published) {
        let p = Published()
        return (KernelSession { p.outputs.append($0) }, p)
    }

    @Test func executeStreamsPrintsAndReturnsTheValue() {
        let (s, p) = session()
        let (count, outcome) = s.execute("x = 20\nprint(\"x is\", x)\nx + 1")
        #expect(count == 1)
        guard case .ok = outcome else { Issue.record("\(outcome)"); return }
        guard p.outputs.count == 2, case .stream(let name, let text) = p.outputs[0],
              case .executeResult(let data) = p.outputs[1] else { Issue.record("\(p.outputs)"); return }
        #expect(name == "stdout" && text == "x is 20\n")
        #expect(data.string("text/plain") == "21")
    }

    @Test func figuresAndTablesAreRichBundles() {
        let (s, p) = session()
        _ = s.execute("show(bar([\"a\", \"b\"], [2, 1])); table([{m: \"clip\", acc: 0.5}])")
        guard p.outputs.count == 2, case .displayData(let fig) = p.outputs[0], case .executeResult(let tab) = p.outputs[1]
        else { Issue.record("\(p.outputs)"); return }
        #expect(fig.string("image/svg+xml")?.hasPrefix("<svg") == true)
        #expect(fig.string("text/plain")?.isEmpty == false)
        #expect(tab.string("text/html")?.contains("<table") == true)
        #expect(tab.string("text/markdown")?.contains("| clip") == true)
        #expect(tab.string("text/plain")?.contains("clip") == true)
    }

    @Test func aFigureValueIsDisplayDataNotAResult() {
        let (s, p) = session()
        _ = s.execute("hist([1, 2, 2, 3])")
        guard p.outputs.count == 1, case .displayData(let data) = p.outputs[0] else { Issue.record("\(p.outputs)"); return }
        #expect(data.string("image/svg+xml") != nil)
        #expect(s.history.last?.output.isEmpty == false)
    }

    @Test func errorsKeepBindingsAndCarryTheCaret() {
        let (s, p) = session()
        _ = s.execute("a = 5")
        let (_, outcome) = s.execute("b = [1, 2][a]")
        guard case .error(let ename, let evalue, let traceback) = outcome else { Issue.record("no error"); return }
        #expect(ename == "IndexError")
        #expect(!evalue.isEmpty)
        #expect(traceback.contains { $0.contains("^") })
        #expect(traceback.contains { $0.contains("<cell 2>:1:") })
        #expect(traceback.joined().contains("\u{1B}["))
        guard case .error = p.outputs.last else { Issue.record("no error output"); return }
        _ = s.execute("a + 1")
        guard case .executeResult(let data)? = p.outputs.last else { Issue.record("no result"); return }
        #expect(data.string("text/plain") == "6")
    }

    @Test func silentPublishesNothingAndDoesNotCount() {
        let (s, p) = session()
        let (count, _) = s.execute("print(1); 2", silent: true)
        #expect(p.outputs.isEmpty)
        #expect(s.executionCount == 0 && count == 1)
        _ = s.execute("3", storeHistory: false)
        #expect(s.executionCount == 0)
        #expect(p.outputs.count == 1)
        _ = s.execute("4")
        #expect(s.executionCount == 1)
        #expect(s.history.map(\.input) == ["4"])
    }

    // Interrupts (interrupt_request, SIGINT, mid-finetune) are tested against the real
    // kernel in Tests/jupyter/test_kernel.py: setting the process-wide flag here would
    // interrupt other suites running in parallel.

    @Test func completionRangesCountCodePoints() {
        let (s, _) = session()
        _ = s.execute("my_value = 1")
        let r = s.complete("é = my_v", cursor: 8)
        #expect(r.matches == ["my_value"])
        #expect(r.start == 4 && r.end == 8)
        let k = s.complete("fmt(3.14, di", cursor: 12)
        #expect(k.matches == ["digits:"])
        #expect(k.start == 10)
        #expect(s.complete("zeros(", cursor: 999).end == 6)
        let clamped = s.complete("my_v", cursor: -4)
        #expect(clamped.start == 0 && clamped.end == 0)
        _ = s.execute("r = {alpha: 1}")
        let fields = s.complete("r.al", cursor: 4)
        #expect(fields.matches == ["alpha"] && fields.start == 2)
    }

    @Test func inspectGivesHelpOrASummary() {
        let (s, _) = session()
        #expect(s.inspect("zeros(2, 3)", cursor: 2)?.hasPrefix("zeros(") == true)
        _ = s.execute("w = 3")
        #expect(s.inspect("w + 1", cursor: 1) == "w: number = 3\n")
        #expect(s.inspect("nosuch", cursor: 3) == nil)
        #expect(s.inspect("   ", cursor: 1) == nil)
        #expect(s.inspect("", cursor: 50) == nil)
    }

    @Test func isCompleteFollowsTheREPL() {
        let (s, _) = session()
        #expect(s.isComplete("x = 1").status == "complete")
        #expect(s.isComplete("").status == "complete")
        #expect(s.isComplete("fn f(a) {") == ("incomplete", "  "))
        #expect(s.isComplete("f(1, [2,") == ("incomplete", "    "))
        #expect(s.isComplete("x = )").status == "invalid")
    }

    @Test func historyTailRangeAndSearch() {
        let (s, _) = session()
        for code in ["1 + 1", "2 + 2", "1 + 1", "x = 3"] { _ = s.execute(code) }
        #expect(s.history(["hist_access_type": "tail", "n": 2]).map { $0[2] as? String } == ["1 + 1", "x = 3"])
        let range = s.history(["hist_access_type": "range", "session": 0, "start": 2, "stop": 4])
        #expect(range.map { $0[1] as? Int } == [2, 3])
        #expect(s.history(["hist_access_type": "search", "pattern": "1 + *"]).count == 2)
        #expect(s.history(["hist_access_type": "search", "pattern": "1 + *", "unique": true]).count == 1)
        let withOutput = s.history(["hist_access_type": "tail", "n": 1, "output": true])
        #expect((withOutput.first?[2] as? [String]) == ["x = 3", ""])
        #expect(s.history(["hist_access_type": "range", "session": 7]).isEmpty)
        #expect(s.history(["hist_access_type": "tail", "n": "x"]).count == 4)
    }
}
