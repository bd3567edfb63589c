import Foundation
import LTLang
import LTNotebook

/// The REPL's tab completion: the shared `CodeCompleter` (LTNotebook, also behind the
/// Jupyter kernel's complete_request) with the REPL's `:` commands.
struct Completer {
    typealias Completion = CodeCompleter.Completion

    static let wordBreaks = CodeCompleter.wordBreaks
    static let stringBreaks = CodeCompleter.stringBreaks

    private var base: CodeCompleter

    init(interpreter: Interpreter) {
        base = CodeCompleter(interpreter: interpreter, commands: Self.replCommands)
    }

    var currentDirectory: () -> String {
        get { base.currentDirectory }
        set { base.currentDirectory = newValue }
    }

    func complete(_ line: String, cursor: Int) -> Completion { base.complete(line, cursor: cursor) }

    static func breakCharacters(_ line: String, cursor: Int) -> String {
        CodeCompleter.breakCharacters(line, cursor: cursor)
    }

    static func parameters(fromSignature text: String) -> [String] { CodeCompleter.parameters(fromSignature: text) }

    static var replCommands: CodeCompleter.Commands {
        CodeCompleter.Commands(
            names: MetaCommand.allCases.map(\.rawValue), resolve: { MetaCommand.named($0)?.rawValue },
            help: MetaCommand.help.rawValue, paths: [MetaCommand.load.rawValue, MetaCommand.save.rawValue],
            questionMark: true)
    }
}
