/// A function value prepared by `Interpreter.callee(_:)` for repeated calls from a
/// built-in (map, filter, reduce, sort keys): a user function taking exactly the given
/// arguments is entered directly, with no argument array.
public struct Callee {
    let interpreter: Interpreter
    let function: Function
    /// `function.code`, read once here rather than through `function` on every call.
    let code: FunctionCode?
    /// The number tier of a function of one (two) parameters, borrowed on each call:
    /// bound as an ordinary or `unowned(unsafe)` reference, it and `code` were retained
    /// and released around every entry, over half of map/filter/reduce's time.
    /// `function` keeps it alive.
    let unaryNumber: Unmanaged<NumberCode>?
    let binaryNumber: Unmanaged<NumberCode>?

    init(interpreter: Interpreter, function: Function) {
        self.interpreter = interpreter
        self.function = function
        self.code = function.code
        let number = function.code?.number.map { Unmanaged.passUnretained($0) }
        self.unaryNumber = function.code?.parameterCount == 1 ? number : nil
        self.binaryNumber = function.code?.parameterCount == 2 ? number : nil
    }

    /// Calls it with one argument.
    public func callAsFunction(_ a: Value) throws -> Value {
        if let unaryNumber, case .number(let x) = a,
           let v = unaryNumber._withUnsafeGuaranteedRef({ $0.flag.enabled ? interpreter.enterNumberTier($0, x) : nil }) { return v }
        if let code, code.parameterCount == 1 {
            var frame = function.makeFrame(code)
            frame[0] = a
            let result = try interpreter.enter(code, frame, site: nil)
            function.recycle(&frame)
            return result
        }
        return try interpreter.invoke(function, positional: [a], keywords: [], site: nil)
    }

    /// Calls it with two arguments.
    public func callAsFunction(_ a: Value, _ b: Value) throws -> Value {
        if let binaryNumber, case .number(let x) = a, case .number(let y) = b,
           let v = binaryNumber._withUnsafeGuaranteedRef({ $0.flag.enabled ? interpreter.enterNumberTier($0, x, y) : nil }) { return v }
        if let code, code.parameterCount == 2 {
            var frame = function.makeFrame(code)
            frame[0] = a
            frame[1] = b
            let result = try interpreter.enter(code, frame, site: nil)
            function.recycle(&frame)
            return result
        }
        return try interpreter.invoke(function, positional: [a, b], keywords: [], site: nil)
    }

    /// Calls it with any arguments.
    public func callAsFunction(_ arguments: [Value]) throws -> Value {
        try interpreter.call(.function(function), arguments)
    }
}
