/// An error a user can cause, as data: what went wrong, where, and through which calls.
///
/// Every layer that reports to a user (REPL, `exec`, notebooks) renders it with
/// `DiagnosticRenderer`, so the text is the same everywhere.
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    /// What kind of problem this is; the REPL asks for another line on `.incomplete`.
    public enum Kind: String, Sendable {
        case syntax, incomplete, name, type, value, index, io, limit, interrupt, user, usage
    }

    public var kind: Kind
    public var message: String
    public var file: SourceFile?
    public var range: SourceRange?
    /// Extra lines printed after the caret (suggestions, accepted names).
    public var notes: [String]
    /// Functions the error passed through, innermost first.
    public var callStack: [StackEntry]
    /// Entries past `maxStackEntries`, counted but not listed (deep recursion).
    public var omittedStackEntries = 0

    public init(_ kind: Kind, _ message: String, file: SourceFile? = nil, range: SourceRange? = nil,
                notes: [String] = []) {
        self.kind = kind
        self.message = message
        self.file = file
        self.range = range
        self.notes = notes
        self.callStack = []
    }

    /// One line of the call stack: `in fn project (analysis.ltnb:10:1)`.
    public struct StackEntry: Sendable, Equatable {
        public var function: String
        public var file: String
        public var location: SourceLocation
        /// Further calls of the same function right below this one (recursion), folded
        /// into this entry.
        public var repeats = 0
        /// Byte offset of the function in its source, to fold repeats cheaply.
        var offset = -1
    }

    /// `file:line:col` of the start of the range, if known.
    public var locationText: String? {
        guard let file, let range else { return nil }
        return "\(file.name):\(file.location(of: range.start))"
    }

    public var description: String { DiagnosticRenderer.render(self) }
}
