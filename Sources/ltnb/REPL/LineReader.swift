import Foundation

/// What one read from the user gives.
enum LineInput: Equatable {
    /// A line, without its newline (a recalled or pasted entry may hold several lines).
    case line(String)
    /// Ctrl-C at the prompt: the line was discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the end of the input.
    case end
}

/// The narrow seam between the REPL and line editing: `ReadlineReader` on a terminal,
/// `PlainReader` for pipes and tests. The REPL never touches readline itself.
protocol LineReader: AnyObject {
    /// Shows `prompt` and waits for one line.
    func read(prompt: String) -> LineInput
    /// Records a finished entry for recall with Up and in the history file.
    func remember(_ entry: String)
}

/// Reads plain lines from a source (stdin, a list of lines in tests), with no editing.
/// The prompt is written only when `echo` is set, so piped output stays clean.
final class PlainReader: LineReader {
    private let next: () -> LineInput
    private let echo: ((String) -> Void)?
    private(set) var remembered: [String] = []

    init(echo: ((String) -> Void)? = nil, next: @escaping () -> LineInput) {
        self.echo = echo
        self.next = next
    }

    /// Reads stdin line by line.
    convenience init() {
        self.init { readLine(strippingNewline: true).map(LineInput.line) ?? .end }
    }

    /// Replays `inputs` in order, then ends.
    convenience init(_ inputs: [LineInput], echo: ((String) -> Void)? = nil) {
        var queue = inputs[...]
        self.init(echo: echo) { queue.popFirst() ?? .end }
    }

    func read(prompt: String) -> LineInput {
        echo?(prompt)
        return next()
    }

    func remember(_ entry: String) { remembered.append(entry) }
}
