import Synchronization

/// A call from number-tier code to a global function's tier.
final class NumberCallSite {
    let values: UnsafeMutablePointer<Value>
    let slot: Int
    let arity: Int
    let expecting: NumberCode.Result
    let callerSlots: Int
    let caller: NumberFlag
    let end: UnsafeMutablePointer<Double>
    let callState: UnsafeMutablePointer<(depth: Int, limit: Int)>

    init(values: UnsafeMutablePointer<Value>, slot: Int, arity: Int, expecting: NumberCode.Result, callerSlots: Int,
         caller: NumberFlag, interpreter: Interpreter) {
        self.values = values
        self.slot = slot
        self.arity = arity
        self.expecting = expecting
        self.callerSlots = callerSlots
        self.caller = caller
        self.end = interpreter.numberStack.end
        self.callState = interpreter.callState
    }

    /// An inline cache of the callee: the function last found in the slot (its address,
    /// not retained), `Function.frees` then, and its tier's parts, whose arity and result
    /// were checked when cached. A hit costs one compare of the slot's function and one of
    /// the free count instead of the walk slot -> function -> code -> tier -> flag, which was
    /// a third of fib's time in dependent loads. Number-tier code writes no global, so the
    /// function in the slot outlives the call.
    @exclusivity(unchecked) private var cachedFunction: UnsafeRawPointer?
    @exclusivity(unchecked) private var cachedFrees = -1
    @exclusivity(unchecked) private var cachedNumber: Unmanaged<NumberCode>?
    @exclusivity(unchecked) private var cachedFlag: Unmanaged<NumberFlag>?
    @exclusivity(unchecked) private var cachedSlotCount = 0

    /// Whether `functionAddress` may be read (`BorrowedPayload.layoutHolds`); without it
    /// every call takes the `cache` path, which is the uncached walk.
    private let borrow = BorrowedPayload.layoutHolds

    /// Caches the tier of the function in the slot if it is one this site can call;
    /// otherwise switches the caller's tier off.
    @inline(never) private func cache() -> Bool {
        guard case .function(let fn) = values[slot], let number = fn.code?.number,
              number.parameterCount == arity, number.result == expecting else {
            caller.enabled = false
            return false
        }
        cachedFunction = UnsafeRawPointer(Unmanaged.passUnretained(fn).toOpaque())
        cachedFrees = Function.frees.load(ordering: .relaxed)
        cachedNumber = Unmanaged.passUnretained(number)
        cachedFlag = Unmanaged.passUnretained(number.flag)
        cachedSlotCount = number.slotCount
        return true
    }

    /// Runs the callee's tier on the arguments already in `callee`'s first slots.
    @inline(__always) func enter(_ slots: UnsafeMutablePointer<Double>) -> Double? {
        let address = (values + slot).functionAddress(borrow: borrow)
        if address == nil || address != cachedFunction || Function.frees.load(ordering: .relaxed) != cachedFrees {
            guard cache() else { return nil }
        }
        guard let number = cachedNumber, let flag = cachedFlag else { return nil }
        guard flag._withUnsafeGuaranteedRef({ $0.enabled }) else {
            caller.enabled = false
            return nil
        }
        guard slots + cachedSlotCount <= end else { flag._withUnsafeGuaranteedRef { $0.enabled = false }; return nil }
        let state = callState
        state.pointee.depth += 1
        defer { state.pointee.depth -= 1 }
        if state.pointee.depth > state.pointee.limit { flag._withUnsafeGuaranteedRef { $0.enabled = false }; return nil }
        if interruptRequested.load(ordering: .relaxed) { return nil }
        return number._withUnsafeGuaranteedRef { $0.run.run(slots) }
    }
}
