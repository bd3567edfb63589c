/// Fast paths for arithmetic and comparison on numbers, the interpreter's hottest code.
///
/// An operand that is a local slot, a global slot or a number literal is read in place
/// rather than through a closure call, and each operator is a type, so the generic
/// builders below are specialised (in optimised builds) per operator and operand kind
/// with the arithmetic inlined. Anything that is not number-number falls back to
/// `Operators.binary` through `general`.

/// How an operand of a binary operator is read.
enum Operand {
    case constant(Double)
    case local(Int)
    /// A global slot; `load` is the ordinary read, which reports an undefined name.
    case global(UnsafeMutablePointer<Value>, Int, load: Code)
    case code(Code)
}

protocol OperandReader {
    func read(_ f: Frame) throws(Unwind) -> Value
}

struct ConstantReader: OperandReader {
    let value: Value
    @inline(__always) func read(_ f: Frame) throws(Unwind) -> Value { value }
}

struct LocalReader: OperandReader {
    let slot: Int
    @inline(__always) func read(_ f: Frame) throws(Unwind) -> Value { f[slot] }
}

struct GlobalReader: OperandReader {
    let values: UnsafeMutablePointer<Value>
    let slot: Int
    let load: Code
    @inline(__always) func read(_ f: Frame) throws(Unwind) -> Value {
        let v = values[slot]
        if case .number = v { return v }
        return try load(f)
    }
}

struct CodeReader: OperandReader {
    let code: Code
    @inline(__always) func read(_ f: Frame) throws(Unwind) -> Value { try code(f) }
}

/// A binary operator on two numbers.
protocol NumberOperation {
    static func apply(_ x: Double, _ y: Double) -> Value
}

/// A comparison of two numbers.
protocol NumberComparison: NumberOperation {
    static func test(_ x: Double, _ y: Double) -> Bool
    /// For `==` (true) and `!=` (false): two strings compare here too, as `Operators.equal`
    /// does (`c.group == p` in a loop over records); nil for orderings.
    static var stringsEqual: Bool? { get }
}

extension NumberComparison {
    @inline(__always) static func apply(_ x: Double, _ y: Double) -> Value { .bool(test(x, y)) }
    static var stringsEqual: Bool? { nil }
}

/// An arithmetic operator on two numbers giving a number (the number tier's form).
protocol DoubleOperation: NumberOperation {
    static func compute(_ x: Double, _ y: Double) -> Double
}

extension DoubleOperation {
    @inline(__always) static func apply(_ x: Double, _ y: Double) -> Value { .number(compute(x, y)) }
}

enum AddNumbers: DoubleOperation { @inline(__always) static func compute(_ x: Double, _ y: Double) -> Double { x + y } }
enum SubtractNumbers: DoubleOperation { @inline(__always) static func compute(_ x: Double, _ y: Double) -> Double { x - y } }
enum MultiplyNumbers: DoubleOperation { @inline(__always) static func compute(_ x: Double, _ y: Double) -> Double { x * y } }
enum DivideNumbers: DoubleOperation { @inline(__always) static func compute(_ x: Double, _ y: Double) -> Double { x / y } }
enum ModuloNumbers: DoubleOperation { @inline(__always) static func compute(_ x: Double, _ y: Double) -> Double { Operators.floorModulo(x, y) } }
enum PowerNumbers: DoubleOperation { @inline(__always) static func compute(_ x: Double, _ y: Double) -> Double { Operators.power(x, y) } }
enum LessNumbers: NumberComparison { @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x < y } }
enum LessEqualNumbers: NumberComparison { @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x <= y } }
enum GreaterNumbers: NumberComparison { @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x > y } }
enum GreaterEqualNumbers: NumberComparison { @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x >= y } }
enum EqualNumbers: NumberComparison {
    @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x == y }
    static var stringsEqual: Bool? { true }
}
enum NotEqualNumbers: NumberComparison {
    @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x != y }
    static var stringsEqual: Bool? { false }
}

/// The non-number case of an operator: `Operators.binary`, errors located.
typealias GeneralOperation = (Value, Value) throws(Unwind) -> Value

extension Compiler {
    /// Classifies an operand so the builders can read it in place.
    func operand(_ e: Expr) throws(Diagnostic) -> Operand {
        switch e.kind {
        case .number(let n):
            return .constant(n)
        case .name(let name):
            let r = try resolveRead(name, e.range)
            switch r {
            case .local(0, let slot): return .local(slot)
            case .global(let slot): return .global(globals.values, slot, load: load(r, name: name, range: e.range))
            default: return .code(load(r, name: name, range: e.range))
            }
        default:
            return .code(try compileExpression(e))
        }
    }

    /// Code for `l op r`, or nil when `op` has no number fast path (`@`, `^`).
    func numberOperation(_ op: BinaryOperator, _ l: Operand, _ r: Operand, general: @escaping GeneralOperation) -> Code? {
        switch op {
        case .add: return Compiler.build(AddNumbers.self, l, r, general)
        case .subtract: return Compiler.build(SubtractNumbers.self, l, r, general)
        case .multiply: return Compiler.build(MultiplyNumbers.self, l, r, general)
        case .divide: return Compiler.build(DivideNumbers.self, l, r, general)
        case .modulo: return Compiler.build(ModuloNumbers.self, l, r, general)
        case .less: return Compiler.build(LessNumbers.self, l, r, general)
        case .lessEqual: return Compiler.build(LessEqualNumbers.self, l, r, general)
        case .greater: return Compiler.build(GreaterNumbers.self, l, r, general)
        case .greaterEqual: return Compiler.build(GreaterEqualNumbers.self, l, r, general)
        case .equal: return Compiler.build(EqualNumbers.self, l, r, general)
        case .notEqual: return Compiler.build(NotEqualNumbers.self, l, r, general)
        case .matmul, .power: return nil
        }
    }

    /// A condition `l op r` for a comparison `op`, giving a Bool without boxing it.
    func numberCondition(_ op: BinaryOperator, _ l: Operand, _ r: Operand, general: @escaping GeneralOperation,
                         truth: @escaping (Value) throws(Unwind) -> Bool) -> ((Frame) throws(Unwind) -> Bool)? {
        switch op {
        case .less: return Compiler.condition(LessNumbers.self, l, r, general, truth)
        case .lessEqual: return Compiler.condition(LessEqualNumbers.self, l, r, general, truth)
        case .greater: return Compiler.condition(GreaterNumbers.self, l, r, general, truth)
        case .greaterEqual: return Compiler.condition(GreaterEqualNumbers.self, l, r, general, truth)
        case .equal: return Compiler.condition(EqualNumbers.self, l, r, general, truth)
        case .notEqual: return Compiler.condition(NotEqualNumbers.self, l, r, general, truth)
        default: return nil
        }
    }

    // MARK: - Specialisation by operand kind

    private static func build<Op: NumberOperation>(_ op: Op.Type, _ l: Operand, _ r: Operand,
                                                   _ general: @escaping GeneralOperation) -> Code {
        switch l {
        case .constant(let c): return build(op, ConstantReader(value: .number(c)), r, general)
        case .local(let s): return build(op, LocalReader(slot: s), r, general)
        case .global(let values, let s, let load): return build(op, GlobalReader(values: values, slot: s, load: load), r, general)
        case .code(let c): return build(op, CodeReader(code: c), r, general)
        }
    }

    private static func build<Op: NumberOperation, L: OperandReader>(_ op: Op.Type, _ l: L, _ r: Operand,
                                                                     _ general: @escaping GeneralOperation) -> Code {
        switch r {
        case .constant(let c): return arithmetic(op, l, ConstantReader(value: .number(c)), general)
        case .local(let s): return arithmetic(op, l, LocalReader(slot: s), general)
        case .global(let values, let s, let load): return arithmetic(op, l, GlobalReader(values: values, slot: s, load: load), general)
        case .code(let c): return arithmetic(op, l, CodeReader(code: c), general)
        }
    }

    private static func arithmetic<Op: NumberOperation, L: OperandReader, R: OperandReader>(
        _ op: Op.Type, _ l: L, _ r: R, _ general: @escaping GeneralOperation
    ) -> Code {
        return { f throws(Unwind) in
            let a = try l.read(f), b = try r.read(f)
            if case .number(let x) = a, case .number(let y) = b { return Op.apply(x, y) }
            return try general(a, b)
        }
    }

    private static func condition<Op: NumberComparison>(_ op: Op.Type, _ l: Operand, _ r: Operand, _ general: @escaping GeneralOperation,
                                                        _ truth: @escaping (Value) throws(Unwind) -> Bool) -> (Frame) throws(Unwind) -> Bool {
        switch l {
        case .constant(let c): return condition(op, ConstantReader(value: .number(c)), r, general, truth)
        case .local(let s): return condition(op, LocalReader(slot: s), r, general, truth)
        case .global(let values, let s, let load): return condition(op, GlobalReader(values: values, slot: s, load: load), r, general, truth)
        case .code(let c): return condition(op, CodeReader(code: c), r, general, truth)
        }
    }

    private static func condition<Op: NumberComparison, L: OperandReader>(
        _ op: Op.Type, _ l: L, _ r: Operand, _ general: @escaping GeneralOperation, _ truth: @escaping (Value) throws(Unwind) -> Bool
    ) -> (Frame) throws(Unwind) -> Bool {
        switch r {
        case .constant(let c): return comparison(op, l, ConstantReader(value: .number(c)), general, truth)
        case .local(let s): return comparison(op, l, LocalReader(slot: s), general, truth)
        case .global(let values, let s, let load): return comparison(op, l, GlobalReader(values: values, slot: s, load: load), general, truth)
        case .code(let c): return comparison(op, l, CodeReader(code: c), general, truth)
        }
    }

    private static func comparison<Op: NumberComparison, L: OperandReader, R: OperandReader>(
        _ op: Op.Type, _ l: L, _ r: R, _ general: @escaping GeneralOperation, _ truth: @escaping (Value) throws(Unwind) -> Bool
    ) -> (Frame) throws(Unwind) -> Bool {
        return { f throws(Unwind) in
            let a = try l.read(f), b = try r.read(f)
            if case .number(let x) = a, case .number(let y) = b { return Op.test(x, y) }
            if let equal = Op.stringsEqual, case .string(let x) = a, case .string(let y) = b {
                let result = (x == y) == equal
                discard(a); discard(b)  // each case its own release: no out-of-line destroy
                return result
            }
            return try truth(try general(a, b))
        }
    }

    // MARK: - Compound assignment to a name

    /// `x op= value` for a local slot of this frame or a global, read and written in place.
    func compoundAssignment(_ op: BinaryOperator, _ target: Resolution, _ load: @escaping Code, _ value: Operand,
                            general: @escaping GeneralOperation) -> Code? {
        switch op {
        case .add: return compound(AddNumbers.self, target, load, value, general)
        case .subtract: return compound(SubtractNumbers.self, target, load, value, general)
        case .multiply: return compound(MultiplyNumbers.self, target, load, value, general)
        case .divide: return compound(DivideNumbers.self, target, load, value, general)
        default: return nil
        }
    }

    private func compound<Op: NumberOperation>(_ op: Op.Type, _ target: Resolution, _ load: @escaping Code, _ value: Operand,
                                               _ general: @escaping GeneralOperation) -> Code? {
        switch value {
        case .constant(let c): return compound(op, target, load, ConstantReader(value: .number(c)), general)
        case .local(let s): return compound(op, target, load, LocalReader(slot: s), general)
        case .global(let values, let s, let l): return compound(op, target, load, GlobalReader(values: values, slot: s, load: l), general)
        case .code(let c): return compound(op, target, load, CodeReader(code: c), general)
        }
    }

    private func compound<Op: NumberOperation, R: OperandReader>(_ op: Op.Type, _ target: Resolution, _ load: @escaping Code,
                                                                  _ r: R, _ general: @escaping GeneralOperation) -> Code? {
        switch target {
        case .local(0, let slot):
            return { f throws(Unwind) in
                // The number read in place first: no copy of the enum on the hot path.
                if let x = f.number(at: slot) {
                    let b = try r.read(f)
                    if case .number(let y) = b { f[slot] = Op.apply(x, y) } else { f[slot] = try general(.number(x), b) }
                    return .nil
                }
                let a = f[slot]  // not a number: the general operation (or its error)
                f[slot] = try general(a, try r.read(f))
                return .nil
            }
        case .global(let slot):
            let values = globals.values
            return { f throws(Unwind) in
                var a = values[slot]
                if case .number = a {} else { a = try load(f) }  // reports an undefined name
                let b = try r.read(f)
                if case .number(let x) = a, case .number(let y) = b { values[slot] = Op.apply(x, y) } else { values[slot] = try general(a, b) }
                return .nil
            }
        default:
            return nil
        }
    }
}
