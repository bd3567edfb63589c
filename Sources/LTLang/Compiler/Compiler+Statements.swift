import Synchronization

/// Statements: assignment, `let`, `fn`, loops and jumps.
extension Compiler {
    func compileStatement(_ stmt: Stmt) throws(Diagnostic) -> Code {
        switch stmt.kind {
        case .expression(let e):
            return try compileExpression(e)
        case .letDecl(let name, let nameRange, let value):
            let valueCode = try compileExpression(value)  // `let x = x + 1` reads the outer x
            return store(try declare(name, nameRange), valueCode)
        case .assign(let target, let op, let value, let opRange):
            return try compileAssignment(target, op, value, opRange: opRange, range: stmt.range)
        case .function(let decl):
            guard let name = decl.name, let nameRange = decl.nameRange else { return try compileFunction(decl) }
            // Declared before its body is compiled, so it can call itself.
            let target: Resolution
            if scope.atGlobalLevel {
                target = .global(try declareGlobal(name, nameRange))
            } else if let r = lookup(name), case .local(0, _) = r, scope.blocks.last?[name] != nil {
                target = r
            } else {
                target = try declare(name, nameRange)
            }
            return store(target, try compileFunction(decl))
        case .forLoop(let first, let firstRange, let second, let secondRange, let iterable, let body):
            return try compileFor(first, firstRange, second, secondRange, iterable, body, range: stmt.range)
        case .whileLoop(let condition, let body):
            return try compileWhile(condition, body)
        case .returnStmt(let value):
            if scope.isUnit {
                throw error(.syntax, "'return' outside a function", stmt.range)
            }
            guard let value else { return { _ throws(Unwind) in throw Unwind.returning(.nil) } }
            let code = try compileExpression(value)
            return { f throws(Unwind) in throw Unwind.returning(try code(f)) }
        case .breakStmt:
            guard scope.loopDepth > 0 else { throw error(.syntax, "'break' outside a loop", stmt.range) }
            return { _ throws(Unwind) in throw Unwind.breaking }
        case .continueStmt:
            guard scope.loopDepth > 0 else { throw error(.syntax, "'continue' outside a loop", stmt.range) }
            return { _ throws(Unwind) in throw Unwind.continuing }
        }
    }

    // MARK: - Assignment

    private func compileAssignment(_ target: AssignTarget, _ op: BinaryOperator?, _ value: Expr,
                                   opRange: SourceRange, range: SourceRange) throws(Diagnostic) -> Code {
        let file = self.file
        let session = Session(interpreter)
        if case .name(let name, let nameRange) = target, let op {
            guard let r = try lookupOrExistingGlobal(name, nameRange) else {
                throw error(.name, "unknown name '\(name)'; '\(op.rawValue)=' needs an existing binding", nameRange)
            }
            let current = load(r, name: name, range: nameRange)
            let rhs = try operand(value)
            if let code = compoundAssignment(op, r, current, rhs, general: generalOperation(op, range: range)) { return code }
            return store(r, binaryCode(op, current, code(rhs), range: range))
        }
        var valueCode = try compileExpression(value)
        switch target {
        case .name(let name, let nameRange):
            if let op {
                guard let r = try lookupOrExistingGlobal(name, nameRange) else {
                    throw error(.name, "unknown name '\(name)'; '\(op.rawValue)=' needs an existing binding", nameRange)
                }
                let current = load(r, name: name, range: nameRange)
                valueCode = binaryCode(op, current, valueCode, range: range)
                return store(r, valueCode)
            }
            return store(try resolveAssign(name, nameRange), valueCode)
        case .member(let objectExpr, let name, let nameRange):
            let object = try compileExpression(objectExpr)
            let objectRange = objectExpr.range
            let rhs = valueCode
            return { f throws(Unwind) in
                let o = try object(f)
                guard case .record(let r) = o else {
                    if case .object(let obj) = o {
                        throw fail(.type, "fields of a \(obj.typeName) are read-only", file, nameRange)
                    }
                    throw fail(.type, "cannot set field '\(name)' on \(describeForError(o)); only records have assignable fields", file, objectRange)
                }
                var v = try rhs(f)
                if let op {
                    guard let old = r[name] else { throw fail(.name, "record has no field '\(name)'", file, nameRange) }
                    do { v = try Operators.binary(op, old, v, limit: session.interpreter.maxCollectionSize) } catch { throw fail(error, file, opRange) }
                }
                r[name] = v
                return .nil
            }
        case .index(let objectExpr, let items, let indexRange):
            let object = try compileExpression(objectExpr)
            let itemCodes = try compileIndexItems(items)
            let rhs = valueCode
            return { f throws(Unwind) in
                let o = try object(f)
                let index = try itemCodes(f)
                var v = try rhs(f)
                do {
                    if let op {
                        v = try Operators.binary(op, try Indexing.get(o, index), v, limit: session.interpreter.maxCollectionSize)
                    }
                    try Indexing.set(o, index, v)
                } catch {
                    throw fail(error, file, indexRange)
                }
                return .nil
            }
        }
    }

    // MARK: - Loops

    private func compileWhile(_ condition: Expr, _ body: Block) throws(Diagnostic) -> Code {
        let cond = try compileCondition(condition)
        scope.loopDepth += 1
        let bodyCode = try compileBlock(body)
        scope.loopDepth -= 1
        let file = self.file, range = condition.range
        return { f throws(Unwind) in
            while try cond(f) {
                if interruptRequested.load(ordering: .relaxed) { throw fail(.interrupt, "interrupted", file, range) }
                do throws(Unwind) { discard(try bodyCode(f)) } catch {
                    switch error {
                    case .breaking: return .nil
                    case .continuing: continue
                    default: throw error
                    }
                }
            }
            return .nil
        }
    }

    private func compileFor(_ first: String, _ firstRange: SourceRange, _ second: String?, _ secondRange: SourceRange?,
                            _ iterable: Expr, _ body: Block, range: SourceRange) throws(Diagnostic) -> Code {
        let file = self.file
        let source = try compileExpression(iterable)
        // A range(...) call loops without building the list, when `range` is the built-in.
        var rangeArgs: [CodeBox]?
        var rangeCallee: Code?
        if second == nil, case .call(let callee, let arguments) = iterable.kind, case .name("range") = callee.kind,
           (1...3).contains(arguments.count), arguments.allSatisfy({ $0.label == nil }) {
            rangeCallee = try compileExpression(callee)
            var codes: [CodeBox] = []
            for a in arguments { codes.append(CodeBox(try compileExpression(a.value))) }
            rangeArgs = codes
        }
        scope.blocks.append([:])
        defer { scope.blocks.removeLast() }
        let firstSlot = scope.declareLocal(first)
        let secondSlot = second.map { scope.declareLocal($0) }
        scope.loopDepth += 1
        let (bodyCode, borrowingBody) = try compileLoopBody(body)
        scope.loopDepth -= 1
        // `for c in xs` whose body cannot free an element (Compiler+BorrowedLet): the loop
        // variable borrows each element, as a borrowing `let` does; the loop keeps the
        // list itself alive.
        let borrowsItems = second == nil && BorrowedPayload.layoutHolds
            && BorrowSafety(protected: [first]).allows(body)
        if borrowsItems { borrowedLoops += 1 }
        let rangeBuiltin = interpreter.builtin(named: "range")
        let iterRange = iterable.range

        /// Runs the body once; false means `break`.
        @inline(__always) func step(_ f: Frame) throws(Unwind) -> Bool {
            if interruptRequested.load(ordering: .relaxed) { throw fail(.interrupt, "interrupted", file, iterRange) }
            do throws(Unwind) { discard(try bodyCode(f)) } catch {
                switch error {
                case .breaking: return false
                case .continuing: return true
                default: throw error
                }
            }
            return true
        }

        let generic: Code = { f throws(Unwind) in
            let collection = try source(f)
            switch collection {
            case .list(let box) where borrowsItems:
                let target = f.withUnsafeMutablePointerToElements { $0 + firstSlot }
                if !target.pointee.holdsNoReference { target.pointee = .nil }
                defer { target.initialize(to: .nil) }
                var i = 0
                while box.copyElementBits(at: i, to: target) {
                    i += 1
                    if try !step(f) { break }
                }
            case .list(let box):
                var i = 0
                while i < box.items.count {
                    let item = box.items[i]
                    i += 1
                    if let secondSlot {
                        guard case .list(let pair) = item, pair.items.count == 2 else {
                            throw fail(.type, "cannot unpack \(describeForError(item)) into '\(first), \(second ?? "")'; expected a list of 2", file, iterRange)
                        }
                        f[firstSlot] = pair.items[0]
                        f[secondSlot] = pair.items[1]
                    } else {
                        f[firstSlot] = item
                    }
                    if try !step(f) { break }
                }
            case .record(let box):
                let keys = box.keys
                for key in keys {
                    f[firstSlot] = .string(key)
                    if let secondSlot { f[secondSlot] = box[key] ?? .nil }
                    if try !step(f) { break }
                }
            case .string(let s):
                if secondSlot != nil { throw fail(.type, "cannot unpack characters of a string into two names", file, iterRange) }
                for ch in s {
                    f[firstSlot] = .string(String(ch))
                    if try !step(f) { break }
                }
            case .object(let o):
                let items: [Value]
                do {
                    guard let elements = try o.elements() else {
                        throw fail(.type, "cannot iterate over a \(o.typeName)", file, iterRange)
                    }
                    items = elements
                } catch { throw fail(error, file, iterRange) }
                for item in items {
                    f[firstSlot] = item
                    if let secondSlot { f[secondSlot] = .nil }
                    if try !step(f) { break }
                }
            default:
                throw fail(.type, "cannot iterate over \(describeForError(collection)); expected a list, record, string or tensor", file, iterRange)
            }
            return .nil
        }

        guard let rangeArgs, let rangeCallee, case .call(_, let arguments) = iterable.kind else { return generic }
        let session = Session(interpreter)
        let site = CallSite(file: file, range: iterRange, argumentRanges: arguments.map(\.range), calleeRange: iterRange)
        return { f throws(Unwind) in
            guard case .function(let fn) = try rangeCallee(f), let b = fn.builtin, b === rangeBuiltin else {
                return try generic(f)
            }
            var values: [Value] = []
            var bounds: [Double] = []
            for a in rangeArgs {
                let v = try a.run(f)
                values.append(v)
                // The same bounds as the built-in; anything else gets its error message.
                guard case .number(let n) = v, n.isFinite, n == n.rounded(), abs(n) <= 0x1p52 else {
                    _ = try session.interpreter.invoke(fn, positional: values, keywords: [], site: site)
                    throw fail(.value, "invalid arguments to 'range'", file, iterRange)
                }
                bounds.append(n)
            }
            let (start, stop, stride): (Double, Double, Double) =
                bounds.count == 1 ? (0, bounds[0], 1) : (bounds[0], bounds[1], bounds.count == 3 ? bounds[2] : 1)
            if stride == 0 { throw fail(.value, "range step cannot be 0", file, iterRange) }
            let loop = CountingLoop(start: start, stop: stop, stride: stride, slot: firstSlot, file: file, range: iterRange)
            switch borrowingBody {
            case .plain(let node)?: try loop.run(f, node)
            case .guarded(let node)?: try loop.run(f, node)
            case nil: try loop.run(f, PlainRest(code: bodyCode))
            }
            return .nil
        }
    }

    /// A loop's body: a borrowing `let` first comes back as its node too, which a
    /// counting loop runs without a call. The body's value is discarded, so the last
    /// statement's value is kept (no wrapper to make it nil).
    private func compileLoopBody(_ body: Block) throws(Diagnostic) -> (Code, BorrowedLetNode?) {
        scope.blocks.append([:])
        defer { scope.blocks.removeLast() }
        let statements = body.statements[...]
        if let first = statements.first,
           let node = try borrowedLetNode(first, then: statements.dropFirst(), valueIsLast: true) {
            return (node.code, node)
        }
        return (try compileStatements(statements, valueIsLast: body.valueIsLast), nil)
    }
}

/// `for x in range(…)` once its bounds are checked: the body runs once per number, `break`
/// and `continue` handled, Ctrl-C checked each pass. Specialised per kind of body.
private struct CountingLoop {
    let start: Double, stop: Double, stride: Double
    let slot: Int
    let file: SourceFile
    let range: SourceRange

    func run<Body: InlineCode>(_ f: Frame, _ body: Body) throws(Unwind) {
        /// Runs the body once; false means `break`.
        @inline(__always) func step() throws(Unwind) -> Bool {
            if interruptRequested.load(ordering: .relaxed) { throw fail(.interrupt, "interrupted", file, range) }
            do throws(Unwind) { discard(try body.run(f)) } catch {
                switch error {
                case .breaking: return false
                case .continuing: return true
                default: throw error
                }
            }
            return true
        }
        // Counting up, the common case, tests one bound with no per-pass branch on the sign.
        var x = start
        if stride > 0 {
            while x < stop {
                f[slot] = .number(x)
                if try !step() { break }
                x += stride
            }
        } else {
            while x > stop {
                f[slot] = .number(x)
                if try !step() { break }
                x += stride
            }
        }
    }
}
