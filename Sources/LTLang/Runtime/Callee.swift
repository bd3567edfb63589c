/// A function value prepared by `Interpreter.callee(_:)` for repeated calls from a
/// built-in (map, filter, reduce, sort keys): a user function taking exactly the given
/// arguments is entered directly, with no argument array.
public struct Callee {
    unowned(unsafe) let interpreter: Interpreter
    let function: Function
    /// `function.code`, not retained: `function` holds it for as long as this exists, and
    /// a retain and release of it on every call of a map was a tenth of map/filter/reduce.
    unowned(unsafe) let code: FunctionCode?

    init(interpreter: Interpreter, function: Function) {
        self.interpreter = interpreter
        self.function = function
        self.code = function.code
    }

    /// Calls it with one argument.
    public func callAsFunction(_ a: Value) throws -> Value {
        if let code, code.parameterCount == 1 {
            if let number = code.number, number.flag.enabled, case .number(let x) = a,
               let v = interpreter.enterNumberTier(number, x) { return v }
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
        if let code, code.parameterCount == 2 {
            if let number = code.number, number.flag.enabled, case .number(let x) = a, case .number(let y) = b,
               let v = interpreter.enterNumberTier(number, x, y) { return v }
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
