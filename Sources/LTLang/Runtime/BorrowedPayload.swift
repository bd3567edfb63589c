/// Reading a list, record or function out of a slot without retaining it.
///
/// Swift copies an enum's class payload out of memory (an atomic retain, later a release)
/// whenever code switches over a value it does not own, even to read one element. The
/// inner loops of notebook code (`info[k]`, `c.group`) read lists and records from slots
/// that nothing can change during the read (no user code runs in it), so they borrow the
/// reference instead: two atomic operations fewer per read.
///
/// This relies on `Value` keeping a list's, record's or function's reference, unchanged, in its first
/// word (the tag lives in a byte after the payload). `layoutHolds` checks that against the
/// compiler's actual layout once; if it ever fails, the readers take the retaining path.
/// The first two words of `value`'s bytes: how the layout checks and the in-place readers
/// see a `Value` or a `String` (each such layout is checked once, where it is relied on).
func leadingWords<T>(of value: T) -> (UInt64, UInt64) {
    withUnsafeBytes(of: value) { ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
}

/// An object's address as a word, not retained.
func addressWord(_ object: AnyObject) -> UInt64 { UInt64(UInt(bitPattern: Unmanaged.passUnretained(object).toOpaque())) }

enum BorrowedPayload {
    static let layoutHolds: Bool = {
        let list = ListBox([])
        let record = RecordBox()
        let function = Function(builtin: Builtin("layout", family: "", [], summary: "", example: "", result: "") { _ in .nil })
        var values: [Value] = [.list(list), .record(record), .function(function)]
        return values.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return false }
            let listWord = UnsafeRawPointer(base).load(as: UnsafeRawPointer.self)
            let recordWord = UnsafeRawPointer(base + 1).load(as: UnsafeRawPointer.self)
            let functionWord = UnsafeRawPointer(base + 2).load(as: UnsafeRawPointer.self)
            return listWord == UnsafeRawPointer(Unmanaged.passUnretained(list).toOpaque())
                && recordWord == UnsafeRawPointer(Unmanaged.passUnretained(record).toOpaque())
                && functionWord == UnsafeRawPointer(Unmanaged.passUnretained(function).toOpaque())
        }
    }()
}

extension UnsafeMutablePointer where Pointee == Value {
    /// `body` on the list this slot holds, borrowed (`borrow`: the layout check's result,
    /// read once by the caller); nil when the slot holds no list.
    @inline(__always) func withList<R>(borrow: Bool, _ body: (ListBox) -> R?) -> R? {
        guard case .list = pointee else { return nil }
        if borrow { return withFirstWord(ListBox.self, body) }
        guard case .list(let box) = pointee else { return nil }
        return body(box)
    }

    /// `body` on the record this slot holds, borrowed as `withList` does.
    @inline(__always) func withRecord<R>(borrow: Bool, _ body: (RecordBox) -> R?) -> R? {
        guard case .record = pointee else { return nil }
        if borrow { return withFirstWord(RecordBox.self, body) }
        guard case .record(let box) = pointee else { return nil }
        return body(box)
    }

    /// The address of the function this slot holds, read without retaining it; nil when
    /// it holds none (or `borrow` is false). An identity to compare with a cached one only.
    @inline(__always) func functionAddress(borrow: Bool) -> UnsafeRawPointer? {
        guard borrow, case .function = pointee else { return nil }
        return UnsafeRawPointer(self).load(as: UnsafeRawPointer.self)
    }

    /// The one-argument call of the registered built-in in this slot, read without
    /// retaining anything; nil for anything else (or when `borrow` is false).
    @inline(__always) func unaryBuiltinCall(borrow: Bool) -> UnaryBuiltinCall? {
        guard let address = functionAddress(borrow: borrow) else { return nil }
        return Unmanaged<Function>.fromOpaque(address)._withUnsafeGuaranteedRef { $0.unaryCall }
    }

    /// Whether the slot holds the undefined-global marker whose first word is `marker`
    /// (`Undefined.markerWord`, read once by the caller), tested without a copy.
    @inline(__always) func holdsUndefinedMarker(_ marker: UInt?) -> Bool {
        guard case .object = pointee else { return false }
        guard let marker else { return pointee.isUndefinedMarker }
        return UnsafeRawPointer(self).load(as: UInt.self) == marker
    }

    /// `body` on the reference in the slot's first word, not retained; the caller checked
    /// the case.
    @inline(__always) private func withFirstWord<T: AnyObject, R>(_ type: T.Type, _ body: (T) -> R?) -> R? {
        Unmanaged<T>.fromOpaque(UnsafeRawPointer(self).load(as: UnsafeRawPointer.self))._withUnsafeGuaranteedRef { body($0) }
    }
}

/// How compiled code reads an element of one library object kind (LTStdlib's tensors)
/// without retaining the object.
///
/// An `.object` value holds an existential, which Swift cannot borrow from memory, so
/// `acc[k]` on a tensor paid an atomic retain and release around a two-nanosecond read
/// (2 ms of the grid benchmark's 29). The kind is recognised by its conformance (the
/// witness table in the value's second word, the same for every object of the kind) and
/// its element read from the object's unretained address. The library installs one on
/// the interpreter (`Interpreter.borrowedElementReader`) before any code is compiled.
public struct BorrowedElementReader: Sendable {
    /// The conformance's address, as a `Value.object` of the kind holds it.
    let conformance: UInt
    /// `object[n]` for an unretained object of the kind, as `LTObject.element(at:)` gives it.
    let read: @Sendable (UnsafeRawPointer, Double) -> Value?

    /// A reader for `sample`'s kind; nil when a `Value` does not hold the object and its
    /// conformance in its first two words (then the retaining read is used).
    public init?(sample: any LTObject, read: @escaping @Sendable (UnsafeRawPointer, Double) -> Value?) {
        let words = leadingWords(of: Value.object(sample))
        guard MemoryLayout<Value>.size > 16, BorrowedPayload.layoutHolds, words.0 == addressWord(sample) else { return nil }
        conformance = UInt(words.1)
        self.read = read
    }

    private init(conformance: UInt, read: @escaping @Sendable (UnsafeRawPointer, Double) -> Value?) {
        self.conformance = conformance
        self.read = read
    }

    /// A reader no object matches (no conformance is at address 0): what compiled code
    /// holds when the library installed none, so that it never unwraps an optional
    /// (a copy of the struct and a retain of its closure per read).
    static let none = BorrowedElementReader(conformance: 0) { _, _ in nil }

    /// `v[n]` when `v` holds an object of the kind; nil for anything else.
    @inline(__always) func element(_ v: UnsafeMutablePointer<Value>, _ n: Double) -> Value? {
        guard case .object = v.pointee else { return nil }
        let raw = UnsafeRawPointer(v)
        guard raw.load(fromByteOffset: 8, as: UInt.self) == conformance else { return nil }
        return read(raw.load(as: UnsafeRawPointer.self), n)
    }
}
