import Foundation
import LTLang

// Entry point: parse the command line ourselves so usage errors exit with 2
// (NOTEBOOK.md), then run the chosen command on a large-stack thread.
let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
do {
    var command = try LtnbCommand.parseAsRoot(arguments)
    if var runnable = command as? ThrowingCommand {
        status = runWithLargeStack { runnable.execute() }
    } else {
        try command.run()
        status = 0
    }
} catch {
    let code = LtnbCommand.exitCode(for: error)
    if code == .success {
        Terminal.write(LtnbCommand.fullMessage(for: error) + "\n")
        status = 0
    } else {
        Terminal.writeError(LtnbCommand.fullMessage(for: error) + "\n")
        status = 2
    }
}
Terminal.flush()
exit(status)
