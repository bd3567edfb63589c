/// `let c = xs[k]` that borrows the element instead of retaining it.
///
/// The notebook loop `for k in range(K) { let c = info[k]; if c.p == p … }` spent a fifth of
/// its time on one atomic retain (copying the record out of the list) and one release
/// (overwriting `c` on the next pass). When nothing after the `let` in its block can free
/// what the list holds, the slot takes the element's bits without a retain, and the block
/// puts nil back without a release when it leaves, however it leaves. Reading `c` copies
/// (retains) as usual, so a value that outlives the block owns its reference. `for c in xs`
/// borrows its loop variable the same way when its body allows (Compiler+Statements).
extension Compiler {
    /// The `let` and the rest of its block as one node, or nil when the shape or the rest
    /// does not allow a borrow (then the statements compile one by one).
    func borrowedLet(_ stmt: Stmt, then rest: ArraySlice<Stmt>, valueIsLast: Bool) throws(Diagnostic) -> Code? {
        try borrowedLetNode(stmt, then: rest, valueIsLast: valueIsLast)?.code
    }

    /// The node itself, for a loop that runs it as its body without a call
    /// (Compiler+Statements).
    func borrowedLetNode(_ stmt: Stmt, then rest: ArraySlice<Stmt>, valueIsLast: Bool) throws(Diagnostic) -> BorrowedLetNode? {
        guard !scope.atGlobalLevel, !rest.isEmpty, BorrowedPayload.layoutHolds,
              case .letDecl(let name, _, let value) = stmt.kind,
              case .index(let listExpr, let items) = value.kind, items.count == 1,
              case .single(let indexExpr) = items[0], case .name(let listName) = listExpr.kind else { return nil }
        switch indexExpr.kind {
        case .name, .number: break
        default: return nil
        }
        guard let source = elementSource(listName) else { return nil }
        let list: ListSlot
        switch source {
        case .local(let slot): list = .local(slot)
        case .global(let slot): list = .global(globals.values + slot)
        }
        let index: ElementIndex
        switch indexExpr.kind {
        case .number(let n): index = .constant(n)
        case .name(let indexName):
            guard case .local(0, let s)? = lookup(indexName) else { return nil }
            index = .local(s)
        default: return nil
        }
        // Last, the walk over the rest of the block.
        let safety = BorrowSafety(protected: [name, listName])
        for s in rest where !safety.allows(s) { return nil }
        // Compiled before the name is declared, as `let` does (`let x = xs[x]` reads the
        // outer x): the general path, with its errors, for anything but a list element.
        let general = try compileExpression(value)
        let slot = scope.declareLocal(name)
        borrowedLets += 1
        // `let c = xs[k]; if c.p == p … { … }`: the test runs in this node (no call for a
        // pass that fails it).
        if let (conjunction, thenCode) = try guardedBlock(rest, valueIsLast: valueIsLast) {
            return .guarded(BorrowingLet(list: list, index: index, slot: slot, general: general,
                                         rest: GuardedRest(conjunction: conjunction, then: thenCode)))
        }
        let restCode = try compileStatements(rest, valueIsLast: valueIsLast)
        return .plain(BorrowingLet(list: list, index: index, slot: slot, general: general, rest: PlainRest(code: restCode)))
    }

    /// `rest` when it is one `if` with no `else` whose condition is a `PlaceConjunction`:
    /// the conjunction and the compiled `then` block; nil (nothing compiled) otherwise.
    private func guardedBlock(_ rest: ArraySlice<Stmt>, valueIsLast: Bool) throws(Diagnostic) -> (PlaceConjunction, Code)? {
        guard rest.count == 1, let stmt = rest.first, case .expression(let e) = stmt.kind,
              case .ifElse(let condition, let then, nil) = e.kind,
              let conjunction = try placeConjunction(condition, ordinary: ordinaryComparison) else { return nil }
        let thenCode = try compileBlock(then)
        if valueIsLast { return (conjunction, thenCode) }
        return (conjunction, { f throws(Unwind) in discard(try thenCode(f)); return .nil })
    }

}

/// A borrowing `let` and the rest of its block, by the kind of rest.
enum BorrowedLetNode {
    case plain(BorrowingLet<PlainRest>)
    case guarded(BorrowingLet<GuardedRest>)

    /// The node as a closure.
    var code: Code {
        switch self {
        case .plain(let node): return { f throws(Unwind) in try node.run(f) }
        case .guarded(let node): return { f throws(Unwind) in try node.run(f) }
        }
    }
}

/// Code run without a call by the node that holds it (specialised per kind).
protocol InlineCode {
    func run(_ f: Frame) throws(Unwind) -> Value
}

/// The borrowing node: `slot` takes element `index` of `list` unretained (or, for anything
/// but a list element, `general`'s value), `rest` runs, and the slot is cleared however
/// `rest` leaves.
struct BorrowingLet<Rest: InlineCode>: InlineCode {
    let list: ListSlot
    let index: ElementIndex
    let slot: Int
    let general: Code
    let rest: Rest

    @inline(__always) func run(_ f: Frame) throws(Unwind) -> Value {
        let target = f.withUnsafeMutablePointerToElements { $0 + slot }
        if !target.pointee.holdsNoReference { target.pointee = .nil }
        let source: UnsafeMutablePointer<Value>
        switch list {
        case .local(let s): source = f.withUnsafeMutablePointerToElements { $0 + s }
        case .global(let p): source = p
        }
        let n: Double?
        switch index {
        case .constant(let c): n = c
        case .local(let s): n = f.number(at: s)
        }
        var borrowed = false
        if let n {
            borrowed = source.withList(borrow: true) { box in box.copyElementBits(n, to: target) } ?? false
        }
        if !borrowed { target.initialize(to: try general(f)) }
        defer {
            if borrowed { target.initialize(to: .nil) } else { target.pointee = .nil }
        }
        return try rest.run(f)
    }
}

/// Any statements, compiled.
struct PlainRest: InlineCode {
    let code: Code
    @inline(__always) func run(_ f: Frame) throws(Unwind) -> Value { try code(f) }
}

/// `if <in-place comparisons> { then }`, tested here.
struct GuardedRest: InlineCode {
    let conjunction: PlaceConjunction
    let then: Code
    @inline(__always) func run(_ f: Frame) throws(Unwind) -> Value { try conjunction.holds(f) ? try then(f) : .nil }
}

/// Where the borrowed-from list lives.
enum ListSlot {
    case local(Int)
    case global(UnsafeMutablePointer<Value>)
}

enum ElementIndex {
    case constant(Double)
    case local(Int)
}

extension ListBox {
    /// Copies element `n`'s bits to `target` (uninitialised or holding no reference)
    /// without retaining it; false when `n` is not an index of the list.
    @inline(__always) func copyElementBits(_ n: Double, to target: UnsafeMutablePointer<Value>) -> Bool {
        guard let i = index(n) else { return false }
        return copyElementBits(at: i, to: target)
    }

    /// As above for an `Int` index; false past the end.
    @inline(__always) func copyElementBits(at i: Int, to target: UnsafeMutablePointer<Value>) -> Bool {
        guard i >= 0, i < items.count else { return false }
        return items.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            UnsafeMutableRawPointer(target).copyMemory(from: base + i, byteCount: MemoryLayout<Value>.size)
            return true
        }
    }
}

/// Whether statements may run while a slot borrows a list's element: nothing in them can
/// free what the list holds. So no call (it could run anything), no function literal (it
/// could outlive the block), no assignment to an index or field, and no assignment to the
/// borrowing name or the list's name. Conservative by name: a shadowing binding of either
/// also refuses.
struct BorrowSafety {
    let protected: Set<String>

    func allows(_ stmt: Stmt) -> Bool {
        switch stmt.kind {
        case .expression(let e): return allows(e)
        case .letDecl(_, _, let value): return allows(value)
        case .assign(.name(let target, _), _, let value, _): return !protected.contains(target) && allows(value)
        case .assign: return false
        case .function: return false
        case .forLoop(let first, _, let second, _, let iterable, let body):
            return !protected.contains(first) && !(second.map(protected.contains) ?? false) && allows(iterable) && allows(body)
        case .whileLoop(let condition, let body): return allows(condition) && allows(body)
        case .returnStmt(let value): return value.map { allows($0) } ?? true
        case .breakStmt, .continueStmt: return true
        }
    }

    func allows(_ block: Block) -> Bool {
        for s in block.statements where !allows(s) { return false }
        return true
    }

    func allows(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .number, .string, .bool, .nilLiteral, .name: return true
        case .interpolation(let parts):
            for case .expr(let e) in parts where !allows(e) { return false }
            return true
        case .list(let items):
            for e in items where !allows(e) { return false }
            return true
        case .record(let fields):
            for field in fields where !allows(field.value) { return false }
            return true
        case .unary(_, let e), .not(let e): return allows(e)
        case .binary(_, let l, let r, _), .and(let l, let r), .or(let l, let r): return allows(l) && allows(r)
        case .member(let e, _, _): return allows(e)
        case .index(let e, let items):
            guard allows(e) else { return false }
            for item in items {
                switch item {
                case .single(let i): if !allows(i) { return false }
                case .slice(let a, let b, let c, _):
                    for part in [a, b, c] { if let part, !allows(part) { return false } }
                }
            }
            return true
        case .ifElse(let condition, let then, let otherwise):
            return allows(condition) && allows(then) && (otherwise.map { allows($0) } ?? true)
        case .block(let b): return allows(b)
        case .call, .function: return false
        }
    }
}
