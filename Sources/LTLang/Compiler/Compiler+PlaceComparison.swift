/// `c.group == p` as a condition, compared where both values sit.
///
/// The ordinary comparison copies each side out of its slot or record (a retain and a
/// release for a string) before comparing. Here each side is a place (a record field of a
/// local, a local, a captured variable, a global or a literal) read through a pointer, and
/// two numbers or two strings compare without a copy. Anything else, or a place that is
/// not there (no such field, no record), runs that comparison's ordinary code, errors
/// included.
///
/// A chain `c.p == p and c.d != d …` of such comparisons is one node (`PlaceConjunction`):
/// its sides are data a switch reads, not a closure each, so the notebook filter
/// `if c.p == p and c.d == d { … }` makes one call where it made four (the `if`, the
/// `and`, each comparison).
extension Compiler {
    /// The in-place form of `expr` when it is `==` / `!=` with a record field on one side
    /// and a place on the other, or an `and` chain of those; nil otherwise (nothing is
    /// compiled then). `ordinary` compiles one comparison's general code, its fallback.
    func placeConjunction(_ expr: Expr,
                          ordinary: (Expr) throws(Diagnostic) -> (Frame) throws(Unwind) -> Bool) throws(Diagnostic) -> PlaceConjunction? {
        guard BorrowedPayload.layoutHolds, StringBits.layoutHolds else { return nil }
        let storage = PlaceStorage()
        var parts: [(Expr, PlaceOperand, PlaceOperand, Bool)] = []
        func collect(_ e: Expr) -> Bool {
            switch e.kind {
            case .and(let l, let r):
                return collect(l) && collect(r)
            case .binary(let op, let lhs, let rhs, _) where op == .equal || op == .notEqual:
                guard isField(lhs) || isField(rhs), let a = place(lhs, storage), let b = place(rhs, storage) else { return false }
                parts.append((e, a, b, op == .equal))
                return true
            default:
                return false
            }
        }
        guard collect(expr) else { return nil }
        var tests: [PlaceTest] = []
        for (i, (e, a, b, wantEqual)) in parts.enumerated() {
            storage.fallbacks.append(try ordinary(e))
            tests.append(PlaceTest(lhs: a, rhs: b, wantEqual: wantEqual, index: i))
        }
        placeComparisons += tests.count
        return PlaceConjunction(tests, storage)
    }

    private func isField(_ e: Expr) -> Bool {
        if case .member(let object, _, _) = e.kind, case .name = object.kind { return true }
        return false
    }

    /// Where `e`'s value sits, when it is one of the shapes read in place; literals and
    /// field names are kept in `storage`.
    private func place(_ e: Expr, _ storage: PlaceStorage) -> PlaceOperand? {
        switch e.kind {
        case .string(let s): return .constant(storage.constant(.string(s)))
        case .number(let n): return .constant(storage.constant(.number(n)))
        case .name(let name):
            switch lookup(name) {
            case .local(0, let slot)?: return .local(slot)
            case .local(1, let slot)?: return .parent(slot)
            case .local?, .global?: return nil
            case nil: return globals.existingSlot(name).map { .global(globals.values + $0) }
            }
        case .member(let object, let name, _):
            guard case .name(let local) = object.kind, case .local(0, let slot)? = lookup(local) else { return nil }
            return .field(slot, storage.fieldKey(name))
        default:
            return nil
        }
    }
}

/// What a conjunction's plain-data tests point at: its literals, its field names (with
/// their position hints) and each comparison's ordinary code, freed with the node.
final class PlaceStorage {
    private var constants: [UnsafeMutablePointer<Value>] = []
    private var keys: [UnsafeMutablePointer<FieldKey>] = []
    fileprivate(set) var fallbacks: [(Frame) throws(Unwind) -> Bool] = []

    fileprivate func constant(_ value: Value) -> UnsafeMutablePointer<Value> {
        let p = UnsafeMutablePointer<Value>.allocate(capacity: 1)
        p.initialize(to: value)
        constants.append(p)
        return p
    }

    fileprivate func fieldKey(_ name: String) -> UnsafeMutablePointer<FieldKey> {
        let p = UnsafeMutablePointer<FieldKey>.allocate(capacity: 1)
        p.initialize(to: FieldKey(name))
        keys.append(p)
        return p
    }

    deinit {
        for p in constants { p.deinitialize(count: 1); p.deallocate() }
        for p in keys { p.deinitialize(count: 1); p.deallocate() }
    }
}

/// A field name read in place: the name, its two words (a record key with the same
/// words is the same string) and where it was last found.
struct FieldKey {
    let name: String
    let words: (UInt64, UInt64)
    var hint = 0

    init(_ name: String) {
        self.name = name
        words = leadingWords(of: name)
    }
}

/// One side of an in-place comparison: where its value sits. Plain data (the pointers
/// belong to the node's `PlaceStorage`), so testing copies nothing that is counted.
enum PlaceOperand {
    case constant(UnsafeMutablePointer<Value>)
    case local(Int)
    case parent(Int)
    case global(UnsafeMutablePointer<Value>)
    case field(Int, UnsafeMutablePointer<FieldKey>)

    /// The value's address, borrowed: valid until code runs that could change it (the
    /// comparison runs none); nil when the place is not there (no parent frame, no record,
    /// no such field).
    @inline(__always) func address(_ f: Frame) -> UnsafePointer<Value>? {
        switch self {
        case .constant(let p), .global(let p): return UnsafePointer(p)
        case .local(let slot): return UnsafePointer(f.withUnsafeMutablePointerToElements { $0 + slot })
        case .parent(let slot): return f.withParent { UnsafePointer($0.withUnsafeMutablePointerToElements { $0 + slot }) }
        case .field(let slot, let key):
            return f.withUnsafeMutablePointerToElements { p in
                (p + slot).withRecord(borrow: true) { $0.fieldAddress(key) }
            }
        }
    }
}

/// `lhs == rhs` (or `!=`) read in place; what the bits cannot decide runs the
/// comparison's ordinary code, `fallbacks[index]` of the node's storage.
struct PlaceTest {
    let lhs: PlaceOperand
    let rhs: PlaceOperand
    let wantEqual: Bool
    let index: Int

    @inline(__always) func holds(_ f: Frame, _ storage: PlaceStorage) throws(Unwind) -> Bool {
        if let a = lhs.address(f), let b = rhs.address(f), let same = equalInPlace(a, b) { return same == wantEqual }
        return try storage.fallbacks[index](f)
    }
}

/// In-place comparisons joined by `and`, tested left to right until one fails, as `and`
/// does. The first two are stored apart so that testing them is straight-line code. A
/// class: nodes hold it by reference, so no node copies its tests to run them.
final class PlaceConjunction {
    private let first: PlaceTest
    private let second: PlaceTest
    private let count: Int
    private let all: [PlaceTest]
    private let storage: PlaceStorage

    /// `tests` is not empty (`placeConjunction` collects at least one).
    fileprivate init(_ tests: [PlaceTest], _ storage: PlaceStorage) {
        first = tests[0]
        second = tests.count > 1 ? tests[1] : tests[0]
        count = tests.count
        all = tests
        self.storage = storage
    }

    @inline(__always) func holds(_ f: Frame) throws(Unwind) -> Bool {
        guard try first.holds(f, storage) else { return false }
        if count == 1 { return true }
        guard try second.holds(f, storage) else { return false }
        if count == 2 { return true }
        for i in 2..<count where !(try all[i].holds(f, storage)) { return false }
        return true
    }
}

/// Whether two values are equal, as `Operators.equal` decides for two numbers or two
/// strings, read in place; nil for any other pair, or strings only a copy can compare.
@inline(__always) private func equalInPlace(_ a: UnsafePointer<Value>, _ b: UnsafePointer<Value>) -> Bool? {
    if case .number(let x) = a.pointee, case .number(let y) = b.pointee { return x == y }
    if case .string = a.pointee, case .string = b.pointee { return StringBits.equal(a, b) }
    return nil
}

/// Two strings compared by their bits, without copying them.
///
/// A Swift string is two words. Identical words are the same string. Small strings (up to
/// 15 UTF-8 bytes, held in the words themselves) flagged ASCII are equal only when their
/// words are: ASCII has no canonically equivalent spellings. Anything else needs Swift's
/// `==` (Unicode canonical equivalence), so the caller copies. The flag's place (the top
/// nibble of the second word is 0xE for a small ASCII string) is Swift's string ABI;
/// `layoutHolds` checks it and the enum's layout once, and the comparison is not used if
/// either differs.
enum StringBits {
    static let layoutHolds: Bool = {
        let built = String(["m", "a", "n", "y"])
        let samples = ["many", built, "é", String(repeating: "long ascii text ", count: 4)]
        let w = samples.map { leadingWords(of: $0) }
        let inValue = samples.map { leadingWords(of: Value.string($0)) }
        return MemoryLayout<Value>.size > 16
            && zip(w, inValue).allSatisfy { $0 == $1 }
            && w[0] == w[1]                 // the same small string, however it was built
            && w[0].1 >> 60 == 0xE          // small ASCII
            && w[2].1 >> 60 != 0xE          // small, not ASCII
            && w[3].1 >> 60 != 0xE          // large
    }()

    /// Equality of the strings at `a` and `b` (the caller checked both are strings), or
    /// nil when the bits cannot tell.
    @inline(__always) static func equal(_ a: UnsafePointer<Value>, _ b: UnsafePointer<Value>) -> Bool? {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        let a0 = ra.load(as: UInt64.self), a1 = ra.load(fromByteOffset: 8, as: UInt64.self)
        let b0 = rb.load(as: UInt64.self), b1 = rb.load(fromByteOffset: 8, as: UInt64.self)
        if a0 == b0 && a1 == b1 { return true }
        if a1 >> 60 == 0xE && b1 >> 60 == 0xE { return false }
        return nil
    }
}
