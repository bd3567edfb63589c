import Foundation
import LTLang

// Entry point: parse the command line ourselves so usage errors exit with 2
// (NOTEBOOK.md), then run the chosen command on a large-stack thread.

/// Parses `arguments` with ArgumentParser and runs the command they name.
func runParsedCommand(_ arguments: [String]) -> Int32 {
    do {
        var command = try LtnbCommand.parseAsRoot(arguments)
        if var runnable = command as? ThrowingCommand {
            return runWithLargeStack { runnable.execute() }
        }
        try command.run()
        return 0
    } catch {
        if LtnbCommand.exitCode(for: error) == .success {
            Terminal.write(LtnbCommand.fullMessage(for: error) + "\n")
            return 0
        }
        Terminal.writeError(LtnbCommand.fullMessage(for: error) + "\n")
        return 2
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
let status = QuickCommandLine.command(arguments).map { runWithLargeStack($0) } ?? runParsedCommand(arguments)
Terminal.flush()
exit(status)
