import ArgumentParser
import Foundation
import LTLang
import LTStdlib

/// A command whose work returns an exit status (0 ok, 1 error) instead of throwing.
protocol ThrowingCommand {
    mutating func execute() -> Int32
}

let ltnbVersion = "0.1.0"

/// `ltnb`: the REPL on a terminal, or a script from stdin otherwise.
struct LtnbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ltnb",
        abstract: "A notebook and REPL for long-tailed recognition with foundation models.",
        discussion: """
        With no arguments on a terminal, starts the REPL; with stdin from a pipe or file,
        runs it as a script (the same as `ltnb exec -`).
        """,
        version: ltnbVersion,
        subcommands: [ExecCommand.self, HelpCommand.self, RunCommand.self, CheckCommand.self, SweepCommand.self,
                      KernelCommand.self, ConvertCommand.self])

    @Option(name: .customShort("e"), help: ArgumentHelp("Evaluate CODE and print the value of its last expression.", valueName: "CODE"))
    var code: String?

    mutating func run() throws {}
}

extension LtnbCommand: ThrowingCommand {
    mutating func execute() -> Int32 {
        if let code {
            return Runner.exec(SourceFile(name: "<-e>", text: code))
        }
        if isatty(STDIN_FILENO) == 0 {
            return Runner.exec(bytes: Runner.readStandardInput(), name: "<stdin>")
        }
        return REPL.start()
    }
}

/// `ltnb exec FILE|-`: run a plain script.
struct ExecCommand: ParsableCommand, ThrowingCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Run a script (plain ltnb code; '-' reads stdin) and print its result.")

    @Argument(help: ArgumentHelp("The script to run, or '-' for stdin.", valueName: "FILE"))
    var file: String

    mutating func execute() -> Int32 { Runner.exec(path: file) }
}

/// `ltnb help [NAME] [--markdown]`.
struct HelpCommand: ParsableCommand, ThrowingCommand {
    static let configuration = CommandConfiguration(
        commandName: "help", abstract: "Show the documentation of built-in functions.")

    @Argument(help: "A built-in function name.")
    var name: String?

    @Flag(help: "Write every built-in's documentation as Markdown (docs/builtins.md).")
    var markdown = false

    mutating func execute() -> Int32 {
        let builtins = Stdlib.allBuiltins
        if markdown {
            Terminal.write(Help.markdown(builtins))
            return 0
        }
        guard let name else {
            Terminal.write(Help.overview(builtins))
            return 0
        }
        guard let b = builtins.first(where: { $0.name == name }) else {
            let guess = nearest(name, in: builtins.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
            Terminal.writeError("error: no built-in named '\(name)'\(guess)\n")
            return 1
        }
        Terminal.write(Help.text(b) + "\n")
        return 0
    }
}
