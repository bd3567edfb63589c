import Foundation
import LTNotebook

/// Runs points as one Slurm job array: an sbatch script with one task per point (each an
/// ordinary `ltnb run`, its log in DIR/logs/), submitted with `sbatch`, followed with
/// `squeue` until the array ends. DIR must be on a file system the nodes share, as the
/// notebook and the ltnb binary must.
public enum SlurmBackend {
    /// The job-array script for `points` (task id = grid index).
    public static func script(plan: SweepPlan, layout: SweepLayout, points: [SweepPoint]) -> String {
        let q = shellQuote
        var lines = [
            "#!/bin/bash",
            "# Written by `ltnb sweep` for \(((plan.notebook as NSString).lastPathComponent)): one array task per grid point.",
            "#SBATCH --job-name=\(jobName(plan))",
            "#SBATCH --array=\(arraySpec(points.map(\.index)))",
            "#SBATCH --output=\(layout.logs.path)/slurm-%A_%a.out",
            "set -u",
            "case \"${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task}\" in",
        ]
        for point in points {
            let args = plan.workerArguments(point, layout: layout).map(q).joined(separator: " ")
            lines.append("  \(point.index)) point=\(q(point.name)); args=(\(args)) ;;")
        }
        lines += [
            "  *) echo \"ltnb sweep: no grid point for task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;",
            "esac",
            "run=\(q(layout.directory.path))/runs/\"$point\"",
            "mkdir -p \"$run\"",
            "\(q(plan.executable)) \"${args[@]}\" > \(q(layout.logs.path))/\"$point\".log 2>&1 < /dev/null",
            "status=$?",
            "echo \"$status\" > \"$run/exit-code\"",
            "exit \"$status\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    static func jobName(_ plan: SweepPlan) -> String {
        "ltnb-" + SweepGrid.folderSafe(plan.notebookName)
    }

    /// `0-5`, or `0,2,4-6` for a resumed sweep.
    public static func arraySpec(_ indices: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let sorted = indices.sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// Single quotes, with `'` written as `'\''`.
    static func shellQuote(_ s: String) -> String {
        if !s.isEmpty, s.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "/._-=+:,@".unicodeScalars.contains($0)) }) {
            return s
        }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `slurm 22.05.8`, or nil when sbatch does not say.
    static func version() -> String? {
        guard let sbatch = Command.find("sbatch") else { return nil }
        let r = Command.run(sbatch, ["--version"])
        let v = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return r.status == 0 && !v.isEmpty ? v : nil
    }

    /// Checks that the Slurm commands are there, before anything is written.
    public static func checkTools(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SweepError) {
        for tool in ["sbatch", "squeue"] where Command.find(tool, environment: environment) == nil {
            throw SweepError("--backend slurm: '\(tool)' is not on PATH; is this a Slurm login node? Nothing was submitted")
        }
    }

    /// Writes the script and submits it; returns the job id. When sbatch refuses, the
    /// error carries its message and nothing was submitted.
    public static func submit(plan: SweepPlan, layout: SweepLayout, points: [SweepPoint]) throws(SweepError) -> String {
        guard let sbatch = Command.find("sbatch") else { throw SweepError("'sbatch' is not on PATH; nothing was submitted") }
        let text = script(plan: plan, layout: layout, points: points)
        do {
            for point in points { try layout.prepare(point) }
            try AtomicFile.write(Data(text.utf8), to: layout.slurmScript)
        } catch {
            throw SweepError("cannot write '\(layout.slurmScript.path)': \(error.localizedDescription)")
        }
        let r = Command.run(sbatch, ["--parsable"] + plan.slurmOptions + [layout.slurmScript.path])
        guard r.status == 0 else {
            let why = r.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SweepError("sbatch refused the job array (exit \(r.status))\(why.isEmpty ? "" : ": \(why)"); nothing was submitted")
        }
        // `--parsable` prints `jobid` or `jobid;cluster`.
        let id = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw SweepError("sbatch accepted the script but printed no job id ('\(r.stdout)')")
        }
        return id
    }

    /// Counts of the array's tasks by Slurm state, as squeue reports them.
    public struct QueueState: Sendable, Equatable {
        public var pending = 0, running = 0, other = 0
        public var active: Int { pending + running + other }
    }

    /// True when squeue still lists a task of `jobID`.
    static func isActive(jobID: String) -> Bool {
        guard let squeue = Command.find("squeue") else { return false }
        let r = Command.run(squeue, ["-h", "-r", "-j", jobID, "-o", "%T"])
        return r.status == 0 && !r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// Polls squeue until no task of `jobID` is queued or running.
    public static func follow(jobID: String, every seconds: Double = 2, progress: (QueueState) -> Void) throws(SweepError) {
        guard let squeue = Command.find("squeue") else { throw SweepError("'squeue' is not on PATH") }
        var failures = 0
        while true {
            let r = Command.run(squeue, ["-h", "-r", "-j", jobID, "-o", "%T"])
            if r.status != 0 {
                // Once a job leaves the controller's memory squeue calls its id invalid.
                if r.stderr.contains("Invalid job id") { return }
                failures += 1
                if failures >= 5 { throw SweepError("squeue keeps failing: \(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }
            } else {
                failures = 0
                var state = QueueState()
                for line in r.stdout.split(separator: "\n") {
                    switch line.trimmingCharacters(in: .whitespaces) {
                    case "PENDING": state.pending += 1
                    case "RUNNING", "COMPLETING", "CONFIGURING": state.running += 1
                    case "": continue
                    default: state.other += 1
                    }
                }
                progress(state)
                if state.active == 0 { return }
            }
            usleep(UInt32(seconds * 1_000_000))
        }
    }

    /// For tasks that ended without writing an exit code (cancelled, out of time, node
    /// failure), asks Slurm how they ended and records that as a failure: a line in the
    /// task's log and an exit code. sacct answers where accounting is enabled; otherwise
    /// `scontrol show job` does while the controller still remembers the job (MinJobAge,
    /// five minutes by default). Tasks neither knows about stay "not run".
    public static func recordLostTasks(plan: SweepPlan, layout: SweepLayout, jobID: String, points: [SweepPoint]) {
        let lost = points.filter { !FileManager.default.fileExists(atPath: layout.exitCode($0).path) }
        guard !lost.isEmpty else { return }
        var states = sacctStates(jobID)
        if states.isEmpty { states = scontrolStates(jobID) }
        for point in lost {
            guard let (state, code) = states[point.index], !["PENDING", "RUNNING", "COMPLETING", "CONFIGURING"].contains(state) else { continue }
            let note = "ltnb sweep: Slurm task \(jobID)_\(point.index) ended \(state) (exit \(code)) without finishing\n"
            if let h = try? FileHandle(forWritingTo: layout.log(point)) {
                _ = try? h.seekToEnd(); try? h.write(contentsOf: Data(note.utf8)); try? h.close()
            } else {
                try? Data(note.utf8).write(to: layout.log(point))
            }
            try? AtomicFile.write(Data("\(code)\n".utf8), to: layout.exitCode(point))
        }
    }

    /// Slurm's `EXIT:SIGNAL` as one status, the way a shell reports it; never 0, since the
    /// task did not finish.
    static func exitStatus(_ text: String) -> Int32 {
        let parts = text.split(separator: ":").map { Int32($0) ?? 0 }
        let code = parts.first ?? 0, signal = parts.count > 1 ? parts[1] : 0
        return code != 0 ? code : (signal != 0 ? 128 + signal : 1)
    }

    /// Task index to (state, status) from `sacct -P`; empty without accounting.
    static func sacctStates(_ jobID: String) -> [Int: (String, Int32)] {
        guard let sacct = Command.find("sacct") else { return [:] }
        let r = Command.run(sacct, ["-j", jobID, "-n", "-P", "-X", "-o", "JobID,State,ExitCode"])
        guard r.status == 0 else { return [:] }
        var states: [Int: (String, Int32)] = [:]
        for line in r.stdout.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 3, let task = f[0].split(separator: "_").last.flatMap({ Int($0) }) else { continue }
            // "CANCELLED by 0" names who cancelled; the state is the first word.
            states[task] = (String(f[1].split(separator: " ").first ?? ""), exitStatus(f[2]))
        }
        return states
    }

    /// Task index to (state, status) from `scontrol -o show job`, one line per array task.
    static func scontrolStates(_ jobID: String) -> [Int: (String, Int32)] {
        guard let scontrol = Command.find("scontrol") else { return [:] }
        let r = Command.run(scontrol, ["-o", "show", "job", jobID])
        guard r.status == 0 else { return [:] }
        return parseScontrol(r.stdout)
    }

    static func parseScontrol(_ text: String) -> [Int: (String, Int32)] {
        var states: [Int: (String, Int32)] = [:]
        for line in text.split(separator: "\n") {
            var fields: [String: String] = [:]
            for word in line.split(separator: " ") {
                guard let eq = word.firstIndex(of: "=") else { continue }
                fields[String(word[..<eq])] = String(word[word.index(after: eq)...])
            }
            guard let task = fields["ArrayTaskId"].flatMap({ Int($0) }), let state = fields["JobState"] else { continue }
            states[task] = (state, exitStatus(fields["ExitCode"] ?? ""))
        }
        return states
    }
}

/// Runs an external command to completion, capturing its output.
enum Command {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func find(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for dir in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return Result(status: 127, stdout: "", stderr: "cannot run \(executable): \(error.localizedDescription)") }
        // Read both pipes while it runs, so a chatty command cannot fill one and block.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
