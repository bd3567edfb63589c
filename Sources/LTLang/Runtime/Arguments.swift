/// The arguments of one built-in call, bound to its declared parameters, with checked
/// accessors whose errors name the function, the argument, what was expected and what
/// came: "argument 'k' to 'topk' must be a whole number, got 2.5".
public struct Arguments {
    /// The built-in being called. Its name, parameters and positional layout are read
    /// through it. Not retained: the caller holds it for the call, the only time
    /// arguments exist.
    unowned(unsafe) let builtin: Builtin
    public var function: String { builtin.name }
    var parameters: [BuiltinParameter] { builtin.parameters }
    var values: [Value?]
    /// Values beyond the named positional parameters, for a variadic built-in.
    public internal(set) var rest: [Value]
    /// Index in the call's argument list that supplied each parameter (for carets); nil
    /// for a call with positional arguments only, where the i-th positional parameter came
    /// from argument i (no array to build on the common path).
    var origins: [Int?]?
    /// The built-in's positional parameters, in order (`Builtin.positionalSlots`).
    var positionalSlots: [Int] { builtin.positionalSlots }
    var restOrigins: [Int]
    /// Not retained, as compiled code holds it (`Session`): a call runs inside its
    /// interpreter's `evaluate` or `call`, which keeps it alive.
    private let session: Session
    public var interpreter: Interpreter { session.interpreter }

    init(builtin: Builtin, values: [Value?], rest: [Value], origins: [Int?]?, restOrigins: [Int], interpreter: Interpreter) {
        self.builtin = builtin
        self.values = values
        self.rest = rest
        self.origins = origins
        self.restOrigins = restOrigins
        session = Session(interpreter)
    }

    /// The value given for `name`, or nil when it was omitted (or given as nil).
    public func value(_ name: String) -> Value? {
        guard let i = parameters.firstIndex(where: { $0.name == name }), let v = values[i] else { return nil }
        if case .nil = v { return nil }
        return v
    }

    /// Whether `name` was given at all (even as nil).
    public func has(_ name: String) -> Bool {
        guard let i = parameters.firstIndex(where: { $0.name == name }) else { return false }
        return values[i] != nil
    }

    /// An error pointing at the argument `name` (or the whole call if it was omitted).
    public func error(_ name: String, _ message: String, kind: Diagnostic.Kind = .value, notes: [String] = []) -> LTError {
        let origin = parameters.firstIndex(where: { $0.name == name }).flatMap(origin)
        return LTError(message, kind: kind, argument: origin.map { .position($0) }, notes: notes)
    }

    /// The argument that supplied parameter `p`, if one did.
    private func origin(_ p: Int) -> Int? {
        if let origins { return origins[p] }
        guard values[p] != nil else { return nil }
        return positionalSlots.firstIndex(of: p)
    }

    /// An error pointing at the `i`-th variadic value.
    public func restError(_ i: Int, _ message: String, kind: Diagnostic.Kind = .value) -> LTError {
        LTError(message, kind: kind, argument: i < restOrigins.count ? .position(restOrigins[i]) : nil)
    }

    public func typeError(_ name: String, _ expected: String, _ got: Value) -> LTError {
        error(name, "argument '\(name)' to '\(function)' must be \(expected), got \(describeForError(got))", kind: .type)
    }

    /// `read(name)` when the argument was given (and not nil), else nil:
    /// `try args.given("labels", args.strings)`.
    public func given<T>(_ name: String, _ read: (String) throws -> T) rethrows -> T? {
        value(name) == nil ? nil : try read(name)
    }

    public func required(_ name: String) throws -> Value {
        guard let v = value(name) else {
            throw LTError("missing argument '\(name)' to '\(function)'", kind: .type)
        }
        return v
    }

    public func number(_ name: String) throws -> Double {
        let v = try required(name)
        guard case .number(let n) = v else { throw typeError(name, "a number", v) }
        return n
    }

    public func number(_ name: String, default fallback: Double) throws -> Double {
        guard value(name) != nil else { return fallback }
        return try number(name)
    }

    /// A whole number within `range`.
    public func int(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        let v = try required(name)
        return try Arguments.wholeNumber(v, range: range) { self.typeError(name, $0, v) }
    }

    public func int(_ name: String, default fallback: Int, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard value(name) != nil else { return fallback }
        return try int(name, in: range)
    }

    public func string(_ name: String) throws -> String {
        let v = try required(name)
        guard case .string(let s) = v else { throw typeError(name, "a string", v) }
        return s
    }

    public func string(_ name: String, default fallback: String) throws -> String {
        guard value(name) != nil else { return fallback }
        return try string(name)
    }

    /// A string from a fixed set of choices.
    public func choice(_ name: String, _ choices: [String], default fallback: String) throws -> String {
        let s = try string(name, default: fallback)
        guard choices.contains(s) else {
            let suggestion = nearest(s, in: choices).map { "; did you mean \"\($0)\"?" } ?? ""
            throw error(name, "argument '\(name)' to '\(function)' must be one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(s)\"\(suggestion)")
        }
        return s
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let v = value(name) else { return fallback }
        guard case .bool(let b) = v else { throw typeError(name, "true or false", v) }
        return b
    }

    public func list(_ name: String) throws -> ListBox {
        let v = try required(name)
        guard case .list(let l) = v else { throw typeError(name, "a list", v) }
        return l
    }

    public func record(_ name: String) throws -> RecordBox {
        let v = try required(name)
        guard case .record(let r) = v else { throw typeError(name, "a record", v) }
        return r
    }

    public func function(_ name: String) throws -> Value {
        let v = try required(name)
        guard case .function = v else { throw typeError(name, "a function", v) }
        return v
    }

    /// A library object of type `T`, described as `expected` in errors.
    public func object<T: LTObject>(_ name: String, as type: T.Type, _ expected: String) throws -> T {
        let v = try required(name)
        guard case .object(let o) = v, let t = o as? T else { throw typeError(name, expected, v) }
        return t
    }

    /// Converts a value to a whole number in `range`, or throws `makeError(expected)`.
    public static func wholeNumber(_ v: Value, range: ClosedRange<Int>, makeError: (String) -> LTError) throws -> Int {
        guard case .number(let n) = v else { throw makeError("a whole number") }
        guard n.isFinite, n == n.rounded() else { throw makeError("a whole number") }
        // Int(exactly:) rather than Int(_:): 2^63 passes `n <= Double(Int.max)` but traps.
        guard let i = Int(exactly: n), range.contains(i) else {
            if range.lowerBound == 0 && range.upperBound == Int.max { throw makeError("a whole number >= 0") }
            if range.lowerBound == 1 && range.upperBound == Int.max { throw makeError("a whole number >= 1") }
            throw makeError("a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return i
    }
}

/// `2.5`, `string "abc"`, `list of 3` — how a wrong value is named in a message.
public func describeForError(_ v: Value) -> String {
    switch v {
    case .number(let n): return formatNumber(n)
    case .string(let s): return s.count <= 30 ? quoteString(s) : "a string"
    case .nil: return "nil"
    case .bool(let b): return b ? "true" : "false"
    case .list(let l): return "a list of \(l.items.count)"
    case .record: return "a record"
    case .function: return "a function"
    case .object(let o): return "a \(o.typeName)"
    }
}

/// The candidate closest to `word` by edit distance, if close enough to be a likely typo.
public func nearest(_ word: String, in candidates: [String]) -> String? {
    let w = Array(word.lowercased())
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(w, Array(c.lowercased()))
        guard d <= max(1, min(3, w.count / 3 + 1)) else { continue }
        if let b = best, b.1 <= d { continue }
        best = (c, d)
    }
    return best?.0
}

func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
