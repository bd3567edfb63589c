/// Expressions: literals, names, operators, containers, functions, if and blocks.
extension Compiler {
    func compileExpression(_ expr: Expr) throws(Diagnostic) -> Code {
        let file = self.file
        let range = expr.range
        switch expr.kind {
        case .number(let n):
            let v = Value.number(n)
            return { _ in v }
        case .string(let s):
            let v = Value.string(s)
            return { _ in v }
        case .bool(let b):
            let v = Value.bool(b)
            return { _ in v }
        case .nilLiteral:
            return { _ in .nil }
        case .name(let name):
            return load(try resolveRead(name, range), name: name, range: range)
        case .interpolation(let parts):
            var pieces: [(String?, CodeBox?)] = []
            for part in parts {
                switch part {
                case .text(let t): pieces.append((t, nil))
                case .expr(let e): pieces.append((nil, CodeBox(try compileExpression(e))))
                }
            }
            let session = Session(interpreter)
            return { f throws(Unwind) in
                var out = ""
                for (text, code) in pieces {
                    if let text { out += text } else if let code { out += try code.run(f).plainText }
                }
                if out.utf8.count > session.interpreter.maxCollectionSize {
                    throw fail(.limit, "string of \(out.utf8.count) bytes exceeds the limit", file, range)
                }
                return .string(out)
            }
        case .list(let elements):
            var codes: [CodeBox] = []
            for e in elements { codes.append(CodeBox(try compileExpression(e))) }
            return { f throws(Unwind) in
                var items: [Value] = []
                items.reserveCapacity(codes.count)
                for c in codes { items.append(try c.run(f)) }
                return .list(ListBox(items))
            }
        case .record(let fields):
            // The parser refuses a field given twice, so the keys are distinct, and every
            // record this literal builds shares one `keys` buffer (RecordBox).
            let keys = fields.map(\.name)
            var values: [CodeBox] = []
            for field in fields { values.append(CodeBox(try compileExpression(field.value))) }
            return { f throws(Unwind) in
                var items: [Value] = []
                items.reserveCapacity(values.count)
                for c in values { items.append(try c.run(f)) }
                return .record(RecordBox(distinctKeys: keys, values: items))
            }
        case .unary(.negate, let operand):
            let code = try compileExpression(operand)
            return { f throws(Unwind) in
                let v = try code(f)
                if case .number(let n) = v { return .number(-n) }
                do { return try Operators.negate(v) } catch { throw fail(error, file, range) }
            }
        case .binary(let op, let lhs, let rhs, _):
            let l = try operand(lhs), r = try operand(rhs)
            if let code = numberOperation(op, l, r, general: generalOperation(op, range: range)) { return code }
            return binaryCode(op, code(l), code(r), range: range)
        case .and(let lhs, let rhs):
            let l = try compileExpression(lhs), r = try compileExpression(rhs)
            return { f throws(Unwind) in
                let v = try l(f)
                guard try truth(v, file, lhs.range) else { return v }
                return try r(f)
            }
        case .or(let lhs, let rhs):
            let l = try compileExpression(lhs), r = try compileExpression(rhs)
            return { f throws(Unwind) in
                let v = try l(f)
                if try truth(v, file, lhs.range) { return v }
                return try r(f)
            }
        case .not(let operand):
            let code = try compileExpression(operand)
            return { f throws(Unwind) in .bool(!(try truth(try code(f), file, operand.range))) }
        case .call(let callee, let arguments):
            return try compileCall(callee, arguments, range: range)
        case .member(let objectExpr, let name, let nameRange):
            let object = try compileExpression(objectExpr)
            let hint = FieldHint()
            // `c.p` on a local of this frame (the inner loop of notebook code): the field is
            // read where the record sits, without copying the local out first.
            if case .name(let local) = objectExpr.kind, case .local(0, let slot)? = lookup(local) {
                let borrow = BorrowedPayload.layoutHolds
                return { f throws(Unwind) in
                    if let v = f.recordField(slot, name, &hint.position, borrow: borrow) { return v }
                    do { return try Indexing.member(f[slot], name) } catch { throw fail(error, file, nameRange) }
                }
            }
            return { f throws(Unwind) in
                let o = try object(f)
                if case .record(let r) = o, let v = r.field(name, hint: &hint.position) { return v }
                do { return try Indexing.member(o, name) } catch { throw fail(error, file, nameRange) }
            }
        case .index(let objectExpr, let items):
            let object = try compileExpression(objectExpr)
            let indexRange = SourceRange(objectExpr.range.end, range.end)
            if items.count == 1, case .single(let indexExpr) = items[0] {
                let index = try compileExpression(indexExpr)
                let general: Code = { f throws(Unwind) in
                    do { return try Indexing.get(try object(f), [.value(try index(f))]) } catch { throw fail(error, file, indexRange) }
                }
                if let inPlace = try inPlaceElement(objectExpr, indexExpr, index, general: general) { return inPlace }
                return { f throws(Unwind) in
                    let o = try object(f)
                    let i = try index(f)
                    // Fast path: list[number].
                    if case .list(let box) = o, case .number(let n) = i, n >= 0, n < Double(box.items.count), n == n.rounded() {
                        return box.items[Int(n)]
                    }
                    // And object[number] (a tensor's element).
                    if case .object(let ob) = o, case .number(let n) = i, let v = ob.element(at: n) { return v }
                    do { return try Indexing.get(o, [.value(i)]) } catch { throw fail(error, file, indexRange) }
                }
            }
            let itemCodes = try compileIndexItems(items)
            return { f throws(Unwind) in
                let o = try object(f)
                let index = try itemCodes(f)
                do { return try Indexing.get(o, index) } catch { throw fail(error, file, indexRange) }
            }
        case .function(let decl):
            return try compileFunction(decl)
        case .ifElse(let condition, let then, let otherwise):
            // `if c.p == p and c.d == d { … }`: the comparisons tested in this node.
            if otherwise == nil, let conjunction = try placeConjunction(condition, ordinary: ordinaryComparison) {
                let thenCode = try compileBlock(then)
                return { f throws(Unwind) in try conjunction.holds(f) ? try thenCode(f) : .nil }
            }
            let cond = try compileCondition(condition)
            let thenCode = try compileBlock(then)
            guard let otherwise else {
                return { f throws(Unwind) in try cond(f) ? try thenCode(f) : .nil }
            }
            let elseCode = try compileExpression(otherwise)
            return { f throws(Unwind) in try cond(f) ? try thenCode(f) : try elseCode(f) }
        case .block(let block):
            return try compileBlock(block)
        }
    }

    /// A condition, with fast paths for comparisons of numbers and of values in place.
    func compileCondition(_ expr: Expr) throws(Diagnostic) -> (Frame) throws(Unwind) -> Bool {
        let file = self.file
        if let conjunction = try placeConjunction(expr, ordinary: ordinaryComparison) {
            return { f throws(Unwind) in try conjunction.holds(f) }
        }
        if case .binary = expr.kind { return try ordinaryComparison(expr) }
        // `a and b` is true when both are: each side is a condition, no Value in between.
        // A side's truth error (a tensor of many elements) underlines that side.
        switch expr.kind {
        case .and(let lhs, let rhs):
            let l = try compileCondition(lhs), r = try compileCondition(rhs)
            return { f throws(Unwind) in
                guard try l(f) else { return false }
                return try r(f)
            }
        case .or(let lhs, let rhs):
            let l = try compileCondition(lhs), r = try compileCondition(rhs)
            return { f throws(Unwind) in
                if try l(f) { return true }
                return try r(f)
            }
        case .not(let operand):
            let c = try compileCondition(operand)
            return { f throws(Unwind) in !(try c(f)) }
        default:
            break
        }
        let code = try compileExpression(expr)
        return { f throws(Unwind) in try truth(try code(f), file, expr.range) }
    }

    /// A binary operator's condition, with the fast path for two numbers: the ordinary
    /// code of a comparison (`expr` is a `.binary`).
    func ordinaryComparison(_ expr: Expr) throws(Diagnostic) -> (Frame) throws(Unwind) -> Bool {
        let file = self.file
        guard case .binary(let op, let lhs, let rhs, _) = expr.kind else {
            let code = try compileExpression(expr)
            return { f throws(Unwind) in try truth(try code(f), file, expr.range) }
        }
        let l = try operand(lhs), r = try operand(rhs)
        let range = expr.range
        if let test = numberCondition(op, l, r, general: generalOperation(op, range: range),
                                      truth: { v throws(Unwind) in try truth(v, file, range) }) {
            return test
        }
        let code = numberOperation(op, l, r, general: generalOperation(op, range: range))
            ?? binaryCode(op, self.code(l), self.code(r), range: range)
        return { f throws(Unwind) in try truth(try code(f), file, range) }
    }

    private func numberComparison(_ op: BinaryOperator) -> ((Double, Double) -> Bool)? {
        switch op {
        case .less: return { $0 < $1 }
        case .lessEqual: return { $0 <= $1 }
        case .greater: return { $0 > $1 }
        case .greaterEqual: return { $0 >= $1 }
        case .equal: return { $0 == $1 }
        case .notEqual: return { $0 != $1 }
        default: return nil
        }
    }

    /// Plain code for an operand (for operators without a number fast path).
    func code(_ o: Operand) -> Code {
        switch o {
        case .constant(let c): let v = Value.number(c); return { _ in v }
        case .local(let slot): return { f in f[slot] }
        case .global(_, _, let load): return load
        case .code(let c): return c
        }
    }

    /// `Operators.binary` for values other than two numbers, its error underlining `range`.
    func generalOperation(_ op: BinaryOperator, range: SourceRange) -> GeneralOperation {
        let file = self.file
        let session = Session(interpreter)
        // Strings compared in a loop (`c.group == "few"`) skip the general walk; the result
        // is `Operators.equal`'s for two strings.
        if op == .equal || op == .notEqual {
            let wantEqual = op == .equal
            return { a, b throws(Unwind) in
                if case .string(let x) = a, case .string(let y) = b { return .bool((x == y) == wantEqual) }
                do { return try Operators.binary(op, a, b, limit: session.interpreter.maxCollectionSize) } catch {
                    throw fail(error, file, range)
                }
            }
        }
        return { a, b throws(Unwind) in
            do { return try Operators.binary(op, a, b, limit: session.interpreter.maxCollectionSize) } catch {
                throw fail(error, file, range)
            }
        }
    }

    /// A binary operator; number-number arithmetic and comparison are inlined.
    func binaryCode(_ op: BinaryOperator, _ l: @escaping Code, _ r: @escaping Code, range: SourceRange) -> Code {
        let file = self.file
        let session = Session(interpreter)
        @inline(__always) func general(_ a: Value, _ b: Value) throws(Unwind) -> Value {
            do { return try Operators.binary(op, a, b, limit: session.interpreter.maxCollectionSize) } catch { throw fail(error, file, range) }  // LANGUAGE.md underlines the whole operation
        }
        switch op {
        case .add:
            return { f throws(Unwind) in
                let a = try l(f), b = try r(f)
                if case .number(let x) = a, case .number(let y) = b { return .number(x + y) }
                return try general(a, b)
            }
        case .subtract:
            return { f throws(Unwind) in
                let a = try l(f), b = try r(f)
                if case .number(let x) = a, case .number(let y) = b { return .number(x - y) }
                return try general(a, b)
            }
        case .multiply:
            return { f throws(Unwind) in
                let a = try l(f), b = try r(f)
                if case .number(let x) = a, case .number(let y) = b { return .number(x * y) }
                return try general(a, b)
            }
        case .divide:
            return { f throws(Unwind) in
                let a = try l(f), b = try r(f)
                if case .number(let x) = a, case .number(let y) = b { return .number(x / y) }
                return try general(a, b)
            }
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            let compare = numberComparison(op) ?? { _, _ in false }
            return { f throws(Unwind) in
                let a = try l(f), b = try r(f)
                if case .number(let x) = a, case .number(let y) = b { return .bool(compare(x, y)) }
                return try general(a, b)
            }
        default:
            return { f throws(Unwind) in try general(try l(f), try r(f)) }
        }
    }

    func compileIndexItems(_ items: [IndexItem]) throws(Diagnostic) -> (Frame) throws(Unwind) -> [IndexValue] {
        enum ItemCode { case single(Code); case slice(Code?, Code?, Code?) }
        var codes: [ItemCode] = []
        for item in items {
            switch item {
            case .single(let e): codes.append(.single(try compileExpression(e)))
            case .slice(let a, let b, let c, _):
                codes.append(.slice(try a.map { e throws(Diagnostic) in try compileExpression(e) },
                                    try b.map { e throws(Diagnostic) in try compileExpression(e) },
                                    try c.map { e throws(Diagnostic) in try compileExpression(e) }))
            }
        }
        return { f throws(Unwind) in
            var out: [IndexValue] = []
            out.reserveCapacity(codes.count)
            for c in codes {
                switch c {
                case .single(let code): out.append(.value(try code(f)))
                case .slice(let a, let b, let s):
                    out.append(.slice(start: try a?(f) ?? .nil, stop: try b?(f) ?? .nil, step: try s?(f) ?? .nil))
                }
            }
            return out
        }
    }

    /// A function literal or declaration: parameters take the first slots of its frame.
    func compileFunction(_ decl: FunctionDecl) throws(Diagnostic) -> Code {
        let code = try compileFunctionCode(decl)
        return { f in .function(Function(code: code, captured: f)) }
    }

    /// The code of a function, with the captures and global assignments its record noted.
    func compileFunctionCode(_ decl: FunctionDecl) throws(Diagnostic) -> FunctionCode {
        let outer = scope
        let inner = FunctionScope(parent: outer, isUnit: false)
        scope = inner
        let record = FunctionRecord()
        functionRecords.append(record)
        defer { scope = outer; functionRecords.removeLast() }
        var defaults: [CodeBox?] = []
        for p in decl.parameters {
            // A default sees the parameters before it.
            defaults.append(try p.defaultValue.map { e throws(Diagnostic) in CodeBox(try compileExpression(e)) })
            _ = inner.declareLocal(p.name)
        }
        let body = try compileBlock(decl.body)
        return FunctionCode(name: decl.name, parameterNames: decl.parameters.map(\.name), defaults: defaults,
                            slotCount: inner.slotCount, body: body, file: file, range: decl.range, record: record,
                            number: interpreter.usesNumberTier ? numberTier(decl) : nil)
    }

    /// `xs[k]` / `t[k]` where `xs` is a local of this frame or a global and `k` a name or a
    /// number: the element is read where the list or tensor sits, without copying the
    /// variable out (a retain and release per read in a loop). Only for an index without
    /// side effects, so reading the variable after the index changes nothing. The code
    /// gives nil when the fast shape does not apply (then the general path runs, errors
    /// included).
    /// Where a list (or tensor) named `name` that is read in place lives, resolved as
    /// `resolveRead` resolved it (a local of this frame, else an existing global); nil for
    /// a captured variable or a name with no slot yet.
    func elementSource(_ name: String) -> ElementSource? {
        switch lookup(name) {
        case .local(0, let slot)?: return .local(slot)
        case nil: return globals.existingSlot(name).map { .global($0) }
        default: return nil
        }
    }

    func inPlaceElement(_ objectExpr: Expr, _ indexExpr: Expr, _ index: @escaping Code, general: @escaping Code) throws(Diagnostic) -> Code? {
        switch indexExpr.kind {
        case .name, .number: break
        default: return nil
        }
        guard case .name(let name) = objectExpr.kind else { return nil }
        // An index that is a local of this frame (the loop variable) is read in place.
        var indexSlot: Int?
        if case .name(let indexName) = indexExpr.kind, case .local(0, let s)? = lookup(indexName) { indexSlot = s }
        // Resolved as `resolveRead` did for the object (already compiled), without its
        // reports: a local first, else the global's existing slot.
        let borrow = BorrowedPayload.layoutHolds
        let reader = interpreter.borrowedElementReader ?? .none
        guard let source = elementSource(name) else { return nil }
        if case .local(let slot) = source {
            if let indexSlot {
                return { f throws(Unwind) in
                    if let n = f.number(at: indexSlot),
                       let v = f.withUnsafeMutablePointerToElements({ elementInPlace($0 + slot, n, borrow: borrow, reader) }) { return v }
                    return try general(f)
                }
            }
            return { f throws(Unwind) in
                if case .number(let n) = try index(f),
                   let v = f.withUnsafeMutablePointerToElements({ elementInPlace($0 + slot, n, borrow: borrow, reader) }) { return v }
                return try general(f)
            }
        }
        guard case .global(let slot) = source else { return nil }
        let values = globals.values
        let marker = Undefined.markerWord
        // An undefined global (Undefined has no element read) goes to the general path
        // before the index is read, so it reports the object's name first.
        if let indexSlot {
            return { f throws(Unwind) in
                if !(values + slot).holdsUndefinedMarker(marker), let n = f.number(at: indexSlot),
                   let v = elementInPlace(values + slot, n, borrow: borrow, reader) { return v }
                return try general(f)
            }
        }
        return { f throws(Unwind) in
            if !(values + slot).holdsUndefinedMarker(marker), case .number(let n) = try index(f),
               let v = elementInPlace(values + slot, n, borrow: borrow, reader) { return v }
            return try general(f)
        }
    }
}

/// The slot of a container read in place (`Compiler.elementSource`).
enum ElementSource {
    case local(Int)
    case global(Int)
}

/// Truth of a value in a condition; a tensor must have exactly one element.
@inline(__always)
func truth(_ v: Value, _ file: SourceFile, _ range: SourceRange) throws(Unwind) -> Bool {
    switch v {
    case .bool(let b): return b
    case .nil: return false
    case .object(let o):
        do { return try o.truth() } catch { throw fail(error, file, range) }
    default: return true
    }
}

/// `v[n]` for a list or an object with a direct element read; nil otherwise.
/// The list is borrowed (`BorrowedPayload`), and so is an object `reader` knows.
@inline(__always) private func elementInPlace(_ v: UnsafeMutablePointer<Value>, _ n: Double, borrow: Bool,
                                              _ reader: BorrowedElementReader) -> Value? {
    if case .list = v.pointee {
        return v.withList(borrow: borrow) { box in box.index(n).map { box.items[$0] } }
    }
    if let x = reader.element(v, n) { return x }
    guard case .object(let o) = v.pointee else { return nil }
    return o.element(at: n)
}
