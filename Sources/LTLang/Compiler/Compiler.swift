/// Compiles a resolved syntax tree to nested Swift closures (`Code`).
///
/// Names become slot indices, constants are captured, and the common number-number
/// cases of operators are inlined, so the hot path does no dictionary lookups and no
/// existential boxing.
final class Compiler {
    let file: SourceFile
    unowned let interpreter: Interpreter
    let globals: Globals
    var scope: FunctionScope
    /// `ltnb check`: collect unknown names instead of running.
    let checking: Bool
    private(set) var unresolved: [Diagnostic] = []
    private var reportedNames: Set<String> = []
    /// The functions being compiled, outermost first. Each notes the names it reads from
    /// enclosing functions and how its assignments resolved, so the notebook cache can
    /// rebuild it from its source (`Compiler+Restore.swift`).
    var functionRecords: [FunctionRecord] = []
    /// Set only when recompiling a cached function: the names its assignments resolved to
    /// globals when it was first compiled, so the rebuilt code makes the same choice
    /// whatever globals the restoring session has declared.
    var restoredGlobalAssignments: Set<String>?
    /// How many borrowing `let`s, borrowing loop variables and in-place comparisons this
    /// compiler built: tests check that the fast shapes are chosen where they should be,
    /// and only there.
    var borrowedLets = 0
    var borrowedLoops = 0
    var placeComparisons = 0

    init(file: SourceFile, interpreter: Interpreter, checking: Bool) {
        self.file = file
        self.interpreter = interpreter
        self.globals = interpreter.globals
        self.scope = FunctionScope(parent: nil, isUnit: true)
        self.checking = checking
    }

    func error(_ kind: Diagnostic.Kind, _ message: String, _ range: SourceRange, notes: [String] = []) -> Diagnostic {
        Diagnostic(kind, message, file: file, range: range, notes: notes)
    }

    /// Compiles a unit; returns its code and the slot count of its frame.
    func compileUnit(_ block: Block) throws(Diagnostic) -> (Code, Int) {
        // Top-level names are globals from the start, so functions may refer to names
        // assigned later in the unit.
        for stmt in block.statements {
            switch stmt.kind {
            case .assign(.name(let name, _), _, _, _), .letDecl(let name, _, _):
                try declareGlobal(name, stmt.range)
            case .function(let decl):
                if let name = decl.name { try declareGlobal(name, stmt.range) }
            default: break
            }
        }
        let code = try compileBlock(block, newScope: false)
        return (code, scope.slotCount)
    }

    @discardableResult
    func declareGlobal(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Int {
        guard let slot = globals.slot(for: name) else {
            throw error(.limit, "too many global names (limit \(Globals.capacity))", range)
        }
        globals.markDeclared(slot)
        return slot
    }

    // MARK: - Name resolution

    /// The binding `name` refers to, searching blocks and enclosing functions, then globals.
    func lookup(_ name: String) -> Resolution? {
        var depth = 0
        var current: FunctionScope? = scope
        while let s = current {
            let lowest = s.isUnit ? 1 : 0
            var b = s.blocks.count - 1
            while b >= lowest {
                if let slot = s.blocks[b][name] {
                    if depth > 0 { noteCapture(name, depth: depth, slot: slot) }
                    return .local(depth: depth, slot: slot)
                }
                b -= 1
            }
            depth += 1
            current = s.parent
        }
        return nil
    }

    /// A name being read: a local, else a global slot (reserved if new, reported by check).
    func resolveRead(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Resolution {
        if let r = lookup(name) { return r }
        if let slot = globals.existingSlot(name) {
            if checking, !globals.declared[slot], !globals.isDefined(slot) { reportUnknown(name, range) }
            return .global(slot)
        }
        if checking { reportUnknown(name, range) }
        guard let slot = globals.slot(for: name) else {
            throw error(.limit, "too many global names (limit \(Globals.capacity))", range)
        }
        return .global(slot)
    }

    /// A name being assigned: the nearest enclosing binding, else a new one in this block.
    /// A global that only holds a built-in is not captured by assignment inside a function.
    func resolveAssign(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Resolution {
        if let r = lookup(name) { return r }
        if scope.atGlobalLevel { return .global(try declareGlobal(name, range)) }
        if let restored = restoredGlobalAssignments {
            if restored.contains(name) {
                for record in functionRecords { record.assignedGlobals.insert(name) }
                return .global(try reserveGlobal(name, range))
            }
        } else if let slot = globals.existingSlot(name), globals.declared[slot] {
            for record in functionRecords { record.assignedGlobals.insert(name) }
            return .global(slot)
        }
        return .local(depth: 0, slot: scope.declareLocal(name))
    }

    /// The global `op=` updates: an existing slot (a cached function being rebuilt
    /// reserves it, since it compiled when first defined).
    private func existingGlobal(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Resolution? {
        if restoredGlobalAssignments != nil { return .global(try reserveGlobal(name, range)) }
        return globals.existingSlot(name).map { .global($0) }
    }

    /// A local binding, else an existing global: what `name op= value` updates.
    func lookupOrExistingGlobal(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Resolution? {
        if let r = lookup(name) { return r }
        return try existingGlobal(name, range)
    }

    private func reserveGlobal(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Int {
        guard let slot = globals.slot(for: name) else {
            throw error(.limit, "too many global names (limit \(Globals.capacity))", range)
        }
        return slot
    }

    /// Records `name`, found `depth` function scopes out, as a capture of every function
    /// being compiled that it lies outside of.
    private func noteCapture(_ name: String, depth: Int, slot: Int) {
        let innermost = functionRecords.count - 1
        for (i, record) in functionRecords.enumerated() {
            // The record's scope is `innermost - i` scopes out from the current one.
            let outside = depth - (innermost - i) - 1
            if outside >= 0 { record.capture(name, depth: outside, slot: slot) }
        }
    }

    /// `let` and `fn name`: always a new binding in the current block.
    func declare(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Resolution {
        if scope.atGlobalLevel { return .global(try declareGlobal(name, range)) }
        return .local(depth: 0, slot: scope.declareLocal(name))
    }

    private func reportUnknown(_ name: String, _ range: SourceRange) {
        guard !reportedNames.contains(name) else { return }
        reportedNames.insert(name)
        var notes: [String] = []
        if let guess = nearest(name, in: interpreter.allNames + globals.names.indices.filter { globals.declared[$0] }.map { globals.names[$0] }) {
            notes.append("did you mean '\(guess)'?")
        }
        unresolved.append(error(.name, "unknown name '\(name)'", range, notes: notes))
    }

    // MARK: - Blocks

    func compileBlock(_ block: Block, newScope: Bool = true) throws(Diagnostic) -> Code {
        if newScope { scope.blocks.append([:]) }
        defer { if newScope { scope.blocks.removeLast() } }
        return try compileStatements(block.statements[...], valueIsLast: block.valueIsLast)
    }

    /// Statements of one block, in order; the value is the last one's when `valueIsLast`.
    func compileStatements(_ statements: ArraySlice<Stmt>, valueIsLast: Bool) throws(Diagnostic) -> Code {
        // CodeBox, not Code: a closure taken back out of an [Code] runs behind two thunks.
        var codes: [CodeBox] = []
        var i = statements.startIndex
        while i < statements.endIndex {
            let rest = statements[(i + 1)...]
            // `let c = xs[k]` and the statements after it, as one node (Compiler+BorrowedLet).
            if let borrowing = try borrowedLet(statements[i], then: rest, valueIsLast: valueIsLast) {
                codes.append(CodeBox(borrowing))
                return sequence(codes, valueIsLast: true, lastGivesNil: false)
            }
            codes.append(CodeBox(try compileStatement(statements[i])))
            i += 1
        }
        return sequence(codes, valueIsLast: valueIsLast, lastGivesNil: statements.last.map(Compiler.givesNil) ?? true)
    }

    /// Whether a statement's code always gives nil (or throws): everything but an
    /// expression and an unnamed `fn` (its value is the function). Such a last statement
    /// needs no wrapper to make its block's value nil.
    private static func givesNil(_ stmt: Stmt) -> Bool {
        switch stmt.kind {
        case .expression: return false
        case .function(let decl): return decl.name != nil
        default: return true
        }
    }

    /// Runs `codes` in order, giving the last one's value when `valueIsLast`.
    private func sequence(_ codes: [CodeBox], valueIsLast: Bool, lastGivesNil: Bool) -> Code {
        switch (codes.count, valueIsLast || lastGivesNil) {
        case (0, _):
            return { _ in .nil }
        case (1, true):
            return codes[0].run
        case (1, false):
            let a = codes[0].run
            return { f throws(Unwind) in discard(try a(f)); return .nil }
        case (2, true):
            let a = codes[0].run, b = codes[1].run
            return { f throws(Unwind) in discard(try a(f)); return try b(f) }
        case (2, false):
            let a = codes[0].run, b = codes[1].run
            return { f throws(Unwind) in discard(try a(f)); discard(try b(f)); return .nil }
        case (3, _):
            let a = codes[0].run, b = codes[1].run, c = codes[2].run
            return { f throws(Unwind) in
                discard(try a(f)); discard(try b(f))
                let v = try c(f)
                return valueIsLast ? v : .nil
            }
        default:
            let head = Array(codes.dropLast())
            let last = codes[codes.count - 1].run
            return { f throws(Unwind) in
                for c in head { discard(try c.run(f)) }
                let v = try last(f)
                return valueIsLast ? v : .nil
            }
        }
    }

    // MARK: - Variable access code

    func load(_ r: Resolution, name: String, range: SourceRange) -> Code {
        switch r {
        case .local(0, let slot):
            return { f in f[slot] }
        case .local(1, let slot):
            return { f in f.withParent { $0[slot] } ?? .nil }
        case .local(let depth, let slot):
            return { f in f.withAncestor(depth) { $0[slot] } }
        case .global(let slot):
            let values = globals.values
            let file = self.file
            let session = Session(interpreter)
            let marker = Undefined.markerWord
            return { _ throws(Unwind) in
                if (values + slot).holdsUndefinedMarker(marker) {
                    throw Unwind.error(RuntimeError(Compiler.unknownName(name, range, file, session.interpreter)))
                }
                return values[slot]
            }
        }
    }

    static func unknownName(_ name: String, _ range: SourceRange, _ file: SourceFile, _ interpreter: Interpreter) -> Diagnostic {
        var d = Diagnostic(.name, "unknown name '\(name)'", file: file, range: range)
        if let guess = nearest(name, in: interpreter.allNames) { d.notes.append("did you mean '\(guess)'?") }
        return d
    }

    func store(_ r: Resolution, _ value: @escaping Code) -> Code {
        switch r {
        case .local(0, let slot):
            return { f throws(Unwind) in f[slot] = try value(f); return .nil }
        case .local(let depth, let slot):
            return { f throws(Unwind) in let v = try value(f); f.withAncestor(depth) { $0[slot] = v }; return .nil }
        case .global(let slot):
            let values = globals.values
            return { f throws(Unwind) in values[slot] = try value(f); return .nil }
        }
    }
}

/// The interpreter as compiled code holds it: not retained, so that globals → function →
/// code → interpreter is not a reference cycle and a dropped interpreter frees its session.
/// Compiled code only runs inside its own interpreter's `evaluate` or `call`.
struct Session {
    unowned(unsafe) let interpreter: Interpreter
    init(_ interpreter: Interpreter) { self.interpreter = interpreter }
}

/// Builds the `Unwind` for an error at `range` of `file`.
@inline(never)
func fail(_ kind: Diagnostic.Kind, _ message: String, _ file: SourceFile, _ range: SourceRange, notes: [String] = []) -> Unwind {
    .error(RuntimeError(Diagnostic(kind, message, file: file, range: range, notes: notes)))
}

/// Turns an `LTError` from an operator or index into an `Unwind` at `range`.
@inline(never)
func fail(_ error: any Error, _ file: SourceFile, _ range: SourceRange) -> Unwind {
    if let u = error as? Unwind { return u }
    if let lt = error as? LTError { return fail(lt.kind, lt.message, file, range, notes: lt.notes) }
    if let d = error as? Diagnostic { return .error(RuntimeError(d)) }
    return fail(.value, "\(error)", file, range)
}
