import ArgumentParser
import Foundation
import LTNotebook
import LTSweep

/// `ltnb sweep NOTEBOOK -p name=values... -o DIR [--over AXIS] [--jobs N]
/// [--backend local|slurm] [--slurm-opt OPTS] [--no-wait]`, or `ltnb sweep --collect DIR`.
struct SweepCommand: ParsableCommand, ThrowingCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep", abstract: "Run a notebook over a grid of params, locally or on Slurm, and summarise.",
        discussion: """
        Each point of the cartesian grid is an ordinary `ltnb run` with its params; its report and labelled \
        tables go to DIR/runs/<point>/. DIR/index.html, summary.csv and summary.tex aggregate every labelled \
        table over --over (mean ± sd, n). A rerun skips points whose run is current, so an interrupted sweep \
        resumes. Exit status: 0 every point succeeded; 1 a point failed (the summary is still written); \
        2 a usage or notebook error (nothing ran or was submitted); 130 interrupted. See docs/sweep.md.
        """)

    @Argument(help: ArgumentHelp("The .ltnb notebook to run at every point.", valueName: "NOTEBOOK"))
    var notebook: String?

    @Option(name: .short, help: ArgumentHelp("An axis: name=v1,v2,... where a value may be a range a..b or a..b:step (inclusive).", valueName: "name=values"))
    var param: [String] = []

    @Option(name: .short, help: ArgumentHelp("The sweep's folder (runs/, logs/, index.html, summary.csv, summary.tex).", valueName: "DIR"))
    var output: String?

    @Option(help: ArgumentHelp("The axis to aggregate over (default: seed, when the grid has it; 'none' for no aggregation).", valueName: "AXIS"))
    var over: String?

    @Option(help: ArgumentHelp("Local worker processes (default: the number of cores).", valueName: "N"))
    var jobs: Int?

    @Option(help: ArgumentHelp("Where points run: local or slurm.", valueName: "local|slurm"))
    var backend: String = "local"

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("Options for sbatch, e.g. \"--partition=gpu --time=1:00:00\" (repeatable).", valueName: "OPTS"))
    var slurmOpt: [String] = []

    @Flag(help: "Slurm: return after submitting; build the summary later with --collect.")
    var noWait = false

    @Option(help: ArgumentHelp("Build the summary of the sweep in DIR from what it holds now; runs nothing.", valueName: "DIR"))
    var collect: String?

    @Option(help: ArgumentHelp("Decimals of means and standard deviations.", valueName: "N"))
    var digits: Int = 3

    @Flag(help: .hidden)
    var reverseOrder = false

    mutating func execute() -> Int32 {
        let log: (String) -> Void = { Terminal.writeError($0) }
        let templates: ReportTemplates
        do { templates = try ReportTemplates.locate() } catch {
            log("error: \(error)\n")
            return 2
        }
        let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Int($0) }
        if let collect {
            guard notebook == nil, param.isEmpty else {
                log("error: --collect DIR takes no notebook and no -p\n")
                return 2
            }
            return Sweep.collect(collect, templates: templates, sourceDateEpoch: epoch, log: log)
        }
        guard let notebook else {
            log("error: give a notebook to sweep (ltnb sweep NOTEBOOK -p name=values -o DIR), or --collect DIR\n")
            return 2
        }
        guard let output else {
            log("error: -o DIR is required: the sweep's runs and summary go there\n")
            return 2
        }
        guard let kind = SweepPlan.Backend(rawValue: backend) else {
            log("error: --backend must be local or slurm, got '\(backend)'\n")
            return 2
        }
        if noWait && kind != .slurm {
            log("error: --no-wait only applies to --backend slurm\n")
            return 2
        }
        guard let executable = Self.executablePath() else {
            log("error: cannot tell where the ltnb executable is, to start workers\n")
            return 2
        }
        var request = Sweep.Request(notebook: notebook, output: output, executable: executable)
        request.specs = param
        request.over = over
        request.backend = kind
        if let jobs { request.jobs = jobs }
        request.slurmOptions = slurmOpt.flatMap { $0.split(separator: " ").map(String.init) }
        request.noWait = noWait
        request.digits = digits
        request.ltnbVersion = ltnbVersion
        request.sourceDateEpoch = epoch
        request.reverseOrder = reverseOrder
        request.progressLine = isatty(STDERR_FILENO) != 0
        Terminal.flush()
        return Sweep.run(request, templates: templates, log: log)
    }

    /// This process's binary: /proc/self/exe on Linux, else argv[0] made absolute.
    static func executablePath() -> String? {
        if let linked = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), linked.hasPrefix("/") {
            return linked
        }
        return Bundle.main.executableURL?.resolvingSymlinksInPath().path
    }
}
