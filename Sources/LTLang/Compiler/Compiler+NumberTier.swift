/// Compiling a function's number tier (see `NumberCode`): a second pass over its body,
/// after the ordinary compilation has resolved and checked it, that accepts only pure
/// arithmetic and gives nil for anything else.

extension Compiler {
    /// The number tier of `decl`, or nil when its body is not pure arithmetic on numbers.
    /// Called with the function's own scope current (its parameters declared).
    func numberTier(_ decl: FunctionDecl) -> NumberCode? {
        let parameters = decl.parameters.map(\.name)
        guard parameters.count <= 3, Set(parameters).count == parameters.count else { return nil }
        for result in [NumberCode.Result.number, .bool] {
            let builder = NumberTierBuilder(compiler: self, function: decl, result: result)
            if let run = builder.body() {
                return NumberCode(result: result, parameterCount: parameters.count, slotCount: builder.slotCount,
                                  run: run, flag: builder.flag)
            }
        }
        return nil
    }
}

/// One attempt at a number tier for a function, expecting a number or a Bool result.
private final class NumberTierBuilder {
    let compiler: Compiler
    let function: FunctionDecl
    let result: NumberCode.Result
    let flag = NumberFlag()
    /// Parameters, then one slot per `let` in the body (none reused), so a callee's
    /// slots can start right after this function's, known now.
    let slotCount: Int
    private var nextSlot: Int
    private var scopes: [[String: Int]]

    init(compiler: Compiler, function: FunctionDecl, result: NumberCode.Result) {
        self.compiler = compiler
        self.function = function
        self.result = result
        var parameters: [String: Int] = [:]
        for (i, p) in function.parameters.enumerated() { parameters[p.name] = i }
        scopes = [parameters]
        nextSlot = function.parameters.count
        slotCount = function.parameters.count + NumberTierBuilder.letCount(function.body)
    }

    func body() -> NumberNode? {
        switch result {
        case .number: return numberBlock(function.body)
        case .bool:
            guard let test = conditionBlock(function.body) else { return nil }
            return NumberNode { b in test.test(b).map { $0 ? 1 : 0 } }
        }
    }

    /// `let`s anywhere in `block` (an over-count for bodies the tier refuses is harmless).
    private static func letCount(_ block: Block) -> Int {
        var n = 0
        for s in block.statements {
            switch s.kind {
            case .letDecl(_, _, let value): n += 1 + letCount(value)
            case .expression(let e), .returnStmt(let e?): n += letCount(e)
            default: break
            }
        }
        return n
    }

    private static func letCount(_ e: Expr) -> Int {
        switch e.kind {
        case .ifElse(let c, let then, let otherwise): return letCount(c) + letCount(then) + (otherwise.map(letCount) ?? 0)
        case .block(let b): return letCount(b)
        case .unary(_, let x), .not(let x): return letCount(x)
        case .binary(_, let l, let r, _), .and(let l, let r), .or(let l, let r): return letCount(l) + letCount(r)
        case .call(_, let arguments): return arguments.reduce(0) { $0 + letCount($1.value) }
        default: return 0
        }
    }

    // MARK: - Blocks

    /// A block's `let`s, then its value: the last expression, or a `return` at its end
    /// (only in the function's tail, where returning and giving the value are the same).
    private func block<T>(_ block: Block, tail: Bool, last: (Expr, Bool) -> T?) -> (lets: [(Int, NumberNode)], value: T)? {
        scopes.append([:])
        defer { scopes.removeLast() }
        guard let final = block.statements.last else { return nil }
        var lets: [(Int, NumberNode)] = []
        for s in block.statements.dropLast() {
            guard case .letDecl(let name, _, let valueExpr) = s.kind, let value = number(valueExpr, tail: false) else { return nil }
            let slot = nextSlot
            nextSlot += 1
            scopes[scopes.count - 1][name] = slot
            lets.append((slot, value))
        }
        let valueExpr: Expr
        switch final.kind {
        case .expression(let e) where block.valueIsLast: valueExpr = e
        case .returnStmt(let e?) where tail: valueExpr = e
        default: return nil
        }
        guard let value = last(valueExpr, tail) else { return nil }
        return (lets, value)
    }

    private func numberBlock(_ b: Block, tail: Bool = true) -> NumberNode? {
        guard let (lets, value) = block(b, tail: tail, last: { e, t in number(e, tail: t) }) else { return nil }
        if lets.isEmpty { return value }
        return NumberNode { base in NumberTierBuilder.bind(lets, base) ? value.run(base) : nil }
    }

    private func conditionBlock(_ b: Block) -> ConditionNode? {
        guard let (lets, value) = block(b, tail: true, last: { e, _ in condition(e) }) else { return nil }
        if lets.isEmpty { return value }
        return ConditionNode { base in NumberTierBuilder.bind(lets, base) ? value.test(base) : nil }
    }

    /// Runs a block's `let`s into their slots; false when one bails.
    @inline(__always) private static func bind(_ lets: [(Int, NumberNode)], _ base: UnsafeMutablePointer<Double>) -> Bool {
        for (slot, node) in lets {
            guard let x = node.run(base) else { return false }
            base[slot] = x
        }
        return true
    }

    // MARK: - Numbers

    private func local(_ name: String) -> Int? {
        for s in scopes.reversed() { if let slot = s[name] { return slot } }
        return nil
    }

    /// The global slot `name` reads, or nil when it names an enclosing function's variable.
    private func globalSlot(_ name: String) -> Int? {
        if compiler.lookup(name) != nil { return nil }
        return compiler.globals.existingSlot(name)
    }

    private func operand(_ e: Expr, tail: Bool) -> NumberTierOperand? {
        switch e.kind {
        case .number(let x): return .constant(x)
        case .name(let name):
            if let slot = local(name) { return .slot(slot) }
            return number(e, tail: tail).map(NumberTierOperand.run)
        default: return number(e, tail: tail).map(NumberTierOperand.run)
        }
    }

    private func number(_ e: Expr, tail: Bool) -> NumberNode? {
        switch e.kind {
        case .number(let x):
            return NumberNode { _ in x }
        case .name(let name):
            if let slot = local(name) { return NumberNode { b in b[slot] } }
            guard let slot = globalSlot(name) else { return nil }
            let values = compiler.globals.values, flag = self.flag
            return NumberNode { _ in
                if case .number(let x) = values[slot] { return x }
                flag.enabled = false
                return nil
            }
        case .unary(.negate, let x):
            guard let node = number(x, tail: false) else { return nil }
            return NumberNode { b in node.run(b).map { -$0 } }
        case .binary(let op, let l, let r, _):
            guard let a = operand(l, tail: false), let c = operand(r, tail: false) else { return nil }
            switch op {
            case .add: return NumberTierBuilder.arithmetic(AddNumbers.self, a, c)
            case .subtract: return NumberTierBuilder.arithmetic(SubtractNumbers.self, a, c)
            case .multiply: return NumberTierBuilder.arithmetic(MultiplyNumbers.self, a, c)
            case .divide: return NumberTierBuilder.arithmetic(DivideNumbers.self, a, c)
            case .modulo: return NumberTierBuilder.arithmetic(ModuloNumbers.self, a, c)
            case .power: return NumberTierBuilder.arithmetic(PowerNumbers.self, a, c)
            default: return nil
            }
        case .ifElse(let c, let then, let otherwise?):
            guard let yes = numberBlock(then, tail: tail), let no = number(otherwise, tail: tail) else { return nil }
            if let branch = fusedBranch(c, yes, no) { return branch }
            guard let test = condition(c) else { return nil }
            return NumberNode { b in
                guard let t = test.test(b) else { return nil }
                return t ? yes.run(b) : no.run(b)
            }
        case .block(let b):
            return numberBlock(b, tail: tail)
        case .call(let callee, let arguments):
            return call(callee, arguments, expecting: .number)
        default:
            return nil
        }
    }

    // MARK: - Conditions

    private func condition(_ e: Expr) -> ConditionNode? {
        switch e.kind {
        case .bool(let v):
            return ConditionNode { _ in v }
        case .binary(let op, let l, let r, _):
            guard let a = operand(l, tail: false), let c = operand(r, tail: false) else { return nil }
            switch op {
            case .less: return NumberTierBuilder.comparison(LessNumbers.self, a, c)
            case .lessEqual: return NumberTierBuilder.comparison(LessEqualNumbers.self, a, c)
            case .greater: return NumberTierBuilder.comparison(GreaterNumbers.self, a, c)
            case .greaterEqual: return NumberTierBuilder.comparison(GreaterEqualNumbers.self, a, c)
            case .equal: return NumberTierBuilder.comparison(EqualNumbers.self, a, c)
            case .notEqual: return NumberTierBuilder.comparison(NotEqualNumbers.self, a, c)
            default: return nil
            }
        case .and(let l, let r):
            guard let a = condition(l), let c = condition(r) else { return nil }
            return ConditionNode { b in
                guard let x = a.test(b) else { return nil }
                return x ? c.test(b) : false
            }
        case .or(let l, let r):
            guard let a = condition(l), let c = condition(r) else { return nil }
            return ConditionNode { b in
                guard let x = a.test(b) else { return nil }
                return x ? true : c.test(b)
            }
        case .not(let x):
            guard let a = condition(x) else { return nil }
            return ConditionNode { b in a.test(b).map { !$0 } }
        case .call(let callee, let arguments):
            guard let node = call(callee, arguments, expecting: .bool) else { return nil }
            return ConditionNode { b in node.run(b).map { $0 != 0 } }
        default:
            return nil
        }
    }

    // MARK: - Calls

    /// `g(a, b)` for a global `g` that is this function itself, is not defined yet, or has a
    /// number tier of that arity. At run time the global is read afresh; anything but such a function
    /// (or its tier switched off) switches this function's tier off.
    private func call(_ callee: Expr, _ arguments: [Argument], expecting: NumberCode.Result) -> NumberNode? {
        guard case .name(let name) = callee.kind, local(name) == nil, arguments.count <= 3,
              arguments.allSatisfy({ $0.label == nil }), let slot = globalSlot(name) else { return nil }
        let values = compiler.globals.values
        // Functions of one unit are compiled before any of them is defined, so a name not
        // yet defined may still be a helper with a tier; a name that holds anything else
        // (a built-in, another function) is not worth speculating on.
        let isSelf = function.name == name && expecting == result
            && function.parameters.count == arguments.count
        if !isSelf, compiler.globals.isDefined(slot) {
            guard case .function(let fn) = values[slot], let n = fn.code?.number, n.flag.enabled,
                  n.parameterCount == arguments.count, n.result == expecting else { return nil }
        }
        let site = NumberCallSite(values: values, slot: slot, arity: arguments.count, expecting: expecting,
                                  callerSlots: slotCount, caller: flag, interpreter: compiler.interpreter)
        if arguments.count == 1, let (slot, offset) = slotPlusConstant(arguments[0].value) {
            // fib(n - 1): the argument computed here, one closure call fewer.
            return NumberNode { b in
                let callee = b + site.callerSlots
                callee[0] = b[slot] + offset
                return site.enter(callee)
            }
        }
        var runs: [NumberNode] = []
        for a in arguments {
            guard let r = number(a.value, tail: false) else { return nil }
            runs.append(r)
        }
        switch runs.count {
        case 0:
            return NumberNode { b in site.enter(b + site.callerSlots) }
        case 1:
            let a0 = runs[0].run
            return NumberNode { b in
                guard let x = a0(b) else { return nil }
                let callee = b + site.callerSlots
                callee[0] = x
                return site.enter(callee)
            }
        case 2:
            let a0 = runs[0].run, a1 = runs[1].run
            return NumberNode { b in
                guard let x = a0(b), let y = a1(b) else { return nil }
                // The second argument may call a function whose slots start at `callee`.
                let callee = b + site.callerSlots
                callee[0] = x
                callee[1] = y
                return site.enter(callee)
            }
        default:
            let a0 = runs[0].run, a1 = runs[1].run, a2 = runs[2].run
            return NumberNode { b in
                guard let x = a0(b), let y = a1(b), let z = a2(b) else { return nil }
                let callee = b + site.callerSlots
                callee[0] = x
                callee[1] = y
                callee[2] = z
                return site.enter(callee)
            }
        }
    }

    // MARK: - Fused shapes

    /// `x + c`, `c + x` or `x - c` with `x` a local and `c` a literal, as (slot, offset):
    /// `x - c` is `x + (-c)` exactly in IEEE arithmetic, so one form serves all three.
    private func slotPlusConstant(_ e: Expr) -> (Int, Double)? {
        guard case .binary(let op, let l, let r, _) = e.kind else { return nil }
        switch (op, l.kind, r.kind) {
        case (.add, .name(let x), .number(let c)), (.add, .number(let c), .name(let x)):
            return local(x).map { ($0, c) }
        case (.subtract, .name(let x), .number(let c)):
            return local(x).map { ($0, -c) }
        default:
            return nil
        }
    }

    /// `if x < c {…} else {…}` (any comparison; `x` a local, the other side a local or a
    /// literal): the test inlined into the branch, one closure call fewer per run. It is
    /// the base-case test of every recursion.
    private func fusedBranch(_ c: Expr, _ yes: NumberNode, _ no: NumberNode) -> NumberNode? {
        guard case .binary(let op, let l, let r, _) = c.kind, case .name(let x) = l.kind, let slot = local(x)
        else { return nil }
        let left = TierSlot(slot: slot)
        switch r.kind {
        case .number(let k): return NumberTierBuilder.branch(op, left, TierConstant(x: k), yes, no)
        case .name(let y): return local(y).flatMap { NumberTierBuilder.branch(op, left, TierSlot(slot: $0), yes, no) }
        default: return nil
        }
    }

    private static func branch<L: NumberTierReader, R: NumberTierReader>(_ op: BinaryOperator, _ l: L, _ r: R,
                                                                         _ yes: NumberNode, _ no: NumberNode) -> NumberNode? {
        switch op {
        case .less: return branch(LessNumbers.self, l, r, yes, no)
        case .lessEqual: return branch(LessEqualNumbers.self, l, r, yes, no)
        case .greater: return branch(GreaterNumbers.self, l, r, yes, no)
        case .greaterEqual: return branch(GreaterEqualNumbers.self, l, r, yes, no)
        case .equal: return branch(EqualNumbers.self, l, r, yes, no)
        case .notEqual: return branch(NotEqualNumbers.self, l, r, yes, no)
        default: return nil
        }
    }

    private static func branch<Op: NumberComparison, L: NumberTierReader, R: NumberTierReader>(
        _ op: Op.Type, _ l: L, _ r: R, _ yes: NumberNode, _ no: NumberNode) -> NumberNode {
        return NumberNode { b in
            guard let x = l.read(b), let y = r.read(b) else { return nil }
            return Op.test(x, y) ? yes.run(b) : no.run(b)
        }
    }

    // MARK: - Specialisation by operand kind

    private static func arithmetic<Op: DoubleOperation>(_ op: Op.Type, _ l: NumberTierOperand, _ r: NumberTierOperand) -> NumberNode {
        switch l {
        case .constant(let x): return arithmetic(op, TierConstant(x: x), r)
        case .slot(let s): return arithmetic(op, TierSlot(slot: s), r)
        case .run(let run): return arithmetic(op, TierRun(node: run), r)
        }
    }

    private static func arithmetic<Op: DoubleOperation, L: NumberTierReader>(_ op: Op.Type, _ l: L, _ r: NumberTierOperand) -> NumberNode {
        switch r {
        case .constant(let y): return arithmetic(op, l, TierConstant(x: y))
        case .slot(let s): return arithmetic(op, l, TierSlot(slot: s))
        case .run(let run): return arithmetic(op, l, TierRun(node: run))
        }
    }

    private static func arithmetic<Op: DoubleOperation, L: NumberTierReader, R: NumberTierReader>(_ op: Op.Type, _ l: L, _ r: R) -> NumberNode {
        return NumberNode { b in
            guard let x = l.read(b), let y = r.read(b) else { return nil }
            return Op.compute(x, y)
        }
    }

    private static func comparison<Op: NumberComparison>(_ op: Op.Type, _ l: NumberTierOperand, _ r: NumberTierOperand)
        -> ConditionNode {
        switch l {
        case .constant(let x): return comparison(op, TierConstant(x: x), r)
        case .slot(let s): return comparison(op, TierSlot(slot: s), r)
        case .run(let run): return comparison(op, TierRun(node: run), r)
        }
    }

    private static func comparison<Op: NumberComparison, L: NumberTierReader>(_ op: Op.Type, _ l: L, _ r: NumberTierOperand)
        -> ConditionNode {
        switch r {
        case .constant(let y): return comparison(op, l, TierConstant(x: y))
        case .slot(let s): return comparison(op, l, TierSlot(slot: s))
        case .run(let run): return comparison(op, l, TierRun(node: run))
        }
    }

    private static func comparison<Op: NumberComparison, L: NumberTierReader, R: NumberTierReader>(_ op: Op.Type, _ l: L, _ r: R)
        -> ConditionNode {
        return ConditionNode { b in
            guard let x = l.read(b), let y = r.read(b) else { return nil }
            return Op.test(x, y)
        }
    }
}

enum NumberTierOperand {
    case constant(Double)
    case slot(Int)
    case run(NumberNode)
}

protocol NumberTierReader {
    func read(_ b: UnsafeMutablePointer<Double>) -> Double?
}

struct TierConstant: NumberTierReader {
    let x: Double
    @inline(__always) func read(_ b: UnsafeMutablePointer<Double>) -> Double? { x }
}

struct TierSlot: NumberTierReader {
    let slot: Int
    @inline(__always) func read(_ b: UnsafeMutablePointer<Double>) -> Double? { b[slot] }
}

struct TierRun: NumberTierReader {
    let node: NumberNode
    @inline(__always) func read(_ b: UnsafeMutablePointer<Double>) -> Double? { node.run(b) }
}
