/// Rebuilding a cached user function (see `ValueCoder+Functions.swift`).
extension Compiler {
    /// The code of the function whose declaration spans `range` of `file`, compiled in
    /// `interpreter` as it was first compiled.
    ///
    /// - `tokens` are the whole unit's tokens: the function is parsed from its own slice
    ///   of them, because a lexer started mid-unit would not know the brackets around the
    ///   function, which decide where newlines end statements.
    /// - Enclosing functions become one scope per captured frame (`slotCounts[d]` slots
    ///   at `d` frames up) that names only the captured variables, at their original
    ///   slots; every other name resolves to a global, as it did.
    /// - An assignment to a name that is not local binds the global exactly when it did
    ///   first (`assignedGlobals`), not by what this session happens to have declared.
    static func restoreFunction(file: SourceFile, tokens: [Token], range: SourceRange,
                                captures: [FunctionCode.Capture], slotCounts: [Int], assignedGlobals: [String],
                                interpreter: Interpreter) throws(Diagnostic) -> FunctionCode {
        var slice = tokens.filter { $0.range.start >= range.start && $0.range.end <= range.end && $0.kind != .end }
        slice.append(Token(kind: .end, range: SourceRange(range.end, range.end)))
        var parser = Parser(file: file, tokens: slice)
        guard parser.check(.fn) else {
            throw Diagnostic(.syntax, "no function starts here", file: file, range: range)
        }
        let decl = try parser.function()
        guard parser.atEnd, decl.range == range else {
            throw Diagnostic(.syntax, "the function's text does not end where it did", file: file, range: range)
        }
        let compiler = Compiler(file: file, interpreter: interpreter, checking: false)
        compiler.restoredGlobalAssignments = Set(assignedGlobals)
        var scope: FunctionScope?
        for depth in slotCounts.indices.reversed() {  // outermost first
            let s = FunctionScope(parent: scope, isUnit: false)
            s.slotCount = slotCounts[depth]
            for c in captures where c.depth == depth { s.blocks[0][c.name] = c.slot }
            scope = s
        }
        compiler.scope = scope ?? FunctionScope(parent: nil, isUnit: false)
        return try compiler.compileFunctionCode(decl)
    }
}
