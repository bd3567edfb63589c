/// A value of the ltnb language: a small closed enum.
///
/// Scalars are unboxed; lists and records are shared mutable boxes (LANGUAGE.md shares
/// them by reference); functions and library objects are class references. The enum
/// stays three words wide so copying it is cheap on the interpreter's hot path.
public enum Value: @unchecked Sendable {
    case `nil`
    case bool(Bool)
    case number(Double)
    case string(String)
    case list(ListBox)
    case record(RecordBox)
    case function(Function)
    case object(any LTObject)

    /// The name used in error messages and by `type(x)`.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .list: return "list"
        case .record: return "record"
        case .function: return "function"
        case .object(let o): return o.typeName
        }
    }

    /// True for nil, bools and numbers: overwriting such a value needs no release.
    @inline(__always)
    var holdsNoReference: Bool {
        switch self {
        case .nil, .bool, .number: return true
        default: return false
        }
    }

    /// True for the marker of a global slot never assigned, tested without copying.
    @inline(__always)
    var isUndefinedMarker: Bool {
        if case .object(let o) = self { return o === Undefined.marker }
        return false
    }

    /// Only `false` and `nil` are false; objects (tensors) decide for themselves.
    @inline(__always)
    public func isTruthy() throws -> Bool {
        switch self {
        case .bool(let b): return b
        case .nil: return false
        case .object(let o): return try o.truth()
        default: return true
        }
    }

    public static func list(_ items: [Value]) -> Value { .list(ListBox(items)) }
    public static func record(_ fields: [(String, Value)]) -> Value { .record(RecordBox(fields)) }
}

/// Drops a value a statement produced. Each case releases its own payload, so the usual
/// nil, bool or number costs no call (dropping the enum whole calls its out-of-line destroy,
/// a fifth of a counting loop's time).
@inline(__always) func discard(_ v: consuming Value) {
    switch consume v {
    case .nil, .bool, .number: break
    case .string(let s): _ = s
    case .list(let b): _ = b
    case .record(let b): _ = b
    case .function(let fn): _ = fn
    case .object(let o): _ = o
    }
}

/// A mutable list shared by reference.
///
/// `@exclusivity(unchecked)`: every element read in a loop would otherwise pay a dynamic
/// exclusivity check (a third of a notebook-style loop's time). No access to `items`
/// here or in LTStdlib overlaps another on the same box: reads copy the array or take
/// one element, writes are single statements.
public final class ListBox {
    @exclusivity(unchecked) public var items: [Value]
    public init(_ items: [Value]) { self.items = items }

    /// `n` as an index of the list when it is a whole number in range, else nil.
    /// `Double(Int(n)) == n` tests for a whole number without the libm call `rounded()` makes.
    @inline(__always) func index(_ n: Double) -> Int? {
        guard n >= 0, n < Double(items.count), Double(Int(n)) == n else { return nil }
        return Int(n)
    }
}

/// A mutable record with ordered fields, shared by reference.
///
/// Unchecked exclusivity as for `ListBox`: field reads are the inner loop of notebook code.
/// Small records (most are) find a field by scanning `keys`; a hash of positions is built
/// only past `hashedFrom` fields. Records built by one literal share one `keys` buffer
/// (copy-on-write, until a record adds or removes a field), so a loop over a thousand of
/// them reads one hot array instead of a thousand, and keeps no per-record hash
/// (docs/decisions.md, "Language").
public final class RecordBox {
    @exclusivity(unchecked) public private(set) var keys: [String]
    @exclusivity(unchecked) public private(set) var values: [Value]
    @exclusivity(unchecked) private var positions: [String: Int]?

    /// From this many fields on, a record keeps a hash from key to position.
    static let hashedFrom = 9

    public init(_ fields: [(String, Value)] = []) {
        keys = []; values = []
        keys.reserveCapacity(fields.count)
        values.reserveCapacity(fields.count)
        for (k, v) in fields { self[k] = v }
    }

    /// A record of `keys` (distinct; the caller checked) and their `values`, sharing the
    /// caller's `keys` buffer.
    init(distinctKeys keys: [String], values: [Value]) {
        self.keys = keys
        self.values = values
        if keys.count >= Self.hashedFrom { positions = Self.hash(keys) }
    }

    public var count: Int { keys.count }
    public var fields: [(String, Value)] { Array(zip(keys, values)) }

    /// Where `key` is, or nil.
    @inline(__always) private func position(_ key: String) -> Int? {
        if let positions { return positions[key] }
        return keys.firstIndex(of: key)
    }

    public subscript(key: String) -> Value? {
        get { position(key).map { values[$0] } }
        set {
            if let i = position(key) {
                if let newValue { values[i] = newValue } else { remove(at: i) }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
                if positions != nil {
                    positions?[key] = keys.count - 1
                } else if keys.count >= Self.hashedFrom {
                    positions = Self.hash(keys)
                }
            }
        }
    }

    /// The field `key`, trying position `hint` first: records built by one literal share
    /// their field order, so a site that reads `c.group` in a loop finds it there without
    /// searching. `hint` is updated to where the field was found.
    @inline(__always) public func field(_ key: String, hint: inout Int) -> Value? {
        fieldIndex(key, hint: &hint).map { values[$0] }
    }

    /// The address of field `key`, found as `field` finds it; valid until the record's
    /// fields change (the in-place comparisons read it while no code runs).
    @inline(__always) func fieldAddress(_ key: String, hint: inout Int) -> UnsafePointer<Value>? {
        guard let i = fieldIndex(key, hint: &hint) else { return nil }
        return values.withUnsafeBufferPointer { $0.baseAddress.map { $0 + i } }
    }

    /// The address of field `key.name`, trying the key's hint by the name's words first
    /// (no string comparison when the record holds the very same string there), then
    /// the ordinary lookup, which updates the hint; nil when absent.
    @inline(__always) func fieldAddress(_ key: UnsafeMutablePointer<FieldKey>) -> UnsafePointer<Value>? {
        let h = key.pointee.hint
        let same: Bool = keys.withUnsafeBufferPointer { k in
            guard h < k.count, let base = k.baseAddress else { return false }
            let raw = UnsafeRawPointer(base + h)
            return raw.load(as: UInt64.self) == key.pointee.words.0 && raw.load(fromByteOffset: 8, as: UInt64.self) == key.pointee.words.1
        }
        if same { return values.withUnsafeBufferPointer { $0.baseAddress.map { $0 + h } } }
        return fieldAddress(key.pointee.name, hint: &key.pointee.hint)
    }

    /// Where field `key` is, trying `hint` first and updating it; nil when absent.
    @inline(__always) private func fieldIndex(_ key: String, hint: inout Int) -> Int? {
        let h = hint
        if h < keys.count, keys[h] == key { return h }
        guard let i = position(key) else { return nil }
        hint = i
        return i
    }

    private func remove(at i: Int) {
        keys.remove(at: i); values.remove(at: i)
        positions = keys.count >= Self.hashedFrom ? Self.hash(keys) : nil
    }

    private static func hash(_ keys: [String]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
    }
}

/// A library object (tensor, dataset, model, figure, table): read-only fields plus
/// optional operator, index and iteration support. LTLang knows nothing of what they are;
/// LTStdlib supplies them.
public protocol LTObject: AnyObject {
    /// `tensor`, `dataset`, `model`, `figure`, `table`.
    var typeName: String { get }
    /// One line, e.g. `<dataset train: 2000 x 128, 100 classes>`.
    var summary: String { get }
    /// The multi-line display form; defaults to `summary`.
    var display: String { get }
    var fieldNames: [String] { get }
    func field(_ name: String) throws -> Value?
    /// A binary operator with `other`; nil when unsupported.
    func binary(_ op: ObjectOperator, _ other: Value, objectOnLeft: Bool) throws -> Value?
    func negate() throws -> Value?
    func index(_ items: [IndexValue]) throws -> Value?
    /// `o[i]` for one number, without building an index list: nil means "not this
    /// shape", and `index` then runs (with its errors). For loops reading elements.
    func element(at index: Double) -> Value?
    /// Elements for `for x in object`; nil when not iterable.
    func elements() throws -> [Value]?
    func truth() throws -> Bool
    func length() throws -> Int?
}

public extension LTObject {
    var display: String { summary }
    var fieldNames: [String] { [] }
    func field(_ name: String) throws -> Value? { nil }
    func binary(_ op: ObjectOperator, _ other: Value, objectOnLeft: Bool) throws -> Value? { nil }
    func negate() throws -> Value? { nil }
    func index(_ items: [IndexValue]) throws -> Value? { nil }
    func element(at index: Double) -> Value? { nil }
    func elements() throws -> [Value]? { nil }
    func truth() throws -> Bool { true }
    func length() throws -> Int? { nil }
}

/// Operators an object may implement.
public enum ObjectOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^", matmul = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

/// One evaluated index item: `t[i, 1:3, :]`.
public enum IndexValue {
    case value(Value)
    case slice(start: Value, stop: Value, step: Value)
}

/// An error raised by a built-in or an object: the interpreter adds the location.
public struct LTError: Error, Sendable {
    public var message: String
    public var kind: Diagnostic.Kind
    /// Which argument to point at: a positional index or a keyword name.
    public var argument: ArgumentReference?
    public var notes: [String]
    public init(_ message: String, kind: Diagnostic.Kind = .value, argument: ArgumentReference? = nil, notes: [String] = []) {
        self.message = message; self.kind = kind; self.argument = argument; self.notes = notes
    }
}

public enum ArgumentReference: Sendable, Equatable {
    case position(Int)
    case keyword(String)
}
