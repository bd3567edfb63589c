import Foundation
import LTNotebook

/// How one point went, read back from its folder, so the local backend, the Slurm
/// backend and `--collect` summarise through one path.
public struct PointOutcome: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case succeeded
        case failed(exitCode: Int32, error: String)
        /// No trace of a finished run (interrupted, still queued, or never started).
        case notRun
    }
    public var point: SweepPoint
    public var state: State

    public var succeeded: Bool { state == .succeeded }

    /// Reads the record `ltnb run --record` wrote and the exit code its waiter wrote.
    /// A worker that died without a record (a crash, a signal, a Slurm time limit) is a
    /// failure with the tail of its log as the error.
    public static func read(_ point: SweepPoint, layout: SweepLayout) -> PointOutcome {
        let record = RunRecord.read(layout.record(point).path)
        let exitText = (try? String(contentsOf: layout.exitCode(point), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let exitCode = exitText.flatMap { Int32($0) }
        switch (record, exitCode) {
        case (nil, nil):
            return PointOutcome(point: point, state: .notRun)
        case (let r?, let code):
            // A record says what `ltnb run` decided; a non-zero exit code after it (the
            // process was killed while exiting) still counts as a failure.
            let status = code.map { $0 != 0 ? $0 : r.status } ?? r.status
            if status == 0 { return PointOutcome(point: point, state: .succeeded) }
            return PointOutcome(point: point, state: .failed(exitCode: status, error: r.error ?? logTail(layout.log(point))))
        case (nil, let code?):
            let why = logTail(layout.log(point))
            return PointOutcome(point: point, state: .failed(exitCode: code, error: why.isEmpty ? "the run left no record" : why))
        }
    }

    /// The last few non-empty lines of a log, for a failure without a record.
    static func logTail(_ url: URL, lines: Int = 5) -> String {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        let kept = text.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return kept.suffix(lines).joined(separator: "\n")
    }
}
