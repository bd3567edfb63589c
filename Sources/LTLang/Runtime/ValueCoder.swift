import Foundation
import LTBytes

/// Encodes and decodes values (LANGUAGE.md "Values") in the notebook cache's binary format.
///
/// Layout: the format version, the number of values, each value (a tag byte, then its
/// contents), then the variables that stored closures captured (see
/// `ValueCoder+Functions.swift`). Lists, records, objects and user functions keep their
/// identity: two names bound to one list are restored bound to one list, cycles survive,
/// and a value an earlier binding already held is restored as that binding's value.
/// Built-in functions are stored by name; library objects through `PersistableObject`;
/// user functions as their source plus what they captured.
///
/// Reading never trusts the bytes: every length is checked against what is left, nesting
/// is bounded (decoding recurses), and a failure is `PersistenceError.corrupt` naming the
/// byte offset.
public enum ValueCoder {
    /// Bumped whenever the format changes; stored values of other versions are not read.
    /// 2: user functions, closure frames and their captured variables.
    public static let formatVersion: UInt8 = 2
    /// Deepest nesting of lists, records, objects and closure frames written or read.
    static let maxDepth = 1_000

    /// The bytes of several named values, sharing one identity table.
    ///
    /// `earlier` are bindings that existed, unchanged, before the values were made (the
    /// notebook's earlier cells): a list, record, function or object that is one of them is
    /// written as a reference to its name, and `decode` binds the value that name holds in
    /// the restoring session. So `d = c` in a later cell keeps `d` and `c` one object, as a
    /// run without the cache does, instead of restoring a copy.
    public static func encode(_ values: [Value], earlier: [(name: String, value: Value)] = []) throws -> Data {
        var w = Writer()
        for (name, v) in earlier {
            if let id = identity(v), w.earlier[id] == nil { w.earlier[id] = name }
        }
        w.byte(formatVersion)
        w.int(values.count)
        for v in values { try w.value(v) }
        try w.finishCaptures()
        return Data(w.out.bytes)
    }

    /// The values written by `encode`. Built-in functions are looked up, and user
    /// functions compiled, in `interpreter`, so their globals are the restoring session's.
    public static func decode(_ data: Data, interpreter: Interpreter) throws -> [Value] {
        var r = Reader(bytes: [UInt8](data), interpreter: interpreter)
        let version = try r.byte()
        guard version == formatVersion else {
            throw PersistenceError.corrupt("format version \(version); this ltnb reads \(formatVersion)")
        }
        let n = try r.count(minimumBytes: 1)
        var out: [Value] = []
        for _ in 0..<n { out.append(try r.value()) }
        try r.readCaptures()
        guard r.offset == r.input.bytes.count else { throw r.corrupt("\(r.input.bytes.count - r.offset) bytes after the end") }
        return out
    }

    /// Why `value` cannot be stored (with `earlier` as for `encode`), or nil when it can.
    public static func unsupportedReason(_ value: Value, earlier: [(name: String, value: Value)] = []) -> String? {
        do { _ = try encode([value], earlier: earlier); return nil } catch let e as PersistenceError {
            if case .unsupported(let what) = e { return what }
            return e.description
        } catch { return "\(error)" }
    }

    enum Tag: UInt8 {
        case null = 0, boolFalse, boolTrue, number, string, list, record, reference, builtin, object, function, earlier
    }

    /// The identity of a shared value (list, record, function, object); nil for scalars.
    static func identity(_ v: Value) -> ObjectIdentifier? {
        switch v {
        case .list(let box): return ObjectIdentifier(box)
        case .record(let box): return ObjectIdentifier(box)
        case .function(let f): return ObjectIdentifier(f)
        case .object(let o): return ObjectIdentifier(o)
        case .nil, .bool, .number, .string: return nil
        }
    }

    struct Writer {
        /// LTBytes' little-endian primitives.
        var out = ByteWriter()
        var ids: [ObjectIdentifier: Int] = [:]
        /// Values bound before the cell, by identity: written as their name.
        var earlier: [ObjectIdentifier: String] = [:]
        var depth = 0
        // Closures (ValueCoder+Functions.swift): frames and sources by identity, and the
        // captured variables still to write.
        var frameIDs: [ObjectIdentifier: Int] = [:]
        var fileIDs: [ObjectIdentifier: Int] = [:]
        var frameSlots = 0
        var pending: [PendingCapture] = []
        var pendingKeys: Set<FrameSlot> = []

        mutating func byte(_ b: UInt8) { out.u8(b) }
        mutating func int(_ n: Int) { out.int(n) }
        mutating func string(_ s: String) { out.string(s) }
        mutating func bytes(_ d: Data) { out.bytes(d) }

        /// Returns true when the box was already written (a reference was emitted).
        mutating func shared(_ box: AnyObject) -> Bool {
            let id = ObjectIdentifier(box)
            if let n = ids[id] { byte(Tag.reference.rawValue); int(n); return true }
            ids[id] = ids.count
            return false
        }

        mutating func value(_ v: Value) throws {
            depth += 1
            defer { depth -= 1 }
            guard depth <= ValueCoder.maxDepth else {
                throw PersistenceError.unsupported("a value nested more than \(ValueCoder.maxDepth) levels deep")
            }
            if let id = ValueCoder.identity(v), let name = earlier[id] {
                if let n = ids[id] { byte(Tag.reference.rawValue); int(n); return }
                ids[id] = ids.count
                byte(Tag.earlier.rawValue)
                string(name)
                return
            }
            switch v {
            case .nil: byte(Tag.null.rawValue)
            case .bool(let b): byte(b ? Tag.boolTrue.rawValue : Tag.boolFalse.rawValue)
            case .number(let x):
                byte(Tag.number.rawValue)
                out.f64(x)
            case .string(let s): byte(Tag.string.rawValue); string(s)
            case .list(let box):
                if shared(box) { return }
                byte(Tag.list.rawValue)
                int(box.items.count)
                for item in box.items { try value(item) }
            case .record(let box):
                if shared(box) { return }
                byte(Tag.record.rawValue)
                int(box.count)
                for (k, item) in box.fields { string(k); try value(item) }
            case .function(let f):
                if let b = f.builtin { byte(Tag.builtin.rawValue); string(b.name); return }
                try function(f)
            case .object(let o):
                guard let p = o as? any PersistableObject else {
                    let article = o.typeName.first.map { "aeiou".contains($0) } == true ? "an" : "a"
                    throw PersistenceError.unsupported("\(article) \(o.typeName) object")
                }
                if shared(o) { return }
                byte(Tag.object.rawValue)
                string(type(of: p).persistenceTag)
                bytes(try p.persist())
            }
        }
    }

    struct Reader {
        /// LTBytes' bounded reader; its errors are `PersistenceError.corrupt`.
        var input: ByteReader
        let interpreter: Interpreter
        var table: [Value] = []
        var depth = 0
        // Closures (ValueCoder+Functions.swift).
        var frames: [Frame] = []
        var files: [SourceFile] = []
        var tokens: [Int: [Token]] = [:]
        var frameSlots = 0

        init(bytes: [UInt8], interpreter: Interpreter) {
            input = ByteReader(bytes) { why, at, size in PersistenceError.corrupt("\(why) at byte \(at) of \(size)") }
            self.interpreter = interpreter
        }

        var offset: Int { input.offset }

        func corrupt(_ why: String, at position: Int? = nil) -> any Error { input.error(why, at: position) }

        mutating func byte() throws -> UInt8 { try input.u8() }
        mutating func raw(_ n: Int) throws -> ArraySlice<UInt8> { try input.raw(n) }
        mutating func uint64() throws -> UInt64 { try input.u64() }
        mutating func int() throws -> Int { try input.int() }
        /// A count of items that each take at least `minimumBytes`, checked against the
        /// bytes left, so a lying count fails before anything is allocated for it.
        mutating func count(minimumBytes: Int) throws -> Int { try input.count(elementSize: minimumBytes) }
        mutating func string() throws -> String { try input.string() }

        mutating func value() throws -> Value {
            depth += 1
            defer { depth -= 1 }
            guard depth <= ValueCoder.maxDepth else { throw corrupt("values nested more than \(ValueCoder.maxDepth) levels") }
            let at = offset
            guard let tag = Tag(rawValue: try byte()) else { throw corrupt("unknown tag", at: at) }
            switch tag {
            case .null: return .nil
            case .boolFalse: return .bool(false)
            case .boolTrue: return .bool(true)
            case .number: return .number(Double(bitPattern: try uint64()))
            case .string: return .string(try string())
            case .list:
                let box = ListBox([])
                table.append(.list(box))
                let n = try count(minimumBytes: 1)
                box.items.reserveCapacity(n)
                for _ in 0..<n { box.items.append(try value()) }
                return .list(box)
            case .record:
                let box = RecordBox()
                table.append(.record(box))
                let n = try count(minimumBytes: 9)
                for _ in 0..<n { let k = try string(); box[k] = try value() }
                return .record(box)
            case .reference:
                let n = try int()
                guard n >= 0, n < table.count else { throw corrupt("reference to value \(n) of \(table.count)", at: at) }
                return table[n]
            case .builtin:
                let name = try string()
                guard let b = interpreter.builtin(named: name) else { throw corrupt("no built-in named '\(name)'", at: at) }
                return .function(Function(builtin: b, registered: true))
            case .object:
                let tagName = try string()
                let payload = Data(try raw(try count(minimumBytes: 1)))
                guard let decode = PersistenceRegistry.decoder(for: tagName) else {
                    throw corrupt("no decoder for '\(tagName)' objects", at: at)
                }
                let object: any LTObject
                do { object = try decode(payload) } catch {
                    throw corrupt("the \(tagName) object does not decode (\((error as? LTError)?.message ?? "\(error)"))", at: at)
                }
                let v = Value.object(object)
                table.append(v)
                return v
            case .function:
                return try function(at: at)
            case .earlier:
                let name = try string()
                guard let v = interpreter.global(name), ValueCoder.identity(v) != nil else {
                    throw corrupt("the entry refers to '\(name)', which holds no list, record, function or object now", at: at)
                }
                table.append(v)
                return v
            }
        }
    }
}
