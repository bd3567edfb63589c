import Foundation
import LTLang

extension REPL {
    /// `:time expr`, like IPython's %timeit: one run to warm up and estimate, then up to
    /// seven runs of enough loops to take about 50 ms each; reports the median per loop.
    /// The loop runs inside the language (`time(fn() { for _ in range(n) { expr } })`),
    /// so parsing is not timed, and Ctrl-C stops it like any other entry.
    func time(_ expression: String) {
        guard !expression.isEmpty else { return fail("usage: :time expr") }
        guard let first = measure(expression, loops: 1) else { return }
        let loops = Self.loopCount(forSeconds: first)
        let runs = first >= 2 ? 1 : first >= 0.5 ? 3 : 7
        var perLoop: [Double] = []
        let interrupts = REPLSignals.interruptCount.load(ordering: .relaxed)
        if runs == 1 {
            perLoop = [first]
        } else {
            for _ in 0..<runs {
                guard REPLSignals.interruptCount.load(ordering: .relaxed) == interrupts else {
                    return fail("interrupted")
                }
                guard let t = measure(expression, loops: loops) else { return }
                perLoop.append(t / Double(loops))
            }
        }
        output.write(Self.timingReport(perLoop, loops: loops) + "\n")
    }

    /// Seconds for `loops` runs of the expression; nil after reporting an error.
    private func measure(_ expression: String, loops: Int) -> Double? {
        let text: String, firstLine: Int
        if loops == 1 {
            text = "time(fn() {\n\(expression)\n})"; firstLine = 0
        } else {
            text = "time(fn() {\nfor _ in range(\(loops)) {\n\(expression)\n}\n})"; firstLine = -1
        }
        do {
            guard case .number(let t)? = try interpreter.evaluate(SourceFile(name: "<:time>", text: text, firstLine: firstLine)) else {
                fail("time() did not return a number")
                return nil
            }
            return t
        } catch {
            var d = error
            d.callStack.removeAll { $0.file == "<:time>" }  // the wrapper is ours, not the user's
            if d.kind == .interrupt { output.write("\n") }
            output.writeError(DiagnosticRenderer.render(d, style: output.errorStyle))
            return nil
        }
    }

    /// A 1-2-5 loop count that makes one run take at least 50 ms.
    static func loopCount(forSeconds t: Double) -> Int {
        guard t < 0.05 else { return 1 }
        var n = 1
        for scale in [1, 10, 100, 1_000, 10_000, 100_000] {
            for step in [1, 2, 5] {
                n = step * scale
                if Double(n) * max(t, 1e-7) >= 0.05 { return n }
            }
        }
        return 1_000_000
    }

    static func timingReport(_ perLoop: [Double], loops: Int) -> String {
        let sorted = perLoop.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let runs = "\(sorted.count) run\(sorted.count == 1 ? "" : "s")"
        let per = loops == 1 ? runs : "\(runs) x \(loops) loops"
        guard sorted.count > 1 else { return "\(formatDuration(median)) (\(per))" }
        return "\(formatDuration(median)) median per loop (\(per); min \(formatDuration(sorted[0])), max \(formatDuration(sorted[sorted.count - 1])))"
    }

    /// 3 significant digits in s, ms, µs or ns.
    static func formatDuration(_ seconds: Double) -> String {
        let (value, unit): (Double, String) =
            seconds >= 1 ? (seconds, "s") : seconds >= 1e-3 ? (seconds * 1e3, "ms")
            : seconds >= 1e-6 ? (seconds * 1e6, "µs") : (seconds * 1e9, "ns")
        let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
        return String(format: "%.\(digits)f \(unit)", value)
    }
}
