/// Indexing, slicing and member access on values.
enum Indexing {
    static func member(_ v: Value, _ name: String) throws -> Value {
        switch v {
        case .record(let r):
            if let field = r[name] { return field }
            var notes: [String] = []
            if let guess = nearest(name, in: r.keys) { notes.append("did you mean '\(guess)'?") }
            throw LTError("record has no field '\(name)'", kind: .name, notes: notes)
        case .object(let o):
            if let field = try o.field(name) { return field }
            var notes: [String] = []
            if !o.fieldNames.isEmpty { notes.append("fields of a \(o.typeName): \(o.fieldNames.joined(separator: ", "))") }
            throw LTError("\(o.typeName) has no field '\(name)'", kind: .name, notes: notes)
        default:
            throw LTError("\(describeForError(v)) has no field '\(name)'", kind: .type)
        }
    }

    static func get(_ v: Value, _ items: [IndexValue]) throws -> Value {
        if case .object(let o) = v {
            if let r = try o.index(items) { return r }
            throw LTError("a \(o.typeName) cannot be indexed", kind: .type)
        }
        guard items.count == 1 else {
            throw LTError("\(v.typeName) takes one index, got \(items.count)", kind: .type)
        }
        switch (v, items[0]) {
        case (.list(let box), .value(let i)):
            return box.items[try position(i, count: box.items.count)]
        case (.list(let box), .slice(let a, let b, let s)):
            let idx = try sliceIndices(a, b, s, count: box.items.count)
            return .list(ListBox(idx.map { box.items[$0] }))
        case (.string(let s), .value(let i)):
            let chars = Array(s)
            return .string(String(chars[try position(i, count: chars.count)]))
        case (.string(let s), .slice(let a, let b, let st)):
            let chars = Array(s)
            return .string(String(try sliceIndices(a, b, st, count: chars.count).map { chars[$0] }))
        case (.record(let r), .value(.string(let key))):
            guard let field = r[key] else { throw LTError("record has no field \(quoteString(key))", kind: .index) }
            return field
        case (.record, _):
            throw LTError("a record is indexed by a field name string", kind: .type)
        default:
            throw LTError("\(describeForError(v)) cannot be indexed", kind: .type)
        }
    }

    static func set(_ v: Value, _ items: [IndexValue], _ newValue: Value) throws {
        guard items.count == 1 else { throw LTError("\(v.typeName) takes one index, got \(items.count)", kind: .type) }
        switch (v, items[0]) {
        case (.list(let box), .value(let i)):
            box.items[try position(i, count: box.items.count)] = newValue
        case (.record(let r), .value(.string(let key))):
            r[key] = newValue
        case (.object(let o), _):
            throw LTError("a \(o.typeName) is immutable; build a new one (e.g. with where(...))", kind: .type)
        case (.string, _):
            throw LTError("strings are immutable", kind: .type)
        default:
            throw LTError("cannot assign into \(describeForError(v)) with this index", kind: .type)
        }
    }

    /// A whole-number index, negative from the end, checked against `count`.
    static func position(_ i: Value, count: Int) throws -> Int {
        guard case .number(let n) = i else {
            throw LTError("index must be a whole number, got \(describeForError(i))", kind: .type)
        }
        guard n.isFinite, n == n.rounded() else {
            throw LTError("index must be a whole number, got \(formatNumber(n))", kind: .type)
        }
        let k = n < 0 ? n + Double(count) : n
        guard k >= 0, k < Double(count) else {
            throw LTError("index \(formatNumber(n)) is out of range for length \(count)", kind: .index)
        }
        return Int(k)
    }

    /// Python's slice semantics: clamped bounds, negative from the end, any non-zero step.
    static func sliceIndices(_ a: Value, _ b: Value, _ s: Value, count: Int) throws -> [Int] {
        func bound(_ v: Value, _ name: String) throws -> Int? {
            if case .nil = v { return nil }
            guard case .number(let n) = v, n.isFinite, n == n.rounded() else {
                throw LTError("slice \(name) must be a whole number, got \(describeForError(v))", kind: .type)
            }
            return Int(max(min(n, 1e15), -1e15))
        }
        let step = try bound(s, "step") ?? 1
        guard step != 0 else { throw LTError("slice step cannot be 0", kind: .value) }
        func clamp(_ x: Int?, _ defaultValue: Int, _ lower: Int, _ upper: Int) -> Int {
            guard var x else { return defaultValue }
            if x < 0 { x += count }
            return min(max(x, lower), upper)
        }
        var out: [Int] = []
        if step > 0 {
            let start = clamp(try bound(a, "start"), 0, 0, count)
            let stop = clamp(try bound(b, "stop"), count, 0, count)
            var i = start
            while i < stop { out.append(i); i += step }
        } else {
            let start = clamp(try bound(a, "start"), count - 1, -1, count - 1)
            let stop = clamp(try bound(b, "stop"), -1, -1, count - 1)
            var i = start
            while i > stop { out.append(i); i += step }
        }
        return out
    }
}
