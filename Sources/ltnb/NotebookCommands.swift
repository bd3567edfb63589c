import ArgumentParser
import Foundation
import LTNotebook

/// `ltnb run NOTEBOOK... [-o FILE|DIR] [-p k=v]... [--figures DIR] [--keep-going]
/// [--no-cache] [--explain-cache]`: run notebooks and write their HTML reports.
struct RunCommand: ParsableCommand, ThrowingCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run notebooks and write their HTML reports.",
        discussion: "Exit status: 0 every cell succeeded (or failed where `error: true` allowed it); "
            + "1 a cell failed (the report is still written); 2 a notebook or the command line could not "
            + "be parsed (nothing was run). See docs/notebook-format.md.")

    @Argument(help: ArgumentHelp("The .ltnb notebooks to run.", valueName: "NOTEBOOK"))
    var notebooks: [String]

    @Option(name: .short, help: ArgumentHelp("The report file (.html) or a directory for reports (default: output/).", valueName: "FILE|DIR"))
    var output: String?

    @Option(name: .short, help: ArgumentHelp("Override a param: a number, true/false, or text.", valueName: "name=value"))
    var param: [String] = []

    @Option(help: ArgumentHelp("Also write labelled figures as DIR/<label>.svg and tables as .csv and .tex.", valueName: "DIR"))
    var figures: String?

    @Flag(help: "Run every cell even after one fails (the exit status is still 1).")
    var keepGoing = false

    @Flag(help: "Neither read nor write the cell cache.")
    var noCache = false

    @Flag(help: "Say for every cell why the cache hit or missed.")
    var explainCache = false

    @Option(help: ArgumentHelp("Write a JSON record of the run (status, first error, inputs) to FILE; used by `ltnb sweep`.",
                               valueName: "FILE", visibility: .hidden))
    var record: String?

    mutating func execute() -> Int32 {
        var overrides: [(name: String, value: String)] = []
        for p in param {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                Terminal.writeError("error: -p expects name=value, got '\(p)'\n")
                return 2
            }
            overrides.append((String(p[..<eq]), String(p[p.index(after: eq)...])))
        }
        if notebooks.count > 1, let output, output.lowercased().hasSuffix(".html") {
            Terminal.writeError("error: -o names one file but \(notebooks.count) notebooks were given; pass a directory\n")
            return 2
        }
        let templates: ReportTemplates
        do { templates = try ReportTemplates.locate() } catch {
            Terminal.writeError("error: \(error)\n")
            return 2
        }
        let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Int($0) }
        var status: Int32 = 0
        for path in notebooks {
            var request = NotebookCommand.RunRequest(notebookPath: path)
            request.output = output
            request.params = overrides
            request.figuresDirectory = figures
            request.keepGoing = keepGoing
            request.useCache = !noCache
            request.explainCache = explainCache
            request.ltnbVersion = ltnbVersion
            request.sourceDateEpoch = epoch
            request.recordPath = record
            let s = NotebookCommand.run(request, templates: templates, log: { Terminal.writeError($0) })
            status = max(status, s)
        }
        return status
    }
}

/// `ltnb check NOTEBOOK...`: parse and resolve names without running.
struct CheckCommand: ParsableCommand, ThrowingCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Parse notebooks and resolve names without running them.",
        discussion: "Exit status: 0 no problems; 1 an unknown name; 2 a notebook could not be parsed.")

    @Argument(help: ArgumentHelp("The .ltnb notebooks to check.", valueName: "NOTEBOOK"))
    var notebooks: [String]

    mutating func execute() -> Int32 {
        var status: Int32 = 0
        for path in notebooks {
            status = max(status, NotebookCommand.check(path, log: { Terminal.writeError($0) }))
        }
        return status
    }
}
