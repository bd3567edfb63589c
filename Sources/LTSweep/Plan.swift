import Foundation
import LTLang
import LTNotebook

/// Everything a sweep needs to run and to be summarised later, kept as `DIR/sweep.json`
/// so `ltnb sweep --collect DIR` (after a Slurm `--no-wait`) rebuilds the summary from
/// the folder alone.
public struct SweepPlan: Codable, Equatable, Sendable {
    public enum Backend: String, Codable, Sendable { case local, slurm }

    public var ltnbVersion: String
    /// The notebook, as an absolute path (workers may start in another folder).
    public var notebook: String
    public var notebookSHA: String
    public var axes: [SweepAxis]
    /// The axis aggregated over (`--over seed`); nil aggregates nothing.
    public var over: String?
    public var points: [SweepPoint]
    public var backend: Backend
    /// Local workers.
    public var jobs: Int
    /// `--slurm-opt`, split into words, passed to `sbatch`.
    public var slurmOptions: [String]
    /// Set once `sbatch` accepted the array.
    public var slurmJobID: String?
    /// `sbatch --version` at submission, for provenance.
    public var slurmVersion: String?
    /// When the sweep started (seconds since 1970), so `--collect` can say so.
    public var startedAt: Double?
    /// Decimals of means and standard deviations in the summary.
    public var digits: Int
    /// The absolute path of the ltnb binary every point runs.
    public var executable: String

    /// The base name of the notebook (`paper` for `paper.ltnb`), also its report's name.
    public var notebookName: String { ((notebook as NSString).lastPathComponent as NSString).deletingPathExtension }

    /// Builds and checks a plan: the notebook parses, every axis is one of its params and
    /// every point's values bind (so a typo fails here, before anything runs or is
    /// submitted), and `--over` names an axis.
    public static func make(notebook path: String, specs: [String], over: String?, backend: Backend, jobs: Int,
                            slurmOptions: [String], digits: Int, ltnbVersion: String, executable: String) throws(SweepError) -> SweepPlan {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let data = FileManager.default.contents(atPath: absolute) else { throw SweepError("cannot read notebook '\(path)'") }
        guard let text = String(data: data, encoding: .utf8) else { throw SweepError("notebook '\(path)' is not UTF-8 text") }
        let notebook: Notebook
        do { notebook = try NotebookParser.parse(text, path: path) } catch {
            throw SweepError(error.description + "\(path): \(error.errors.count) problem(s); nothing was run")
        }
        var axes: [SweepAxis] = []
        for spec in specs { axes.append(try SweepGrid.parseAxis(spec)) }
        let points = try SweepGrid.points(axes)
        do {
            // Binding types each value as `ltnb run -p` would; unknown names fail here.
            for axis in axes {
                for value in axis.values { _ = try NotebookRunner.bindParams(notebook, [(axis.name, value)]) }
            }
        } catch {
            throw SweepError(error.errors.map { "\($0.path): \($0.message)" }.joined(separator: "\n"))
        }
        if let over, !axes.contains(where: { $0.name == over }) {
            throw SweepError("--over \(over): not an axis of the grid (axes: \(axes.map(\.name).joined(separator: ", ")))")
        }
        guard jobs >= 1 else { throw SweepError("--jobs must be at least 1") }
        guard (0...12).contains(digits) else { throw SweepError("--digits must be between 0 and 12") }
        return SweepPlan(ltnbVersion: ltnbVersion, notebook: absolute, notebookSHA: SHA256.hex(text), axes: axes,
                         over: over, points: points, backend: backend, jobs: jobs, slurmOptions: slurmOptions,
                         slurmJobID: nil, slurmVersion: nil, startedAt: nil, digits: digits, executable: executable)
    }

    /// The `ltnb` arguments of one point: an ordinary `ltnb run` with its params, its
    /// report and exported tables in its own folder, and a record of how it went.
    public func workerArguments(_ point: SweepPoint, layout: SweepLayout) -> [String] {
        var args = ["run", notebook, "-o", layout.runFolder(point).path + "/"]
        for p in point.params { args += ["-p", "\(p.name)=\(p.value)"] }
        args += ["--figures", layout.tables(point).path, "--record", layout.record(point).path]
        return args
    }

    /// True when the point's last run succeeded and nothing it depends on changed: the
    /// notebook, its params, the ltnb version, and every data file it read. A rerun skips
    /// such points, which is how an interrupted sweep resumes.
    public func isCurrent(_ point: SweepPoint, layout: SweepLayout) -> Bool {
        guard let record = RunRecord.read(layout.record(point).path), record.status == 0,
              record.notebookSHA == notebookSHA, record.ltnbVersion == ltnbVersion,
              record.params == point.params.map({ "\($0.name)=\($0.value)" }),
              FileManager.default.fileExists(atPath: layout.report(point, notebookName: notebookName).path)
        else { return false }
        return record.filesRead.allSatisfy { file in
            FileManager.default.contents(atPath: file.path).map { SHA256.hex($0) == file.sha256 } ?? false
        }
    }

    public func save(to layout: SweepLayout) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self) + Data("\n".utf8), to: layout.planFile)
    }

    public static func load(from layout: SweepLayout) throws(SweepError) -> SweepPlan {
        guard let data = FileManager.default.contents(atPath: layout.planFile.path) else {
            throw SweepError("'\(layout.directory.path)' holds no sweep (no sweep.json); run `ltnb sweep NOTEBOOK -p ... -o DIR` first")
        }
        do { return try JSONDecoder().decode(SweepPlan.self, from: data) } catch {
            throw SweepError("'\(layout.planFile.path)' is not a sweep plan: \(error)")
        }
    }
}

/// Where a sweep keeps its files under DIR.
public struct SweepLayout: Sendable {
    public let directory: URL

    public init(_ path: String) { directory = URL(fileURLWithPath: path).standardizedFileURL }

    public var planFile: URL { directory.appendingPathComponent("sweep.json") }
    public var index: URL { directory.appendingPathComponent("index.html") }
    public var summaryCSV: URL { directory.appendingPathComponent("summary.csv") }
    public var summaryTeX: URL { directory.appendingPathComponent("summary.tex") }
    public var logs: URL { directory.appendingPathComponent("logs") }
    public var slurmScript: URL { directory.appendingPathComponent("sweep.sbatch") }
    public func runFolder(_ p: SweepPoint) -> URL { directory.appendingPathComponent("runs").appendingPathComponent(p.name) }
    public func report(_ p: SweepPoint, notebookName: String) -> URL { runFolder(p).appendingPathComponent(notebookName + ".html") }
    public func tables(_ p: SweepPoint) -> URL { runFolder(p).appendingPathComponent("tables") }
    public func record(_ p: SweepPoint) -> URL { runFolder(p).appendingPathComponent("record.json") }
    /// The worker's exit status as a number, written by whoever waited for it (this
    /// process for local workers, the sbatch script for Slurm tasks).
    public func exitCode(_ p: SweepPoint) -> URL { runFolder(p).appendingPathComponent("exit-code") }
    public func log(_ p: SweepPoint) -> URL { logs.appendingPathComponent(p.name + ".log") }

    /// Clears what a previous attempt at `p` left that says how it went, so a crash now
    /// cannot pass for an old success.
    public func prepare(_ p: SweepPoint) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: runFolder(p), withIntermediateDirectories: true)
        try fm.createDirectory(at: logs, withIntermediateDirectories: true)
        for url in [record(p), exitCode(p)] where fm.fileExists(atPath: url.path) { try fm.removeItem(at: url) }
    }
}
