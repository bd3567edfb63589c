import Synchronization

/// The number tier: a second compilation of a function whose body is pure arithmetic on
/// numbers (parameters, `let`s, literals, global numbers, `+ - * / % ^`, comparisons,
/// `and`/`or`/`not`, `if`/`else`, calls of such functions). It runs on unboxed doubles in
/// a stack of slots owned by the interpreter: no frame, no `Value`, no reference counting,
/// no throwing. This is the type specialisation tiered interpreters use (Self, V8's and
/// Truffle's speculative tiers), reduced to the one type notebook arithmetic runs on.
///
/// It speculates, and gives up ("bails") by returning nil whenever a run meets anything
/// else: an argument or global that is not a number, a callee that is not a number-tier
/// function of that arity, the recursion limit, Ctrl-C, a full slot stack. Because the
/// code it accepts has no side effects, the caller then simply runs the ordinary code
/// from the start of the call, which produces the same value or the usual error, with its
/// location and call stack. A bail also switches off the speculation that failed (see
/// `NumberFlag`), so ordinary code never retries it in a loop.
typealias NumberRun = (UnsafeMutablePointer<Double>) -> Double?

/// A `NumberRun` in a struct, as `CodeBox` is for `Code`: a closure kept in an Optional,
/// an array or a generic parameter is stored behind reabstraction thunks, and every call
/// then ran through one or two of them (a fifth of fib's time).
struct NumberNode {
    let run: NumberRun
    init(_ run: @escaping NumberRun) { self.run = run }
}

/// A number-tier condition; nil means bail, as for `NumberRun`.
struct ConditionNode {
    let test: (UnsafeMutablePointer<Double>) -> Bool?
    init(_ test: @escaping (UnsafeMutablePointer<Double>) -> Bool?) { self.test = test }
}

/// Whether a function's number tier may still be entered. Cleared for good when its
/// speculation failed once (a callee or global was not what it assumed, or a run hit the
/// recursion limit or the slot stack's end), so a bail costs one extra attempt at most.
/// Compiled code runs on one thread per interpreter, so a plain Bool suffices.
final class NumberFlag {
    @exclusivity(unchecked) var enabled = true
}

/// A function's number tier.
final class NumberCode {
    /// What the body gives: a number, or a Bool (a predicate such as `fn(x) => x % 3 == 0`),
    /// which `run` encodes as 1 or 0.
    enum Result { case number, bool }

    let result: Result
    let parameterCount: Int
    /// Slots one call uses: parameters first, then the body's `let`s.
    let slotCount: Int
    let run: NumberNode
    let flag: NumberFlag

    init(result: Result, parameterCount: Int, slotCount: Int, run: NumberNode, flag: NumberFlag) {
        self.result = result
        self.parameterCount = parameterCount
        self.slotCount = slotCount
        self.run = run
        self.flag = flag
    }

    /// The boxed result of a run.
    @inline(__always) func box(_ x: Double) -> Value { result == .number ? .number(x) : .bool(x != 0) }
}

/// The interpreter's stack of number-tier slots. A call's slots start where its caller's
/// end, so a caller knows its callee's base when it is compiled; ordinary code entering the
/// tier starts at `base`. Its pages are only touched as deep as calls go.
final class NumberStack {
    let base: UnsafeMutablePointer<Double>
    let end: UnsafeMutablePointer<Double>

    /// 8 MB of address space by default: the default recursion limit times up to 100 slots.
    init(capacity: Int = 1 << 20) {
        base = .allocate(capacity: capacity)
        end = base + capacity
    }

    deinit { base.deallocate() }
}

extension Interpreter {
    /// Runs `number` (a callee's tier) on `arguments`, or nil when it is switched off or
    /// bails; the caller then runs the ordinary code. Entered from ordinary code only.
    @inline(__always) func enterNumberTier(_ number: NumberCode, _ a: Double) -> Value? {
        let base = numberStack.base
        base[0] = a
        return enterNumberTier(number, base)
    }

    @inline(__always) func enterNumberTier(_ number: NumberCode, _ a: Double, _ b: Double) -> Value? {
        let base = numberStack.base
        base[0] = a
        base[1] = b
        return enterNumberTier(number, base)
    }

    @inline(__always) private func enterNumberTier(_ number: NumberCode, _ base: UnsafeMutablePointer<Double>) -> Value? {
        guard base + number.slotCount <= numberStack.end else { number.flag.enabled = false; return nil }
        let state = callState
        state.pointee.depth += 1
        defer { state.pointee.depth -= 1 }
        if state.pointee.depth > state.pointee.limit { number.flag.enabled = false; return nil }
        // Ctrl-C: the ordinary code that runs instead stops at its first check.
        if interruptRequested.load(ordering: .relaxed) { return nil }
        guard let x = number.run.run(base) else { return nil }
        return number.box(x)
    }
}
