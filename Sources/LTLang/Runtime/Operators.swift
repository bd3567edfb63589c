import Foundation

/// Operator semantics beyond the inlined number-number cases.
enum Operators {
    /// `limit` bounds the length of a concatenated string (bytes) or list.
    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, limit: Int = .max) throws -> Value {
        // Library objects (tensors) implement their own operators.
        if case .object(let o) = a, let r = try o.binary(ObjectOperator(op), b, objectOnLeft: true) { return r }
        if case .object(let o) = b, let r = try o.binary(ObjectOperator(op), a, objectOnLeft: false) { return r }
        switch (op, a, b) {
        case (_, .number(let x), .number(let y)):
            return numeric(op, x, y)
        case (.add, .string(let x), .string(let y)):
            let n = x.utf8.count + y.utf8.count
            if n > limit { throw LTError("string of \(n) bytes exceeds the limit of \(limit)", kind: .limit) }
            return .string(x + y)
        case (.add, .list(let x), .list(let y)):
            let n = x.items.count + y.items.count
            if n > limit { throw LTError("list of \(n) elements exceeds the limit of \(limit)", kind: .limit) }
            return .list(ListBox(x.items + y.items))
        case (.equal, _, _):
            return .bool(equal(a, b))
        case (.notEqual, _, _):
            return .bool(!equal(a, b))
        case (.less, .string(let x), .string(let y)): return .bool(x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars))
        case (.greater, .string(let x), .string(let y)): return .bool(y.unicodeScalars.lexicographicallyPrecedes(x.unicodeScalars))
        case (.lessEqual, .string(let x), .string(let y)): return .bool(!y.unicodeScalars.lexicographicallyPrecedes(x.unicodeScalars))
        case (.greaterEqual, .string(let x), .string(let y)): return .bool(!x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars))
        default:
            var notes: [String] = []
            if op == .add, case .string = a { notes.append("to build a string, write \"...{x}...\" or str(x)") }
            if op == .add, case .string = b { notes.append("to build a string, write \"...{x}...\" or str(x)") }
            if op == .matmul { notes.append("'@' multiplies tensors; make one with tensor(...)") }
            throw LTError("cannot apply '\(op.rawValue)' to \(a.typeName) and \(b.typeName)", kind: .type, notes: notes)
        }
    }

    @inline(__always)
    static func numeric(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Value {
        switch op {
        case .add: return .number(x + y)
        case .subtract: return .number(x - y)
        case .multiply: return .number(x * y)
        case .divide: return .number(x / y)
        case .modulo: return .number(floorModulo(x, y))
        case .power: return .number(power(x, y))
        case .matmul: return .number(x * y)
        case .equal: return .bool(x == y)
        case .notEqual: return .bool(x != y)
        case .less: return .bool(x < y)
        case .lessEqual: return .bool(x <= y)
        case .greater: return .bool(x > y)
        case .greaterEqual: return .bool(x >= y)
        }
    }

    /// Floored modulo: the result has the sign of the divisor; nan for a zero divisor or
    /// an infinite dividend. One definition for ordinary code and the number tier.
    @inline(__always)
    static func floorModulo(_ x: Double, _ y: Double) -> Double {
        if y == 0 || !x.isFinite { return .nan }
        return x - y * (x / y).rounded(.down)
    }

    @inline(__always)
    static func power(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }

    static func negate(_ v: Value) throws -> Value {
        if case .number(let n) = v { return .number(-n) }
        if case .object(let o) = v, let r = try o.negate() { return r }
        throw LTError("cannot negate \(v.typeName)", kind: .type)
    }

    /// Structural equality for lists and records, identity for functions and objects.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        var walk = EqualityWalk()
        return walk.equal(a, b)
    }
}

/// One structural comparison. It remembers the pairs of containers already found equal, so
/// comparing two separately built but heavily shared structures (`l = [l, l]` thirty times)
/// is linear in the number of distinct containers rather than exponential in the depth.
private struct EqualityWalk {
    private struct Pair: Hashable {
        let left: ObjectIdentifier
        let right: ObjectIdentifier
    }

    private var depth = 0
    private var provenEqual: Set<Pair> = []

    mutating func equal(_ a: Value, _ b: Value) -> Bool {
        depth += 1
        defer { depth -= 1 }
        if depth > Value.maxDisplayDepth { return false }
        switch (a, b) {
        case (.nil, .nil): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)):
            if x === y { return true }
            guard x.items.count == y.items.count else { return false }
            let pair = Pair(left: ObjectIdentifier(x), right: ObjectIdentifier(y))
            if provenEqual.contains(pair) { return true }
            for (p, q) in zip(x.items, y.items) where !equal(p, q) { return false }
            if depth > 1 { provenEqual.insert(pair) }  // the outermost pair is never asked again
            return true
        case (.record(let x), .record(let y)):
            if x === y { return true }
            guard x.count == y.count else { return false }
            let pair = Pair(left: ObjectIdentifier(x), right: ObjectIdentifier(y))
            if provenEqual.contains(pair) { return true }
            for (k, v) in x.fields {
                guard let w = y[k], equal(v, w) else { return false }
            }
            if depth > 1 { provenEqual.insert(pair) }  // the outermost pair is never asked again
            return true
        case (.function(let x), .function(let y)):
            if x === y { return true }
            if let bx = x.builtin, let by = y.builtin { return bx === by }
            return false
        case (.object(let x), .object(let y)): return x === y
        default: return false
        }
    }
}

extension ObjectOperator {
    init(_ op: BinaryOperator) {
        switch op {
        case .add: self = .add
        case .subtract: self = .subtract
        case .multiply: self = .multiply
        case .divide: self = .divide
        case .modulo: self = .modulo
        case .power: self = .power
        case .matmul: self = .matmul
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .less: self = .less
        case .lessEqual: self = .lessEqual
        case .greater: self = .greater
        case .greaterEqual: self = .greaterEqual
        }
    }
}

/// Structural equality, as `==` gives it for non-tensor values.
public func valuesEqual(_ a: Value, _ b: Value) -> Bool { Operators.equal(a, b) }
