import LTLang

/// When an entry is finished: the REPL's rule for continuing with `...`, and the Jupyter
/// kernel's is_complete_request. Only the parser decides, so the two never disagree.
public enum EntryStatus: Equatable, Sendable {
    /// Parses (or is blank): run it.
    case complete
    /// More lines could finish it: an open bracket, a trailing operator, an open string.
    case incomplete
    /// A syntax error no further line can fix.
    case invalid

    public static func of(_ text: String) -> EntryStatus {
        if text.allSatisfy(\.isWhitespace) { return .complete }
        guard let d = Interpreter.parse(SourceFile(name: "<entry>", text: text)) else { return .complete }
        return d.kind == .incomplete ? .incomplete : .invalid
    }
}
