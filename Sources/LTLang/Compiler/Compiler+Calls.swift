/// Calls: the positional fast path into user functions, keyword binding, built-ins, and
/// the member-call sugar `x.f(a)` = `f(x, a)` when `x` has no field `f`.
extension Compiler {
    func compileCall(_ callee: Expr, _ arguments: [Argument], range: SourceRange) throws(Diagnostic) -> Code {
        var positional: [Code] = []
        var keywords: [(String, Code)] = []
        for a in arguments {
            let code = try compileExpression(a.value)
            if let label = a.label { keywords.append((label, code)) } else { positional.append(code) }
        }
        let file = self.file
        let interpreter = self.interpreter
        let argumentRanges = arguments.map(\.range)

        if case .member(let objectExpr, let name, let nameRange) = callee.kind {
            return try compileMemberCall(objectExpr, name, nameRange, positional, keywords, argumentRanges, range: range)
        }

        let calleeCode = try compileExpression(callee)
        let site = CallSite(file: file, range: range, argumentRanges: argumentRanges, calleeRange: callee.range)
        let calleeRange = callee.range
        let count = positional.count
        if keywords.isEmpty {
            return { f throws(Unwind) in
                let target = try calleeCode(f)
                guard case .function(let fn) = target else {
                    throw fail(.type, "\(describeForError(target)) is not a function", file, calleeRange)
                }
                // Fast path: a user function called with exactly its parameters.
                if let code = fn.code, code.parameterNames.count == count {
                    let frame = Frame.make(parent: fn.captured, count: code.slotCount)
                    for i in 0..<count { frame[i] = try positional[i](f) }
                    return try interpreter.enter(code, frame, site: site)
                }
                var values: [Value] = []
                values.reserveCapacity(count)
                for p in positional { values.append(try p(f)) }
                return try interpreter.invoke(fn, positional: values, keywords: [], site: site)
            }
        }
        return { f throws(Unwind) in
            let target = try calleeCode(f)
            guard case .function(let fn) = target else {
                throw fail(.type, "\(describeForError(target)) is not a function", file, calleeRange)
            }
            var values: [Value] = []
            for p in positional { values.append(try p(f)) }
            var named: [(String, Value)] = []
            for (label, code) in keywords { named.append((label, try code(f))) }
            return try interpreter.invoke(fn, positional: values, keywords: named, site: site)
        }
    }

    private func compileMemberCall(_ objectExpr: Expr, _ name: String, _ nameRange: SourceRange, _ positional: [Code],
                                   _ keywords: [(String, Code)], _ argumentRanges: [SourceRange],
                                   range: SourceRange) throws(Diagnostic) -> Code {
        let file = self.file
        let interpreter = self.interpreter
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
                for p in positional { args.append(try p(f)) }
                for (label, code) in keywords { named.append((label, try code(f))) }
                return try interpreter.invoke(fn, positional: args, keywords: named, site: fieldSite)
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
            for p in positional { args.append(try p(f)) }
            for (label, code) in keywords { named.append((label, try code(f))) }
            return try interpreter.invoke(fn, positional: args, keywords: named, site: sugarSite)
        }
    }
}
