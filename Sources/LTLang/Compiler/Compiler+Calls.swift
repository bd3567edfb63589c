/// Calls: the positional fast path into user functions, keyword binding, built-ins, and
/// the member-call sugar `x.f(a)` = `f(x, a)` when `x` has no field `f`.
extension Compiler {
    func compileCall(_ callee: Expr, _ arguments: [Argument], range: SourceRange) throws(Diagnostic) -> Code {
        // CodeBox, not Code: a closure taken back out of an [Code] runs behind two thunks.
        var positional: [CodeBox] = []
        var keywords: [KeywordCode] = []
        for a in arguments {
            let code = CodeBox(try compileExpression(a.value))
            if let label = a.label { keywords.append(KeywordCode(label: label, code: code)) } else { positional.append(code) }
        }
        let file = self.file
        let session = Session(interpreter)
        let argumentRanges = arguments.map(\.range)

        if case .member(let objectExpr, let name, let nameRange) = callee.kind {
            return try compileMemberCall(objectExpr, name, nameRange, positional, keywords, argumentRanges, range: range)
        }

        let calleeCode = try compileExpression(callee)
        // A global callee (built-ins are globals) read in place by the one-argument path.
        let calleeSlot: UnsafeMutablePointer<Value>?
        if case .name(let name) = callee.kind, case .global(let slot)? = elementSource(name) {
            calleeSlot = globals.values + slot
        } else {
            calleeSlot = nil
        }
        let borrow = BorrowedPayload.layoutHolds
        let site = CallSite(file: file, range: range, argumentRanges: argumentRanges, calleeRange: callee.range)
        let calleeRange = callee.range
        let count = positional.count
        if keywords.isEmpty {
            let boxes = positional
            let buffer = ArgumentBuffer()
            @inline(__always) func function(_ f: Frame) throws(Unwind) -> Function {
                let target = try calleeCode(f)
                guard case .function(let fn) = target else {
                    throw fail(.type, "\(describeForError(target)) is not a function", file, calleeRange)
                }
                return fn
            }
            // A built-in, or a user function whose parameters need binding (defaults).
            @inline(__always) func bind(_ fn: Function, _ f: Frame) throws(Unwind) -> Value {
                if let b = fn.builtin,
                   let v = try session.interpreter.callBuiltinInOrder(b, count: count, site: site, buffer: buffer, { i throws(Unwind) in try boxes[i].run(f) }) {
                    return v
                }
                var values: [Value] = []
                values.reserveCapacity(count)
                for p in boxes { values.append(try p.run(f)) }
                return try session.interpreter.invoke(fn, positional: values, keywords: [], site: site)
            }
            // Fast paths: a user function called with exactly its parameters, by arity.
            switch count {
            case 0:
                return { f throws(Unwind) in
                    let fn = try function(f)
                    guard let code = fn.code, code.parameterCount == 0 else { return try bind(fn, f) }
                    var frame = fn.makeFrame(code)
                    let result = try session.interpreter.enter(code, frame, site: site)
                    fn.recycle(&frame)
                    return result
                }
            case 1:
                let a0 = positional[0].run
                return { f throws(Unwind) in
                    // The usual `floor(x)` of a registered built-in: nothing retained, and
                    // for a number argument the built-in's C function called directly.
                    if let call = calleeSlot?.unaryBuiltinCall(borrow: borrow) {
                        let a = try a0(f)
                        if let shortcut = call.onNumber, case .number(let x) = a { return .number(shortcut(x)) }
                        return try session.interpreter.callBuiltinBinding(call.builtin.takeUnretainedValue(), site: site, buffer: buffer, a)
                    }
                    let fn = try function(f)
                    guard let code = fn.code, code.parameterCount == 1 else {
                        // A built-in made outside the registry, or one read from a local:
                        // the argument's value straight into the bound list.
                        if let b = fn.builtin, b.takesInOrder(1) {
                            return try session.interpreter.callBuiltin(b, site: site, buffer: buffer, try a0(f))
                        }
                        return try bind(fn, f)
                    }
                    let a = try a0(f)
                    if let number = code.number, number.flag.enabled, case .number(let x) = a,
                       let v = session.interpreter.enterNumberTier(number, x) { return v }
                    var frame = fn.makeFrame(code)
                    frame[0] = a
                    let result = try session.interpreter.enter(code, frame, site: site)
                    fn.recycle(&frame)
                    return result
                }
            case 2:
                let a0 = positional[0].run, a1 = positional[1].run
                return { f throws(Unwind) in
                    let fn = try function(f)
                    guard let code = fn.code, code.parameterCount == 2 else { return try bind(fn, f) }
                    let a = try a0(f), b = try a1(f)
                    if let number = code.number, number.flag.enabled, case .number(let x) = a, case .number(let y) = b,
                       let v = session.interpreter.enterNumberTier(number, x, y) { return v }
                    var frame = fn.makeFrame(code)
                    frame[0] = a
                    frame[1] = b
                    let result = try session.interpreter.enter(code, frame, site: site)
                    fn.recycle(&frame)
                    return result
                }
            default:
                return { f throws(Unwind) in
                    let fn = try function(f)
                    guard let code = fn.code, code.parameterCount == count else { return try bind(fn, f) }
                    var frame = Frame.make(parent: fn.captured, count: code.slotCount)
                    for i in 0..<count { frame[i] = try boxes[i].run(f) }
                    let result = try session.interpreter.enter(code, frame, site: site)
                    if !isKnownUniquelyReferenced(&frame) { _ = Function.releaseClosures(in: &frame) }
                    return result
                }
            }
        }
        return { f throws(Unwind) in
            let target = try calleeCode(f)
            guard case .function(let fn) = target else {
                throw fail(.type, "\(describeForError(target)) is not a function", file, calleeRange)
            }
            var values: [Value] = []
            for p in positional { values.append(try p.run(f)) }
            var named: [(String, Value)] = []
            for k in keywords { named.append((k.label, try k.code.run(f))) }
            return try session.interpreter.invoke(fn, positional: values, keywords: named, site: site)
        }
    }

    private func compileMemberCall(_ objectExpr: Expr, _ name: String, _ nameRange: SourceRange, _ positional: [CodeBox],
                                   _ keywords: [KeywordCode], _ argumentRanges: [SourceRange],
                                   range: SourceRange) throws(Diagnostic) -> Code {
        let file = self.file
        let session = Session(interpreter)
        let object = try compileExpression(objectExpr)
        // The sugar looks `name` up among globals (built-ins and user functions).
        let fallback = lookup(name).map { load($0, name: name, range: nameRange) }
        let globalSlot = globals.slot(for: name)
        let values = globals.values
        let fieldSite = CallSite(file: file, range: range, argumentRanges: argumentRanges, calleeRange: nameRange)
        let sugarSite = CallSite(file: file, range: range, argumentRanges: [objectExpr.range] + argumentRanges, calleeRange: nameRange)
        return { f throws(Unwind) in
            let receiver = try object(f)
            var args: [Value] = []
            args.reserveCapacity(positional.count + 1)
            var named: [(String, Value)] = []
            // A record's own function field wins: r.f(a) calls it with a.
            if case .record(let r) = receiver, let field = r[name] {
                guard case .function(let fn) = field else {
                    throw fail(.type, "field '\(name)' is \(describeForError(field)), not a function", file, nameRange)
                }
                for p in positional { args.append(try p.run(f)) }
                for k in keywords { named.append((k.label, try k.code.run(f))) }
                return try session.interpreter.invoke(fn, positional: args, keywords: named, site: fieldSite)
            }
            var target: Value = .nil
            if let fallback {
                target = try fallback(f)
            } else if let globalSlot {
                target = values[globalSlot]
            }
            guard case .function(let fn) = target else {
                var message = "\(describeForError(receiver)) has no field or function '\(name)'"
                if case .object(let o) = receiver, !o.fieldNames.isEmpty {
                    message += "; fields: \(o.fieldNames.joined(separator: ", "))"
                }
                throw fail(.name, message, file, nameRange)
            }
            args.append(receiver)
            for p in positional { args.append(try p.run(f)) }
            for k in keywords { named.append((k.label, try k.code.run(f))) }
            return try session.interpreter.invoke(fn, positional: args, keywords: named, site: sugarSite)
        }
    }
}

/// A keyword argument's label and code.
struct KeywordCode {
    let label: String
    let code: CodeBox
}
