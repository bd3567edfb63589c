import Foundation
import LTNotebook

/// `ltnb sweep` as library calls: the CLI parses flags; this plans, runs the points on a
/// backend, and writes the summary. Exit status: 0 every point succeeded, 1 some point
/// failed (the summary is still written), 2 a usage problem (nothing ran or was
/// submitted), 130 interrupted (finished runs are kept; a rerun resumes).
public enum Sweep {
    public struct Request {
        public var notebook: String
        /// `-p` specs, in command-line order (the first axis varies slowest).
        public var specs: [String] = []
        public var output: String
        /// `--over`: nil means `seed` when the grid has a `seed` axis; `none` aggregates nothing.
        public var over: String?
        public var backend: SweepPlan.Backend = .local
        public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
        public var slurmOptions: [String] = []
        public var noWait = false
        public var digits = 3
        public var ltnbVersion = "0.0.0"
        /// The ltnb binary each point runs.
        public var executable: String
        public var sourceDateEpoch: Int?
        /// Launch points last first (tests: the summary must not depend on the order).
        public var reverseOrder = false
        /// Draw a one-line progress display (stderr is a terminal) instead of a line per point.
        public var progressLine = false
        /// Seconds between squeue polls.
        public var pollSeconds: Double = 2
        public init(notebook: String, output: String, executable: String) {
            self.notebook = notebook
            self.output = output
            self.executable = executable
        }
    }

    public static func run(_ r: Request, templates: ReportTemplates, log: @escaping (String) -> Void) -> Int32 {
        let started = Date()
        let plan: SweepPlan
        var over = r.over
        if over == nil, r.specs.contains(where: { $0.hasPrefix("seed=") }) { over = "seed" }
        if over == "none" { over = nil }
        do {
            plan = try SweepPlan.make(notebook: r.notebook, specs: r.specs, over: over, backend: r.backend, jobs: r.jobs,
                                      slurmOptions: r.slurmOptions, digits: r.digits, ltnbVersion: r.ltnbVersion,
                                      executable: r.executable)
            if r.backend == .slurm { try SlurmBackend.checkTools() }
        } catch {
            log("error: \(error.description)\n")
            return 2
        }
        let layout = SweepLayout(r.output)
        do {
            try FileManager.default.createDirectory(at: layout.logs, withIntermediateDirectories: true)
        } catch {
            log("error: cannot create '\(layout.directory.path)': \(error.localizedDescription)\n")
            return 2
        }
        var todo = plan.points.filter { !plan.isCurrent($0, layout: layout) }
        if todo.count < plan.points.count {
            log("\(plan.points.count - todo.count) of \(plan.points.count) points are current; running \(todo.count)\n")
        }
        if r.reverseOrder { todo.reverse() }
        // A second submission while the first is live would run points twice, racing on their files.
        if r.backend == .slurm, let previous = try? SweepPlan.load(from: layout), let id = previous.slurmJobID,
           SlurmBackend.isActive(jobID: id) {
            log("error: Slurm job \(id) of this sweep is still queued or running; wait for it (then ltnb sweep --collect \(layout.directory.path)) or scancel \(id)\n")
            return 2
        }
        var saved = plan
        saved.startedAt = started.timeIntervalSince1970
        do { try saved.save(to: layout) } catch {
            log("error: cannot write '\(layout.planFile.path)': \(error.localizedDescription)\n")
            return 2
        }

        switch r.backend {
        case .local:
            let backend = LocalBackend(plan: plan, layout: layout)
            let drawn = ProgressPrinter(tty: r.progressLine, log: log)
            do {
                if case .interrupted(let finished) = try backend.run(todo, progress: drawn.show) {
                    drawn.end()
                    log("interrupted: \(finished) of \(todo.count) points finished and are kept; run the same command again to resume\n")
                    return 130
                }
            } catch {
                drawn.end()
                log("error: \(error)\n")
                return 2
            }
            drawn.end()
        case .slurm:
            if !todo.isEmpty {
                let id: String
                do { id = try SlurmBackend.submit(plan: plan, layout: layout, points: todo) } catch {
                    log("error: \(error.description)\n")
                    return 2
                }
                saved.slurmJobID = id
                saved.slurmVersion = SlurmBackend.version()
                try? saved.save(to: layout)
                log("submitted Slurm job array \(id) (\(todo.count) task\(todo.count == 1 ? "" : "s")); logs in \(layout.logs.path)/\n")
                if r.noWait {
                    log("not waiting; build the summary later with: ltnb sweep --collect \(layout.directory.path)\n")
                    return 0
                }
                do {
                    var last: SlurmBackend.QueueState?
                    try SlurmBackend.follow(jobID: id, every: r.pollSeconds) { state in
                        guard state != last else { return }
                        last = state
                        log("job \(id): \(state.pending) pending, \(state.running) running\(state.other > 0 ? ", \(state.other) other" : "")\n")
                    }
                } catch {
                    log("error: \(error.description); the job may still be running: collect later with ltnb sweep --collect \(layout.directory.path)\n")
                    return 1
                }
                SlurmBackend.recordLostTasks(plan: plan, layout: layout, jobID: id, points: todo)
            }
        }
        return summarise(saved, layout: layout, templates: templates, sourceDateEpoch: r.sourceDateEpoch,
                         times: .init(started: started, finished: Date()), log: log)
    }

    /// `ltnb sweep --collect DIR`: the summary from what the folder holds now.
    public static func collect(_ directory: String, templates: ReportTemplates, sourceDateEpoch: Int?, log: (String) -> Void) -> Int32 {
        let layout = SweepLayout(directory)
        let plan: SweepPlan
        do { plan = try SweepPlan.load(from: layout) } catch {
            log("error: \(error.description)\n")
            return 2
        }
        // Tasks Slurm ended without letting them finish are failures, not "not run".
        if plan.backend == .slurm, let id = plan.slurmJobID, !SlurmBackend.isActive(jobID: id) {
            SlurmBackend.recordLostTasks(plan: plan, layout: layout, jobID: id, points: plan.points)
        }
        let times = plan.startedAt.map { SweepSummary.Times(started: Date(timeIntervalSince1970: $0), finished: nil) }
        return summarise(plan, layout: layout, templates: templates, sourceDateEpoch: sourceDateEpoch, times: times, log: log)
    }

    static func summarise(_ plan: SweepPlan, layout: SweepLayout, templates: ReportTemplates, sourceDateEpoch: Int?,
                          times: SweepSummary.Times?, log: (String) -> Void) -> Int32 {
        let summary = SweepSummary(plan: plan, layout: layout)
        do { try summary.write(templates: templates, sourceDateEpoch: sourceDateEpoch, times: times) } catch {
            log("error: cannot write the summary: \(error)\n")
            return 1
        }
        for o in summary.failed {
            if case .failed(let code, let error) = o.state {
                log("failed \(o.point.name) (exit \(code)): \(summary.relativized(error))\n")
            }
        }
        if !summary.notRun.isEmpty {
            log("not run: \(summary.notRun.map(\.point.name).joined(separator: ", "))\n")
        }
        let ok = summary.outcomes.filter(\.succeeded).count
        log("\(ok) of \(plan.points.count) points succeeded; wrote \(layout.index.path), summary.csv, summary.tex\n")
        return summary.allSucceeded ? 0 : 1
    }
}

/// The local backend's progress: one redrawn line on a terminal, else a line per point.
final class ProgressPrinter: @unchecked Sendable {
    let tty: Bool
    let log: (String) -> Void
    var drew = false

    init(tty: Bool, log: @escaping (String) -> Void) { self.tty = tty; self.log = log }

    func show(_ p: LocalBackend.Progress) {
        if tty {
            var line = "[\(p.finished)/\(p.total)] \(p.running) running"
            if p.failed > 0 { line += ", \(p.failed) failed" }
            if let last = p.last { line += "; \(last.name) \(last.status == 0 ? "done" : "failed (exit \(last.status))")" }
            log("\u{1B}[2K\r" + line)
            drew = true
        } else if let last = p.last {
            log("[\(p.finished)/\(p.total)] \(last.status == 0 ? "ok    " : "FAILED") \(last.name)\(last.status == 0 ? "" : " (exit \(last.status))")\n")
        }
    }

    func end() {
        if tty && drew { log("\n") }
        drew = false
    }
}
