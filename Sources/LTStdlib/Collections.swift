import LTLang

/// Built-ins over lists, records and strings.
enum Collections {
    static let builtins: [Builtin] = [
        Builtin("len", family: "Collections", [.required("x", "a list, string, record or tensor")],
                summary: "The number of elements (characters of a string, fields of a record, rows of a tensor).",
                example: "len([1, 2, 3])", result: "3") { args in
            let x = try args.required("x")
            switch x {
            case .list(let l): return .number(Double(l.items.count))
            case .string(let s): return .number(Double(s.count))
            case .record(let r): return .number(Double(r.count))
            case .object(let o):
                if let n = try o.length() { return .number(Double(n)) }
                throw args.typeError("x", "a list, string, record or tensor", x)
            default: throw args.typeError("x", "a list, string, record or tensor", x)
            }
        },
        Builtin("range", family: "Collections",
                [.required("a", "the stop, or the start when b is given"), .optional("b", "the stop (exclusive)"),
                 .optional("step", "the increment (default 1, may be negative)")],
                summary: "A list of numbers from start up to (not including) stop.",
                errors: ["It is an error if the bounds are not whole numbers, step is 0, or the list would be too large."],
                example: "range(1, 10, 3)", result: "[1, 4, 7]") { args in
            let a = try args.int("a", in: -(1 << 52)...(1 << 52))
            let (start, stop) = args.has("b") ? (a, try args.int("b", in: -(1 << 52)...(1 << 52))) : (0, a)
            let step = try args.int("step", default: 1, in: -(1 << 52)...(1 << 52))
            guard step != 0 else { throw args.error("step", "range step cannot be 0") }
            let count = step > 0 ? max(0, (stop - start + step - 1) / step) : max(0, (start - stop - step - 1) / -step)
            try args.interpreter.checkSize(count, "range")
            var items: [Value] = []
            items.reserveCapacity(count)
            var x = start
            for _ in 0..<count { items.append(.number(Double(x))); x += step }
            return .list(ListBox(items))
        },
        Builtin("enumerate", family: "Collections", [.required("xs", "a list or string")],
                summary: "Pairs [i, x] of each element with its index, for `for i, x in enumerate(xs)`.",
                example: "enumerate([\"a\", \"b\"])", result: "[[0, \"a\"], [1, \"b\"]]") { args in
            let items = try sequence(args, "xs")
            return .list(ListBox(items.enumerated().map { .list(ListBox([.number(Double($0)), $1])) }))
        },
        Builtin("zip", family: "Collections", [.variadic("lists", "two or more lists")],
                summary: "Lists of corresponding elements, as long as the shortest input.",
                example: "zip([1, 2], [\"a\", \"b\"])", result: "[[1, \"a\"], [2, \"b\"]]") { args in
            var lists: [[Value]] = []
            for (i, v) in args.rest.enumerated() {
                guard case .list(let l) = v else { throw args.restError(i, "arguments to 'zip' must be lists, got \(describeForError(v))", kind: .type) }
                lists.append(l.items)
            }
            let n = lists.map(\.count).min() ?? 0
            return .list(ListBox((0..<n).map { i in .list(ListBox(lists.map { $0[i] })) }))
        },
        Builtin("map", family: "Collections", [.required("xs", "a list"), .required("f", "a function of one element")],
                summary: "A new list of f(x) for each element x.",
                example: "[1, 2, 3] |> map(fn(x) => x * 10)", result: "[10, 20, 30]") { args in
            let items = try sequence(args, "xs")
            let f = try args.function("f")
            var out: [Value] = []
            out.reserveCapacity(items.count)
            let call = try args.interpreter.callee(f)
            for x in items { out.append(try call(x)) }
            return .list(ListBox(out))
        },
        Builtin("filter", family: "Collections", [.required("xs", "a list"), .required("f", "a predicate of one element")],
                summary: "A new list of the elements for which f(x) is true.",
                example: "range(6) |> filter(fn(x) => x % 2 == 0)", result: "[0, 2, 4]") { args in
            let items = try sequence(args, "xs")
            let f = try args.function("f")
            var out: [Value] = []
            let call = try args.interpreter.callee(f)
            for x in items where try call(x).isTruthy() { out.append(x) }
            return .list(ListBox(out))
        },
        Builtin("reduce", family: "Collections",
                [.required("xs", "a list"), .required("f", "a function of (accumulator, element)"),
                 .optional("initial", "the starting accumulator (default: the first element)")],
                summary: "Folds the list from the left with f.",
                errors: ["It is an error if the list is empty and no initial value is given."],
                example: "[1, 2, 3] |> reduce(fn(a, b) => a + b, 0)", result: "6") { args in
            let items = try sequence(args, "xs")
            let f = try args.function("f")
            var rest = items[...]
            var acc: Value
            if args.has("initial") { acc = args.value("initial") ?? .nil } else {
                guard let first = rest.popFirst() else {
                    throw args.error("xs", "cannot reduce an empty list without an initial value")
                }
                acc = first
            }
            let call = try args.interpreter.callee(f)
            for x in rest { acc = try call(acc, x) }
            return acc
        },
        Builtin("reverse", family: "Collections", [.required("xs", "a list or string")],
                summary: "The elements in reverse order.",
                example: "reverse([1, 2, 3])", result: "[3, 2, 1]") { args in
            let x = try args.required("xs")
            if case .string(let s) = x { return .string(String(s.reversed())) }
            return .list(ListBox(try sequence(args, "xs").reversed()))
        },
        Builtin("keys", family: "Collections", [.required("r", "a record")],
                summary: "The field names of a record, in order.",
                example: "keys({a: 1, b: 2})", result: "[\"a\", \"b\"]") { args in
            .list(ListBox(try args.record("r").keys.map { .string($0) }))
        },
        Builtin("values", family: "Collections", [.required("r", "a record")],
                summary: "The field values of a record, in order.",
                example: "values({a: 1, b: 2})", result: "[1, 2]") { args in
            .list(ListBox(try args.record("r").values))
        },
        Builtin("has", family: "Collections", [.required("x", "a record, list or string"), .required("item", "a field name or element")],
                summary: "Whether a record has the field, a list contains the element, or a string contains the text.",
                example: "has({a: 1}, \"a\")", result: "true") { args in
            let x = try args.required("x"), item = args.value("item") ?? .nil
            switch x {
            case .record(let r):
                guard case .string(let k) = item else { throw args.typeError("item", "a field name string", item) }
                return .bool(r[k] != nil)
            case .list(let l): return .bool(l.items.contains { valuesEqual($0, item) })
            case .string(let s):
                guard case .string(let t) = item else { throw args.typeError("item", "a string", item) }
                return .bool(s.contains(t))
            default: throw args.typeError("x", "a record, list or string", x)
            }
        },
        Builtin("push", family: "Collections", [.required("xs", "a list"), .required("value", "the element to append")],
                summary: "Appends an element to a list in place and returns the list.",
                example: "xs = [1]; push(xs, 2); xs", result: "[1, 2]") { args in
            let l = try args.list("xs")
            try args.interpreter.checkSize(l.items.count + 1)
            l.items.append(args.value("value") ?? .nil)
            return .list(l)
        },
        Builtin("join", family: "Collections", [.required("xs", "a list"), .optional("separator", "text between elements (default \"\")")],
                summary: "The text of each element joined by a separator.",
                example: "join([\"a\", 1, true], \", \")", result: "\"a, 1, true\"") { args in
            let items = try args.list("xs").items
            return .string(items.map(\.plainText).joined(separator: try args.string("separator", default: "")))
        },
    ]

    static func sortList(_ args: Arguments) throws -> Value {
        let items = try sequence(args, "xs")
        let descending = try args.bool("descending", default: false)
        var keys = items
        if let key = args.value("key") {
            guard case .function = key else { throw args.typeError("key", "a function", key) }
            let call = try args.interpreter.callee(key)
            keys = try items.map { try call($0) }
        }
        let order = try stableOrder(keys, descending: descending) { args.error("xs", $0, kind: .type) }
        return .list(ListBox(order.map { items[$0] }))
    }

    /// The elements of a list (or the characters of a string) for sequence built-ins.
    static func sequence(_ args: Arguments, _ name: String) throws -> [Value] {
        let v = try args.required(name)
        switch v {
        case .list(let l): return l.items
        case .string(let s): return s.map { .string(String($0)) }
        case .object(let o):
            if let items = try o.elements() { return items }
        default: break
        }
        throw args.typeError(name, "a list", v)
    }

    /// Indices that sort `keys` stably; keys must be all numbers or all strings.
    static func stableOrder(_ keys: [Value], descending: Bool, error: (String) -> LTError) throws -> [Int] {
        if keys.allSatisfy({ if case .number = $0 { return true }; return false }) {
            let nums = keys.map { if case .number(let n) = $0 { return n }; return 0 }
            // NaN sorts last, as in NumPy.
            return Array(nums.indices).sorted { a, b in
                let x = nums[a], y = nums[b]
                if x.isNaN || y.isNaN { return !x.isNaN && y.isNaN || (x.isNaN == y.isNaN && a < b) }
                if x == y { return a < b }
                return descending ? x > y : x < y
            }
        }
        if keys.allSatisfy({ if case .string = $0 { return true }; return false }) {
            let strs = keys.map { $0.plainText }
            return Array(strs.indices).sorted { a, b in
                if strs[a] == strs[b] { return a < b }
                return descending ? strs[a] > strs[b] : strs[a] < strs[b]
            }
        }
        throw error("cannot sort a list that mixes types or holds lists, records or functions; give key: to sort by a number or string")
    }
}

