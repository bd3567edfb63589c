/// Calling functions: binding arguments to parameters, entering frames, turning a
/// built-in's error into a diagnostic that points at the right argument.

/// Where a call happens, so errors can point at the call or at one argument.
///
/// A class: every call passes its site along, and a struct holding a file and an array
/// cost two retains and two releases per built-in call (a tenth of `floor(x)`).
final class CallSite {
    let file: SourceFile
    let range: SourceRange
    /// Ranges of the arguments in call order (a member-call receiver first).
    let argumentRanges: [SourceRange]
    let calleeRange: SourceRange

    init(file: SourceFile, range: SourceRange, argumentRanges: [SourceRange], calleeRange: SourceRange) {
        self.file = file
        self.range = range
        self.argumentRanges = argumentRanges
        self.calleeRange = calleeRange
    }
}

/// A call site's spare list of bound argument values (`callBuiltinInOrder`).
final class ArgumentBuffer {
    @exclusivity(unchecked) var values: [Value?] = []
}

extension Interpreter {
    func invoke(_ f: Function, positional: [Value], keywords: [(String, Value)], site: CallSite?) throws(Unwind) -> Value {
        if let code = f.code {
            var frame = try bindUser(code, captured: f.captured, positional: positional, keywords: keywords, site: site)
            let result = try enter(code, frame, site: site)
            if !isKnownUniquelyReferenced(&frame) { _ = Function.releaseClosures(in: &frame) }
            return result
        }
        guard let builtin = f.builtin else { return .nil }
        var args = try bindBuiltin(builtin, positional: positional, keywords: keywords, site: site)
        return try run(builtin, &args, site: site)
    }

    /// A built-in's implementation on bound arguments, its error located at `site`.
    @inline(__always) private func run(_ b: Builtin, _ args: inout Arguments, site: CallSite?) throws(Unwind) -> Value {
        do {
            return try b.impl(&args)
        } catch {
            throw convert(error, site: site)
        }
    }

    /// Runs a user function's body in `frame`, keeping the depth limit and the call stack.
    @inline(__always)
    func enter(_ code: FunctionCode, _ frame: Frame, site: CallSite?) throws(Unwind) -> Value {
        let state = callState
        state.pointee.depth += 1
        defer { state.pointee.depth -= 1 }
        if state.pointee.depth > state.pointee.limit || interruptRequested.load(ordering: .relaxed) {
            if state.pointee.depth <= state.pointee.limit {
                throw Unwind.error(RuntimeError(Diagnostic(.interrupt, "interrupted", file: site?.file, range: site?.range)))
            }
            throw Unwind.error(RuntimeError(Diagnostic(.limit, "recursion too deep (more than \(maxCallDepth) nested calls)",
                                                       file: site?.file, range: site?.range)))
        }
        do {
            return try code.body(frame)
        } catch {
            switch error {
            case .returning(let v):
                return v
            case .error(let e):
                e.diagnostic.appendStack(function: code.name ?? "<lambda>", file: code.file, range: code.range)
                throw error
            case .breaking, .continuing:
                throw error
            }
        }
    }

    func bindUser(_ code: FunctionCode, captured: Frame?, positional: [Value], keywords: [(String, Value)],
                  site: CallSite?) throws(Unwind) -> Frame {
        let frame = Frame.make(parent: captured, count: code.slotCount)
        let n = code.parameterNames.count
        if positional.count > n {
            throw failure(.type, "\(code.callName) takes \(n) argument\(n == 1 ? "" : "s"), got \(positional.count + keywords.count)",
                          site: site, argument: n)
        }
        for i in positional.indices { frame[i] = positional[i] }
        if positional.count == n && keywords.isEmpty { return frame }
        var given = [Bool](repeating: false, count: n)
        for i in positional.indices { given[i] = true }
        for (k, (label, v)) in keywords.enumerated() {
            guard let i = code.parameterNames.firstIndex(of: label) else {
                throw unknownKeyword(label, function: code.name ?? "<lambda>", accepted: code.parameterNames,
                                     site: site, argument: positional.count + k)
            }
            if given[i] {
                throw failure(.type, "argument '\(label)' given twice", site: site, argument: positional.count + k)
            }
            frame[i] = v
            given[i] = true
        }
        for i in 0..<n where !given[i] {
            guard let d = code.defaults[i] else {
                throw failure(.type, "missing argument '\(code.parameterNames[i])' to \(code.callName)", site: site, argument: nil)
            }
            frame[i] = try d.run(frame)
        }
        return frame
    }

    func bindBuiltin(_ b: Builtin, positional: [Value], keywords: [(String, Value)], site: CallSite?) throws(Unwind) -> Arguments {
        let count = b.parameters.count
        // Built element by element: `Array(repeating:count:)` of `Value?` ran an unspecialised
        // buffer initialiser that looked the storage type up in the runtime's metadata
        // cache on every call (a fifth of a loop calling `floor`).
        var values: [Value?] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(nil) }
        var origins: [Int?]?
        var rest: [Value] = []
        var restOrigins: [Int] = []
        let positionalSlots = b.positionalSlots
        let variadic = b.variadic
        var next = 0
        for (i, v) in positional.enumerated() {
            // Parameters before the variadic one take the first values; it takes the rest.
            if next < positionalSlots.count, variadic.map({ positionalSlots[next] < $0 }) ?? true {
                values[positionalSlots[next]] = v
                next += 1
            } else if variadic != nil {
                rest.append(v)
                restOrigins.append(i)
            } else {
                let most = positionalSlots.count
                throw failure(.type, "'\(b.name)' takes at most \(most) positional argument\(most == 1 ? "" : "s"), got \(positional.count)",
                              site: site, argument: i)
            }
        }
        if !keywords.isEmpty {
            var explicit = [Int?](repeating: nil, count: count)
            for (k, slot) in positionalSlots.prefix(next).enumerated() { explicit[slot] = k }
            for (k, (label, v)) in keywords.enumerated() {
                guard let i = b.parameters.firstIndex(where: { $0.name == label && $0.requirement != .variadic }) else {
                    throw unknownKeyword(label, function: b.name, accepted: b.parameters.filter { $0.requirement != .variadic }.map(\.name),
                                         site: site, argument: positional.count + k)
                }
                if values[i] != nil {
                    throw failure(.type, "argument '\(label)' to '\(b.name)' given twice", site: site, argument: positional.count + k)
                }
                values[i] = v
                explicit[i] = positional.count + k
            }
            origins = explicit
        }
        return try boundArguments(b, values, origins: origins, rest: rest, restOrigins: restOrigins, site: site)
    }

    /// `Arguments` for values already in their parameters' places, once every required
    /// parameter has one.
    private func boundArguments(_ b: Builtin, _ values: [Value?], origins: [Int?]?, rest: [Value], restOrigins: [Int],
                                site: CallSite?) throws(Unwind) -> Arguments {
        for (i, p) in b.parameters.enumerated() where p.requirement == .required && values[i] == nil {
            throw failure(.type, "missing argument '\(p.name)' to '\(b.name)'; expected \(b.signature)", site: site, argument: nil)
        }
        return Arguments(builtin: b, values: values, rest: rest, origins: origins, restOrigins: restOrigins, interpreter: self)
    }

    /// A built-in called with `count` positional arguments that fill its first parameters
    /// in order (the usual `floor(x)`): the bound values are built directly from
    /// `argument(i)`, with no list of them in between. nil, before any argument is
    /// evaluated, for any other shape (`invoke` then binds it in full).
    ///
    /// The list of bound values is the site's `buffer`, taken for the call and given
    /// back emptied (its capacity kept): no allocation per call. A call that re-enters
    /// the same site (`map` calling back into code that calls `map` there) finds the
    /// buffer taken and makes its own list.
    func callBuiltinInOrder(_ b: Builtin, count: Int, site: CallSite?, buffer: ArgumentBuffer,
                            _ argument: (Int) throws(Unwind) -> Value) throws(Unwind) -> Value? {
        guard b.takesInOrder(count) else { return nil }
        var values: [Value?] = []
        swap(&values, &buffer.values)
        values.reserveCapacity(b.parameters.count)
        for i in 0..<count { values.append(try argument(i)) }
        return try callBuiltin(b, site: site, buffer: buffer, values: &values, given: count)
    }

    /// `callBuiltinInOrder` for one argument already evaluated (the caller checked
    /// `takesInOrder(1)`).
    @inline(__always)
    func callBuiltin(_ b: Builtin, site: CallSite?, buffer: ArgumentBuffer, _ first: Value) throws(Unwind) -> Value {
        if case .number(let x) = first, let f = b.onNumber { return .number(f(x)) }
        return try callBuiltinBinding(b, site: site, buffer: buffer, first)
    }

    /// `callBuiltin` with one argument through the bound-argument list.
    func callBuiltinBinding(_ b: Builtin, site: CallSite?, buffer: ArgumentBuffer, _ first: Value) throws(Unwind) -> Value {
        var values: [Value?] = []
        swap(&values, &buffer.values)
        values.reserveCapacity(b.parameters.count)
        values.append(first)
        return try callBuiltin(b, site: site, buffer: buffer, values: &values, given: 1)
    }

    /// Pads `values` (the first `given` parameters) with nils, runs `b`, and gives the
    /// emptied list back to `buffer`.
    @inline(__always)
    private func callBuiltin(_ b: Builtin, site: CallSite?, buffer: ArgumentBuffer, values: inout [Value?], given: Int) throws(Unwind) -> Value {
        for _ in given..<b.parameters.count { values.append(nil) }
        var bound: [Value?] = []
        swap(&bound, &values)
        var args = try boundArguments(b, consume bound, origins: nil, rest: [], restOrigins: [], site: site)
        let result = try run(b, &args, site: site)
        args.values.removeAll(keepingCapacity: true)
        swap(&buffer.values, &args.values)
        return result
    }

    func unknownKeyword(_ label: String, function: String, accepted: [String], site: CallSite?, argument: Int) -> Unwind {
        var message = "unknown keyword argument '\(label)' to '\(function)'"
        if let guess = nearest(label, in: accepted) { message += "; did you mean '\(guess)'?" }
        let notes = accepted.isEmpty ? ["'\(function)' takes no keyword arguments"] : ["accepted: \(accepted.joined(separator: ", "))"]
        var d = Diagnostic(.type, message, file: site?.file, range: argumentRange(site, argument), notes: notes)
        if site == nil { d.file = nil }
        return .error(RuntimeError(d))
    }

    func failure(_ kind: Diagnostic.Kind, _ message: String, site: CallSite?, argument: Int?) -> Unwind {
        .error(RuntimeError(Diagnostic(kind, message, file: site?.file, range: argumentRange(site, argument))))
    }

    private func argumentRange(_ site: CallSite?, _ argument: Int?) -> SourceRange? {
        guard let site else { return nil }
        if let argument, argument < site.argumentRanges.count { return site.argumentRanges[argument] }
        return site.range
    }

    /// Turns whatever a built-in threw into an `Unwind` located at the call.
    func convert(_ error: any Error, site: CallSite?) -> Unwind {
        if let unwind = error as? Unwind {
            // An error from a nested call without a location takes this call's.
            if case .error(let e) = unwind, e.diagnostic.file == nil, let site {
                e.diagnostic.file = site.file
                e.diagnostic.range = site.range
            }
            return unwind
        }
        if let lt = error as? LTError {
            var argument: Int?
            if case .position(let i) = lt.argument { argument = i }
            return .error(RuntimeError(Diagnostic(lt.kind, lt.message, file: site?.file,
                                                  range: argumentRange(site, argument), notes: lt.notes)))
        }
        if var d = error as? Diagnostic {
            if d.file == nil, let site { d.file = site.file; d.range = site.range }
            return .error(RuntimeError(d))
        }
        return .error(RuntimeError(Diagnostic(.value, "\(error)", file: site?.file, range: site?.range)))
    }
}

extension Diagnostic {
    /// Stack entries beyond this many are counted, not listed.
    static let maxStackEntries = 20

    mutating func appendStack(function: String, file: SourceFile, range: SourceRange) {
        if let last = callStack.last, omittedStackEntries == 0, last.function == function, last.file == file.name,
           range.start == last.offset {
            callStack[callStack.count - 1].repeats += 1
        } else if callStack.count < Diagnostic.maxStackEntries {
            var entry = StackEntry(function: function, file: file.name, location: file.location(of: range.start))
            entry.offset = range.start
            callStack.append(entry)
        } else {
            omittedStackEntries += 1
        }
    }
}
