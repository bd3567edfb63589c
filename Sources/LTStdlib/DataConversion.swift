import LTLang

/// A library object that can be read as numbers (tensors), so plots, tables and metrics
/// take lists and tensors alike.
public protocol NumericConvertible: LTObject {
    /// Shape of the data, e.g. [n] or [rows, cols].
    var numericShape: [Int] { get }
    /// Elements in row-major order.
    func numericValues() throws -> [Double]
}

extension Arguments {
    /// A 1-D list of numbers from a list or a 1-D tensor.
    public func numbers(_ name: String) throws -> [Double] {
        try Conversion.numbers(required(name)) { self.typeError(name, "a list of numbers or a 1-D tensor", $0) }
    }

    /// Rows of numbers from a list of lists or a 2-D tensor; a flat list is one row.
    public func rows(_ name: String) throws -> [[Double]] {
        try Conversion.rows(required(name)) { self.typeError(name, "a list of numbers, a list of lists, or a tensor", $0) }
    }

    /// A list of strings; numbers are written as text.
    public func strings(_ name: String) throws -> [String] {
        let v = try required(name)
        guard case .list(let l) = v else {
            if case .object(let o) = v, let n = o as? NumericConvertible { return try n.numericValues().map(formatNumber) }
            throw typeError(name, "a list of strings", v)
        }
        return try l.items.map { item in
            switch item {
            case .string(let s): return s
            case .number(let n): return formatNumber(n)
            default: throw typeError(name, "a list of strings", item)
            }
        }
    }
}

enum Conversion {
    static func numbers(_ v: Value, _ fail: (Value) -> LTError) throws -> [Double] {
        switch v {
        case .list(let l):
            return try l.items.map { item in
                if case .number(let n) = item { return n }
                if case .nil = item { return .nan }
                throw fail(v)
            }
        case .object(let o):
            if let n = o as? NumericConvertible, n.numericShape.count <= 1 { return try n.numericValues() }
            throw fail(v)
        case .number(let n):
            return [n]
        default:
            throw fail(v)
        }
    }

    static func rows(_ v: Value, _ fail: (Value) -> LTError) throws -> [[Double]] {
        switch v {
        case .list(let l):
            if l.items.allSatisfy({ if case .list = $0 { return true }; if case .object = $0 { return true }; return false }), !l.items.isEmpty {
                return try l.items.map { try numbers($0, fail) }
            }
            return [try numbers(v, fail)]
        case .object(let o):
            guard let n = o as? NumericConvertible else { throw fail(v) }
            let shape = n.numericShape
            let values = try n.numericValues()
            if shape.count <= 1 { return [values] }
            guard shape.count == 2 else { throw fail(v) }
            let cols = shape[1]
            return (0..<shape[0]).map { r in Array(values[(r * cols)..<((r + 1) * cols)]) }
        default:
            throw fail(v)
        }
    }
}
