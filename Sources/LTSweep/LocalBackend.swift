import Foundation
import LTNotebook

/// Runs points as `ltnb run` worker processes on this machine, at most `jobs` at once.
/// SIGINT or SIGTERM (Ctrl-C) stops every worker; runs that had finished keep their
/// reports and records, and a stopped worker leaves no exit code, so a rerun redoes it.
public final class LocalBackend: @unchecked Sendable {
    public struct Progress: Sendable {
        public var total: Int
        public var finished: Int
        public var failed: Int
        public var running: Int
        /// The point that just finished, and how.
        public var last: (name: String, status: Int32)?
    }

    public enum Outcome: Sendable, Equatable {
        case completed
        /// Stopped by a signal; how many points had finished.
        case interrupted(finished: Int)
    }

    let plan: SweepPlan
    let layout: SweepLayout
    private let lock = NSLock()
    private var done: [(Int, Int32)] = []
    private var stopRequested = false
    private let wake = DispatchSemaphore(value: 0)

    public init(plan: SweepPlan, layout: SweepLayout) {
        self.plan = plan
        self.layout = layout
    }

    /// Runs `points` in the order given. Throws only when a worker cannot be started at all.
    public func run(_ points: [SweepPoint], progress: (Progress) -> Void) throws -> Outcome {
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.requestStop() }
            source.resume()
            return source
        }
        defer {
            for s in sources { s.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }

        var pending = points[...]
        var running: [Int: Process] = [:]
        var state = Progress(total: points.count, finished: 0, failed: 0, running: 0, last: nil)
        let byIndex = Dictionary(points.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        progress(state)
        while true {
            if isStopRequested {
                stopAll(running)
                return .interrupted(finished: state.finished)
            }
            while running.count < plan.jobs, let point = pending.popFirst() {
                do { running[point.index] = try launch(point) } catch {
                    stopAll(running)
                    throw error
                }
                state.running = running.count
                state.last = nil
                progress(state)
            }
            if running.isEmpty && pending.isEmpty { return .completed }
            _ = wake.wait(timeout: .now() + 0.5)
            for (index, status) in takeFinished() {
                running[index] = nil
                // A typed Ctrl-C reaches the workers (same process group) as well as us, and
                // one may be reaped before our own handler runs: a worker killed by SIGINT
                // or SIGTERM was interrupted, not failed, and leaves no exit code.
                if status == 128 + SIGINT || status == 128 + SIGTERM || isStopRequested {
                    requestStop()
                    continue
                }
                guard let point = byIndex[index] else { continue }
                // The waiter writes the exit code; `PointOutcome` reads it beside the record.
                try? AtomicFile.write(Data("\(status)\n".utf8), to: layout.exitCode(point))
                state.finished += 1
                if status != 0 { state.failed += 1 }
                state.running = running.count
                state.last = (point.name, status)
                progress(state)
            }
        }
    }

    func launch(_ point: SweepPoint) throws -> Process {
        try layout.prepare(point)
        let logURL = layout.log(point)
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw SweepError("cannot create the log '\(logURL.path)'")
        }
        let log = try FileHandle(forWritingTo: logURL)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: plan.executable)
        p.arguments = plan.workerArguments(point, layout: layout)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = log
        p.standardError = log
        let index = point.index
        p.terminationHandler = { [weak self] process in
            try? log.close()
            let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
            self?.finished(index, status)
        }
        do { try p.run() } catch {
            try? log.close()
            throw SweepError("cannot start '\(plan.executable)': \(error.localizedDescription)")
        }
        return p
    }

    /// SIGTERM to every worker, then SIGKILL to any still alive after three seconds.
    func stopAll(_ running: [Int: Process]) {
        for p in running.values where p.isRunning { kill(p.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(3)
        while running.values.contains(where: \.isRunning) && Date() < deadline { usleep(20_000) }
        for p in running.values where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for p in running.values { p.waitUntilExit() }
    }

    private func finished(_ index: Int, _ status: Int32) {
        lock.lock(); done.append((index, status)); lock.unlock()
        wake.signal()
    }

    private func takeFinished() -> [(Int, Int32)] {
        lock.lock(); defer { lock.unlock() }
        let out = done
        done.removeAll()
        return out
    }

    func requestStop() {
        lock.lock(); stopRequested = true; lock.unlock()
        wake.signal()
    }

    var isStopRequested: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopRequested
    }
}
