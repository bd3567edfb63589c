import Foundation
import LTLang
import LTTensor

/// A tensor as a language value: immutable, with NumPy-style operators, indexing and
/// printing. Results that are a single element become numbers (LANGUAGE.md).
public final class TensorObject: LTObject, NumericConvertible, PersistableObject {
    /// A tensor, or an ensemble that metrics stream without building it (`LazyEnsemble`).
    private enum Contents {
        case built(Tensor)
        case lazy(LazyEnsemble)
    }
    private let contents: Contents
    /// A 1-D tensor's elements by address, for `element(at:)`.
    private let vector: VectorElements?
    public init(_ tensor: Tensor) {
        contents = .built(tensor)
        vector = tensor.vectorElements
    }

    init(_ lazy: LazyEnsemble) {
        contents = .lazy(lazy)
        vector = nil
    }

    /// The tensor; an unbuilt ensemble is built here (it can fail: memory, Ctrl-C).
    public var tensor: Tensor {
        get throws {
            switch contents {
            case .built(let t): return t
            case .lazy(let l): return try l.tensor()
            }
        }
    }

    /// The ensemble when it is still unbuilt, for a reader that can stream its blocks.
    var unbuiltEnsemble: LazyEnsemble? {
        if case .lazy(let l) = contents, !l.isBuilt { return l }
        return nil
    }

    public var shape: [Int] {
        switch contents {
        case .built(let t): return t.shape
        case .lazy(let l): return l.shape
        }
    }

    /// Number of elements.
    public var count: Int {
        switch contents {
        case .built(let t): return t.count
        case .lazy(let l): return l.rows * l.cols
        }
    }

    public var dtype: DType {
        switch contents {
        case .built(let t): return t.dtype
        case .lazy: return .float32
        }
    }

    /// Most rows a `for` loop over a tensor takes (the interpreter's default collection limit).
    static let maxIteration = 100_000_000

    public var typeName: String { "tensor" }
    /// Cached notebook cells store tensors as .npy bytes.
    public static var persistenceTag: String { "tensor" }
    public func persist() throws -> Data { try wrap { try tensor.npyData() } }
    public var summary: String { "<tensor \(formatShape(shape)) \(dtype)>" }
    public var display: String {
        do { return try tensor.description } catch let e as LTError { return "\(summary) (cannot build it: \(e.message))" } catch { return summary }
    }
    public var fieldNames: [String] { ["shape", "ndim", "size", "dtype", "T"] }
    public var numericShape: [Int] { shape }
    public func numericValues() throws -> [Double] { try tensor.toDoubles() }

    public func field(_ name: String) throws -> Value? {
        switch name {
        case "shape": return .list(shape.map { .number(Double($0)) })
        case "ndim": return .number(Double(shape.count))
        case "size": return .number(Double(count))
        case "dtype": return .string(dtype.rawValue)
        case "T": return .object(TensorObject(try wrap { try tensor.transpose() }))
        default: return nil
        }
    }

    public func binary(_ op: ObjectOperator, _ other: Value, objectOnLeft: Bool) throws -> Value? {
        let tensor = try self.tensor
        let o: Tensor
        switch other {
        case .number(let n): o = tensor.scalarLike(n)
        case .bool(let b): o = Tensor(scalar: b ? 1 : 0, dtype: .bool)
        case .object(let obj as TensorObject): o = try obj.tensor
        case .list: o = try TensorConvert.tensor(from: other, dtype: nil)
        default: return nil
        }
        let (a, b) = objectOnLeft ? (tensor, o) : (o, tensor)
        let result: Tensor = try wrap {
            switch op {
            case .add: return try a.binary(.add, b)
            case .subtract: return try a.binary(.sub, b)
            case .multiply: return try a.binary(.mul, b)
            case .divide: return try a.binary(.div, b)
            case .modulo: return try a.binary(.mod, b)
            case .power: return try a.binary(.pow, b)
            case .matmul: return try a.matmul(b)
            case .equal: return try a.compare(.eq, b)
            case .notEqual: return try a.compare(.ne, b)
            case .less: return try a.compare(.lt, b)
            case .lessEqual: return try a.compare(.le, b)
            case .greater: return try a.compare(.gt, b)
            case .greaterEqual: return try a.compare(.ge, b)
            }
        }
        return TensorConvert.value(result)
    }

    public func negate() throws -> Value? { TensorConvert.value(try wrap { try tensor.unary(.neg) }) }

    /// A 1-D tensor's element, the value `index` gives for one whole-number index.
    /// `Double(Int(n)) == n` tests for a whole number without the libm call `rounded()`
    /// makes; the bound first keeps `Int(n)` from trapping on NaN and infinities.
    public func element(at n: Double) -> Value? {
        guard let vector, Swift.abs(n) < 1e15, Double(Int(n)) == n, let x = vector.element(Int(n)) else { return nil }
        return vector.dtype == .bool ? .bool(x != 0) : .number(x)
    }

    /// The interpreter's borrowed read of a tensor's element (`BorrowedElementReader`).
    static let borrowedElementReader = BorrowedElementReader(sample: TensorObject(Tensor(scalar: 0))) { object, n in
        Unmanaged<TensorObject>.fromOpaque(object)._withUnsafeGuaranteedRef { $0.element(at: n) }
    }

    public func index(_ items: [IndexValue]) throws -> Value? {
        var converted: [IndexItem] = []
        for item in items {
            switch item {
            case .value(.number(let n)):
                guard n.isFinite, n == n.rounded(), Swift.abs(n) < 1e15 else {
                    throw LTError("tensor index must be a whole number, got \(formatNumber(n))", kind: .type)
                }
                converted.append(.index(Int(n)))
            case .value(.object(let t as TensorObject)):
                converted.append(.tensor(try t.tensor))
            case .value(.list(let l)):
                converted.append(.tensor(try TensorConvert.tensor(from: .list(l), dtype: nil)))
            case .value(.nil):
                converted.append(.newAxis)
            case .value(let v):
                throw LTError("cannot index a tensor with \(describeForError(v))", kind: .type)
            case .slice(let a, let b, let c):
                func bound(_ v: Value, _ what: String) throws -> Int? {
                    if case .nil = v { return nil }
                    guard case .number(let n) = v, n.isFinite, n == n.rounded() else {
                        throw LTError("slice \(what) must be a whole number, got \(describeForError(v))", kind: .type)
                    }
                    return Int(Swift.max(Swift.min(n, 1e15), -1e15))
                }
                let start = try bound(a, "start"), stop = try bound(b, "stop"), step = try bound(c, "step")
                if start == nil && stop == nil && step == nil { converted.append(.all) } else {
                    converted.append(.slice(start, stop, step))
                }
            }
        }
        let tensor = try self.tensor
        return TensorConvert.value(try wrap { try tensor.index(converted) })
    }

    public func elements() throws -> [Value]? {
        guard shape.count > 0 else { throw LTError("cannot iterate over a 0-d tensor", kind: .type) }
        // An empty tensor can still have a huge first axis (shape (2^40, 0) from a file).
        guard shape[0] <= Self.maxIteration else {
            throw LTError("iterating over \(shape[0]) rows exceeds the limit of \(Self.maxIteration)", kind: .limit)
        }
        let tensor = try self.tensor
        return try (0..<tensor.shape[0]).map { i in TensorConvert.value(try wrap { try tensor.index([.index(i)]) }) }
    }

    public func truth() throws -> Bool {
        guard count == 1 else {
            throw LTError("a tensor of shape \(formatShape(shape)) has no single truth value; reduce it first, e.g. sum(t > 0) > 0", kind: .value)
        }
        return try wrap { try tensor.item() } != 0
    }

    public func length() throws -> Int? {
        guard shape.count > 0 else { throw LTError("a 0-d tensor has no length", kind: .type) }
        return shape[0]
    }
}

/// Runs a tensor operation, turning its error into a language error.
@inline(__always)
func wrap<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as TensorError { throw LTError(e.message, kind: .value) }
}

/// Conversions between language values and tensors.
public enum TensorConvert {
    /// A tensor result as a value: a 0-d tensor becomes a number.
    /// How many values `tolist()` builds for `shape`: every element, or for an empty
    /// tensor the lists down to its first zero-length axis.
    static func listNodes(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape {
            if d == 0 { return n }
            n = n.multipliedReportingOverflow(by: d).overflow ? Int.max : n * d
        }
        return n
    }

    public static func value(_ t: Tensor) -> Value {
        if t.ndim == 0, let x = try? t.item() { return t.dtype == .bool ? .bool(x != 0) : .number(x) }
        return .object(TensorObject(t))
    }

    static func nested(_ v: Value, depth: Int = 0) throws -> NestedValue {
        guard depth < 32 else { throw LTError("list nested too deeply for a tensor", kind: .value) }
        switch v {
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .list(let l): return .list(try l.items.map { try nested($0, depth: depth + 1) })
        case .object(let t as TensorObject): return try t.tensor.toNested()
        default: throw LTError("a tensor holds numbers or bools, got \(describeForError(v))", kind: .type)
        }
    }

    /// A tensor from a number, bool, (nested) list or tensor.
    public static func tensor(from v: Value, dtype: DType?) throws -> Tensor {
        if case .object(let t as TensorObject) = v {
            if let dtype, dtype != t.dtype { return try wrap { try t.tensor.astype(dtype) } }
            return try t.tensor
        }
        return try wrap { try Tensor(nested: try nested(v), dtype: dtype) }
    }

    static func listValue(_ n: NestedValue) -> Value {
        switch n {
        case .number(let x): return .number(x)
        case .bool(let b): return .bool(b)
        case .list(let items): return .list(ListBox(items.map(listValue)))
        }
    }
}

extension Arguments {
    /// A tensor argument; lists and numbers are converted (float32 unless they are bools).
    public func tensor(_ name: String) throws -> Tensor {
        let v = try required(name)
        switch v {
        case .object(let t as TensorObject): return try t.tensor
        case .number, .bool, .list:
            do { return try TensorConvert.tensor(from: v, dtype: nil) } catch let e as LTError {
                throw error(name, "argument '\(name)' to '\(function)' must be a tensor or a list of numbers: \(e.message)", kind: .type)
            }
        default:
            throw typeError(name, "a tensor", v)
        }
    }

    /// Whether the argument is a tensor object (not a list or number).
    public func isTensor(_ name: String) -> Bool {
        if case .object(let o) = value(name) ?? .nil { return o is TensorObject }
        return false
    }

    /// An optional axis (negative counts from the end).
    public func axis(_ name: String = "axis") throws -> Int? {
        guard value(name) != nil else { return nil }
        return try int(name, in: -64...64)
    }

    public func dtype(_ name: String = "dtype") throws -> DType? {
        guard value(name) != nil else { return nil }
        let s = try choice(name, DType.allCases.map(\.rawValue), default: "float32")
        return DType(rawValue: s)
    }

    /// A shape given as variadic numbers or one list: zeros(2, 3) or zeros([2, 3]).
    public func shape() throws -> [Int] {
        var items = rest
        if items.count == 1, case .list(let l) = items[0] { items = l.items }
        return try items.enumerated().map { i, v in
            try Arguments.wholeNumber(v, range: 0...(1 << 40)) { _ in
                restError(rest.count == 1 ? 0 : i, "shape of '\(function)' must be whole numbers >= 0, got \(describeForError(v))", kind: .type)
            }
        }
    }
}
