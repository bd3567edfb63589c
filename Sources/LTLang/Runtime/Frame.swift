/// Storage for one activation's local slots, in a single allocation.
///
/// Names are resolved to (depth, slot) before running, so a variable access is a pointer
/// walk up `parent` plus an index. Closures keep their defining frame alive, which is how
/// they capture variables by reference.
final class Frame: ManagedBuffer<FrameHeader, Value> {
    static func make(parent: Frame?, count: Int) -> Frame {
        let buffer = Frame.create(minimumCapacity: max(count, 1)) { _ in FrameHeader(parent: parent, count: count) }
        let frame = unsafeDowncast(buffer, to: Frame.self)
        // One element at a time: `initialize(repeating:count:)` and `deinitialize(count:)`
        // go through the generic runtime, which costs more than these few slots.
        frame.withUnsafeMutablePointerToElements { p in
            for i in 0..<count { (p + i).initialize(to: .nil) }
        }
        return frame
    }

    deinit {
        withUnsafeMutablePointers { header, elements in
            for i in 0..<header.pointee.count { (elements + i).deinitialize(count: 1) }
        }
    }

    /// Resets every slot to nil, for a frame no closure kept (see `Callee`).
    @inline(__always) func clearForReuse() {
        withUnsafeMutablePointers { header, elements in
            for i in 0..<header.pointee.count { elements[i] = .nil }
        }
    }

    // Through the header pointer: `header` itself is a class property, so reading it would
    // cost a dynamic exclusivity check on every variable access one scope up.
    @inline(__always) var parent: Frame? { withUnsafeMutablePointerToHeader { $0.pointee.parent } }

    /// The number of slots.
    var slotCount: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }

    /// The frame `depth` levels up, or nil when the chain is shorter (checked, unlike
    /// `ancestor`, for the cache, which must not trust a frame's shape).
    func ancestorIfPresent(_ depth: Int) -> Frame? {
        var f: Frame? = self
        for _ in 0..<max(depth, 0) { f = f?.parent }
        return f
    }

    @inline(__always) subscript(slot: Int) -> Value {
        get { withUnsafeMutablePointerToElements { $0[slot] } }
        // A slot holding nil, a bool or a number (a loop counter, an accumulator) is
        // overwritten without the out-of-line destroy an assignment of the enum calls.
        set {
            withUnsafeMutablePointerToElements { p in
                let s = p + slot
                if s.pointee.holdsNoReference { s.initialize(to: newValue) } else { s.pointee = newValue }
            }
        }
    }

    /// The number in `slot`, read in place (no copy of the enum); nil for anything else.
    @inline(__always) func number(at slot: Int) -> Double? {
        withUnsafeMutablePointerToElements { p in
            if case .number(let x) = p[slot] { return x }
            return nil
        }
    }

    /// Field `name` of the record in `slot`, read in place; nil when the slot holds no
    /// record or the record lacks the field. `borrow`: see `BorrowedPayload`.
    @inline(__always) func recordField(_ slot: Int, _ name: String, _ hint: inout Int, borrow: Bool) -> Value? {
        withUnsafeMutablePointerToElements { p in
            (p + slot).withRecord(borrow: borrow) { $0.field(name, hint: &hint) }
        }
    }

    /// The parent, not retained (nil at the top of a chain).
    @inline(__always) private var unretainedParent: Unmanaged<Frame>? {
        // `parent` is FrameHeader's first field (a test checks the offset), and an
        // Optional class reference is one pointer, 0 for nil.
        withUnsafeMutablePointerToHeader { h in
            UnsafeRawPointer(h).load(as: UnsafeRawPointer?.self).map { Unmanaged<Frame>.fromOpaque($0) }
        }
    }

    /// `body` on the frame `depth` levels up the lexical chain (stopping at its top),
    /// borrowed: each frame keeps its parent alive, so the walk needs none of the retains
    /// and releases (two atomic operations a level) that reading `parent` costs on every
    /// read of a captured variable.
    @inline(__always) func withAncestor<R>(_ depth: Int, _ body: (Frame) -> R) -> R {
        var current = Unmanaged.passUnretained(self)
        for _ in 0..<depth {
            guard let p = current._withUnsafeGuaranteedRef({ $0.unretainedParent }) else { break }
            current = p
        }
        return current._withUnsafeGuaranteedRef(body)
    }

    /// `body` on the parent, borrowed as in `withAncestor`; nil at the top of a chain.
    @inline(__always) func withParent<R>(_ body: (Frame) -> R) -> R? {
        guard let p = unretainedParent else { return nil }
        return p._withUnsafeGuaranteedRef(body)
    }
}

/// A member-access site's guess at a record field's position (see `RecordBox.field`).
/// Compiled code runs on one thread per interpreter, so a plain Int suffices.
final class FieldHint {
    @exclusivity(unchecked) var position = 0
}

struct FrameHeader {
    let parent: Frame?
    let count: Int
}

/// Global bindings: built-ins, top-level names of scripts, REPL entries and notebook cells.
///
/// Slots live in one fixed allocation so compiled code can index them without a lookup;
/// a name never moves once it has a slot.
final class Globals {
    static let capacity = 1 << 16
    let values: UnsafeMutablePointer<Value>
    private(set) var count = 0
    private(set) var names: [String] = []
    private var slots: [String: Int] = [:]
    /// Names bound by a declaration or assignment (not just read somewhere).
    private(set) var declared: [Bool] = []

    init() {
        values = UnsafeMutablePointer<Value>.allocate(capacity: Globals.capacity)
    }

    deinit {
        values.deinitialize(count: count)
        values.deallocate()
    }

    /// The slot for `name`, reserving an undefined one if new; nil when the table is full.
    /// The name is hashed once, found or added.
    func slot(for name: String) -> Int? {
        guard count < Globals.capacity else { return slots[name] }
        let s = claim(&slots[name, default: -1], count)
        if s == count {
            (values + s).initialize(to: .object(Undefined.marker))
            count += 1
            names.append(name)
            declared.append(false)
        }
        return s
    }

    /// Room for `n` more names without regrowing the tables.
    func reserveCapacity(_ n: Int) {
        slots.reserveCapacity(slots.count + n)
        names.reserveCapacity(names.count + n)
        declared.reserveCapacity(declared.count + n)
    }

    func existingSlot(_ name: String) -> Int? { slots[name] }

    func markDeclared(_ slot: Int) { declared[slot] = true }

    func isDefined(_ slot: Int) -> Bool {
        if case .object(let o) = values[slot], o === Undefined.marker { return false }
        return true
    }

    /// Defined names, in the order they were first bound.
    var definedNames: [String] { names.indices.filter { isDefined($0) }.map { names[$0] } }

    /// Forgets every binding (REPL `:reset`); slots stay valid for compiled code.
    func undefineAll(except keep: (String) -> Bool) {
        for i in 0..<count where !keep(names[i]) { values[i] = .object(Undefined.marker) }
    }
}

/// `entry` (a dictionary's value read with a default of -1) if already set, else `next`,
/// stored there: find-or-add with one hash of the key, where a lookup and then an
/// insert hash it twice.
@inline(__always) func claim(_ entry: inout Int, _ next: Int) -> Int {
    if entry < 0 { entry = next }
    return entry
}

/// Marks a global slot that has been reserved but never assigned.
final class Undefined: LTObject, @unchecked Sendable {
    static let marker = Undefined()
    /// The marker's address as a `Value.object` holds it in its first word, for hot paths
    /// that test a global slot without copying its value (and so retaining a tensor);
    /// nil if the value's layout is not that (then they take the copying test).
    static let markerWord: UInt? = {
        let word = leadingWords(of: Value.object(marker)).0
        return word == addressWord(marker) ? UInt(word) : nil
    }()
    var typeName: String { "undefined" }
    var summary: String { "<undefined>" }
}

/// How evaluation leaves a node other than by producing a value.
enum Unwind: Error {
    case error(RuntimeError)
    case returning(Value)
    case breaking
    case continuing
}

/// A diagnostic in flight; a class so the call stack can be appended while unwinding.
final class RuntimeError: @unchecked Sendable {
    var diagnostic: Diagnostic
    init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
}

/// Compiled code: a closure over the tree, run against the current frame.
typealias Code = (Frame) throws(Unwind) -> Value

/// A `Code` in a struct. An array of these holds each closure as it is; an `[Code]` holds
/// them behind reabstraction thunks, one more indirect call every time one runs.
struct CodeBox {
    let run: Code
    init(_ run: @escaping Code) { self.run = run }
}
