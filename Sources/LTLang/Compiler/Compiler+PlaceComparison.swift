/// `c.group == p` as a condition, compared where both values sit.
///
/// The ordinary comparison copies each side out of its slot or record (a retain and a
/// release for a string) before comparing. Here each side is a place (a record field of a
/// local, a local, a captured variable, a global or a literal) read through a pointer, and
/// two numbers or two strings compare without a copy. Anything else, or a place that is
/// not there (no such field, no record), runs the ordinary condition, errors included.
extension Compiler {
    /// The in-place form of `lhs == rhs` / `lhs != rhs`, or nil when neither side is a
    /// record field (a local compared with a literal is already fast) or a side is no place.
    func placeComparison(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr,
                         fallback: @escaping (Frame) throws(Unwind) -> Bool) -> ((Frame) throws(Unwind) -> Bool)? {
        guard op == .equal || op == .notEqual, BorrowedPayload.layoutHolds, StringBits.layoutHolds,
              isField(lhs) || isField(rhs), let l = place(lhs), let r = place(rhs) else { return nil }
        let wantEqual = op == .equal
        placeComparisons += 1
        switch l {
        case .constant(let c): return Compiler.compare(ConstantPlaceReader(constant: c), r, wantEqual, fallback)
        case .local(let slot): return Compiler.compare(LocalPlaceReader(slot: slot), r, wantEqual, fallback)
        case .parent(let slot): return Compiler.compare(ParentPlaceReader(slot: slot), r, wantEqual, fallback)
        case .global(let p): return Compiler.compare(GlobalPlaceReader(pointer: p), r, wantEqual, fallback)
        case .field(let slot, let name): return Compiler.compare(FieldPlaceReader(slot: slot, name: name, hint: FieldHint()), r, wantEqual, fallback)
        }
    }

    private static func compare<L: PlaceReader>(_ l: L, _ r: Place, _ wantEqual: Bool,
                                                _ fallback: @escaping (Frame) throws(Unwind) -> Bool) -> (Frame) throws(Unwind) -> Bool {
        switch r {
        case .constant(let c): return compare(l, ConstantPlaceReader(constant: c), wantEqual, fallback)
        case .local(let slot): return compare(l, LocalPlaceReader(slot: slot), wantEqual, fallback)
        case .parent(let slot): return compare(l, ParentPlaceReader(slot: slot), wantEqual, fallback)
        case .global(let p): return compare(l, GlobalPlaceReader(pointer: p), wantEqual, fallback)
        case .field(let slot, let name): return compare(l, FieldPlaceReader(slot: slot, name: name, hint: FieldHint()), wantEqual, fallback)
        }
    }

    /// Specialised per pair of place kinds, as the number operators are.
    private static func compare<L: PlaceReader, R: PlaceReader>(_ l: L, _ r: R, _ wantEqual: Bool,
                                                                _ fallback: @escaping (Frame) throws(Unwind) -> Bool) -> (Frame) throws(Unwind) -> Bool {
        return { f throws(Unwind) in
            if let a = l.address(f), let b = r.address(f), let same = equalInPlace(a, b) { return same == wantEqual }
            return try fallback(f)
        }
    }

    private func isField(_ e: Expr) -> Bool {
        if case .member(let object, _, _) = e.kind, case .name = object.kind { return true }
        return false
    }

    /// Where `e`'s value sits, when it is one of the shapes read in place.
    private func place(_ e: Expr) -> Place? {
        switch e.kind {
        case .string(let s): return .constant(ConstantPlace(.string(s)))
        case .number(let n): return .constant(ConstantPlace(.number(n)))
        case .name(let name):
            switch lookup(name) {
            case .local(0, let slot)?: return .local(slot)
            case .local(1, let slot)?: return .parent(slot)
            case .local?, .global?: return nil
            case nil: return globals.existingSlot(name).map { .global(globals.values + $0) }
            }
        case .member(let object, let name, _):
            guard case .name(let local) = object.kind, case .local(0, let slot)? = lookup(local) else { return nil }
            return .field(slot, name)
        default:
            return nil
        }
    }
}

/// A literal kept at a fixed address for the comparisons that read it in place.
final class ConstantPlace {
    let pointer: UnsafeMutablePointer<Value>
    init(_ value: Value) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: value)
    }
    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }
}

private enum Place {
    case constant(ConstantPlace)
    case local(Int)
    case parent(Int)
    case global(UnsafeMutablePointer<Value>)
    case field(Int, String)
}

/// A place's value by address, borrowed: valid until code runs that could change it (the
/// comparison runs none); nil when the place is not there (no parent frame, no record, no
/// such field).
private protocol PlaceReader {
    func address(_ f: Frame) -> UnsafePointer<Value>?
}

private struct ConstantPlaceReader: PlaceReader {
    let constant: ConstantPlace
    @inline(__always) func address(_ f: Frame) -> UnsafePointer<Value>? { UnsafePointer(constant.pointer) }
}

private struct LocalPlaceReader: PlaceReader {
    let slot: Int
    @inline(__always) func address(_ f: Frame) -> UnsafePointer<Value>? {
        UnsafePointer(f.withUnsafeMutablePointerToElements { $0 + slot })
    }
}

private struct ParentPlaceReader: PlaceReader {
    let slot: Int
    @inline(__always) func address(_ f: Frame) -> UnsafePointer<Value>? {
        f.withParent { UnsafePointer($0.withUnsafeMutablePointerToElements { $0 + slot }) }
    }
}

private struct GlobalPlaceReader: PlaceReader {
    let pointer: UnsafeMutablePointer<Value>
    @inline(__always) func address(_ f: Frame) -> UnsafePointer<Value>? { UnsafePointer(pointer) }
}

private struct FieldPlaceReader: PlaceReader {
    let slot: Int
    let name: String
    let hint: FieldHint
    @inline(__always) func address(_ f: Frame) -> UnsafePointer<Value>? {
        f.withUnsafeMutablePointerToElements { p in
            (p + slot).withRecord(borrow: true) { $0.fieldAddress(name, hint: &hint.position) }
        }
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
        func words(_ v: Value) -> (UInt64, UInt64) {
            withUnsafeBytes(of: v) { ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
        }
        func stringWords(_ s: String) -> (UInt64, UInt64) {
            withUnsafeBytes(of: s) { ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
        }
        let built = String(["m", "a", "n", "y"])
        let samples = ["many", built, "é", String(repeating: "long ascii text ", count: 4)]
        let w = samples.map(stringWords)
        let inValue = samples.map { words(.string($0)) }
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
