import Foundation
import Synchronization

// Persistence: how values survive between runs (the notebook cache), and which files a
// run read (cache keys and the report's provenance).
//
// Values are written in a small tagged binary format. Lists and records keep their
// identity: two names bound to the same list are restored bound to one list, and cycles
// survive. Built-in functions are stored by name. User functions (closures over frames)
// and library objects that do not conform to `PersistableObject` cannot be stored;
// encoding them throws `PersistenceError.unsupported`, and the notebook then simply does
// not cache that cell.

/// A library object that can be written to the notebook cache and read back.
///
/// LTStdlib conforms its tensors, figures and tables, and registers a decoder for each
/// tag with `PersistenceRegistry.register(tag:decode:)`.
public protocol PersistableObject: LTObject {
    /// A stable name for the object's kind, e.g. `"tensor"`; part of the stored format.
    static var persistenceTag: String { get }
    /// The object's bytes; `PersistenceRegistry` decodes them with the tag's decoder.
    func persist() throws -> Data
}

/// Decoders for persisted library objects, by tag. Filled once per process by the
/// library (LTStdlib) before any cache is read.
public enum PersistenceRegistry {
    public typealias Decoder = @Sendable (Data) throws -> any LTObject
    private static let decoders = Mutex<[String: Decoder]>([:])

    /// Registers (or replaces) the decoder for `tag`.
    public static func register(tag: String, decode: @escaping Decoder) {
        decoders.withLock { $0[tag] = decode }
    }

    /// The decoder for `tag`, if any.
    public static func decoder(for tag: String) -> Decoder? {
        decoders.withLock { $0[tag] }
    }
}

/// Why a value could not be stored or read back.
public enum PersistenceError: Error, CustomStringConvertible, Sendable {
    /// The value has no stored form (a user function, a non-persistable object).
    case unsupported(String)
    /// The bytes are not a value this version can read.
    case corrupt(String)

    public var description: String {
        switch self {
        case .unsupported(let what): return "\(what) cannot be cached"
        case .corrupt(let why): return "corrupt cache entry: \(why)"
        }
    }
}

/// Encodes and decodes values (LANGUAGE.md "Values") in the cache's binary format.
public enum ValueCoder {
    /// Bumped whenever the format changes; stored values of other versions are not read.
    public static let formatVersion: UInt8 = 1

    /// The bytes of several named values, sharing one identity table.
    public static func encode(_ values: [Value]) throws -> Data {
        var w = Writer()
        w.byte(formatVersion)
        w.int(values.count)
        for v in values { try w.value(v) }
        return w.data
    }

    /// The values written by `encode`; built-in functions are looked up in `interpreter`.
    public static func decode(_ data: Data, interpreter: Interpreter) throws -> [Value] {
        var r = Reader(bytes: [UInt8](data), interpreter: interpreter)
        guard try r.byte() == formatVersion else { throw PersistenceError.corrupt("format version") }
        let n = try r.int()
        var out: [Value] = []
        for _ in 0..<n { out.append(try r.value()) }
        guard r.offset == r.bytes.count else { throw PersistenceError.corrupt("trailing bytes") }
        return out
    }

    /// Why `value` cannot be stored, or nil when it can.
    public static func unsupportedReason(_ value: Value) -> String? {
        do { _ = try encode([value]); return nil } catch let e as PersistenceError {
            if case .unsupported(let what) = e { return what }
            return e.description
        } catch { return "\(error)" }
    }

    private enum Tag: UInt8 {
        case null = 0, boolFalse, boolTrue, number, string, list, record, reference, builtin, object
    }

    struct Writer {
        var data = Data()
        var ids: [ObjectIdentifier: Int] = [:]

        mutating func byte(_ b: UInt8) { data.append(b) }
        mutating func int(_ n: Int) {
            var v = UInt64(bitPattern: Int64(n)).littleEndian
            withUnsafeBytes(of: &v) { data.append(contentsOf: $0) }
        }
        mutating func string(_ s: String) {
            let bytes = Array(s.utf8)
            int(bytes.count)
            data.append(contentsOf: bytes)
        }
        mutating func bytes(_ d: Data) { int(d.count); data.append(d) }

        /// Returns true when the box was already written (a reference was emitted).
        mutating func shared(_ box: AnyObject) -> Bool {
            let id = ObjectIdentifier(box)
            if let n = ids[id] { byte(Tag.reference.rawValue); int(n); return true }
            ids[id] = ids.count
            return false
        }

        mutating func value(_ v: Value) throws {
            switch v {
            case .nil: byte(Tag.null.rawValue)
            case .bool(let b): byte(b ? Tag.boolTrue.rawValue : Tag.boolFalse.rawValue)
            case .number(let x):
                byte(Tag.number.rawValue)
                var bits = x.bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) }
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
                guard let b = f.builtin else { throw PersistenceError.unsupported("a user function (\(f.signatureText))") }
                byte(Tag.builtin.rawValue); string(b.name)
            case .object(let o):
                guard let p = o as? any PersistableObject else {
                    throw PersistenceError.unsupported("a \(o.typeName) object")
                }
                if shared(o) { return }
                byte(Tag.object.rawValue)
                string(type(of: p).persistenceTag)
                bytes(try p.persist())
            }
        }
    }

    struct Reader {
        let bytes: [UInt8]
        let interpreter: Interpreter
        var offset = 0
        var table: [Value] = []

        init(bytes: [UInt8], interpreter: Interpreter) { self.bytes = bytes; self.interpreter = interpreter }

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw PersistenceError.corrupt("truncated") }
            defer { offset += 1 }
            return bytes[offset]
        }
        mutating func raw(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, offset + n <= bytes.count else { throw PersistenceError.corrupt("truncated") }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }
        mutating func uint64() throws -> UInt64 {
            var v: UInt64 = 0
            for (i, b) in try raw(8).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
            return v
        }
        mutating func int() throws -> Int { Int(Int64(bitPattern: try uint64())) }
        mutating func string() throws -> String { String(decoding: try raw(try int()), as: UTF8.self) }

        mutating func value() throws -> Value {
            guard let tag = Tag(rawValue: try byte()) else { throw PersistenceError.corrupt("unknown tag") }
            switch tag {
            case .null: return .nil
            case .boolFalse: return .bool(false)
            case .boolTrue: return .bool(true)
            case .number: return .number(Double(bitPattern: try uint64()))
            case .string: return .string(try string())
            case .list:
                let box = ListBox([])
                table.append(.list(box))
                let n = try int()
                guard n >= 0 else { throw PersistenceError.corrupt("list length") }
                for _ in 0..<n { box.items.append(try value()) }
                return .list(box)
            case .record:
                let box = RecordBox()
                table.append(.record(box))
                let n = try int()
                guard n >= 0 else { throw PersistenceError.corrupt("record length") }
                for _ in 0..<n { let k = try string(); box[k] = try value() }
                return .record(box)
            case .reference:
                let n = try int()
                guard n >= 0, n < table.count else { throw PersistenceError.corrupt("reference") }
                return table[n]
            case .builtin:
                let name = try string()
                guard let b = interpreter.builtin(named: name) else {
                    throw PersistenceError.corrupt("no built-in named '\(name)'")
                }
                return .function(Function(builtin: b))
            case .object:
                let tagName = try string()
                let payload = Data(try raw(try int()))
                guard let decode = PersistenceRegistry.decoder(for: tagName) else {
                    throw PersistenceError.corrupt("no decoder for '\(tagName)' objects")
                }
                let v = Value.object(try decode(payload))
                table.append(v)
                return v
            }
        }
    }
}

// MARK: - Files read

/// The data files a session read, with the SHA-256 of their contents at read time.
///
/// Every built-in that reads a user's file (`load_npy`, `load_csv`, ...) calls
/// `FileReadLog.of(interpreter).record(path:)` after reading it. The notebook runner uses
/// the log for cache keys (a cell is re-run when a file it read changes) and lists the
/// files in the report's provenance footer.
public final class FileReadLog {
    /// One file read: the path as given and the hex SHA-256 of its bytes.
    public struct Entry: Equatable, Sendable {
        public var path: String
        public var sha256: String
        public init(path: String, sha256: String) { self.path = path; self.sha256 = sha256 }
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// Records a file by hashing its current contents; a file that cannot be read is
    /// recorded with an empty hash (the read itself reports the error).
    public func record(path: String) {
        let data = FileManager.default.contents(atPath: path)
        record(path: path, sha256: data.map { SHA256.hex($0) } ?? "")
    }

    /// Records a file whose bytes the caller already holds (avoids reading it twice).
    public func record(path: String, contents: Data) { record(path: path, sha256: SHA256.hex(contents)) }

    /// Records a file with a known hash.
    public func record(path: String, sha256: String) {
        let e = Entry(path: path, sha256: sha256)
        if entries.last != e { entries.append(e) }
    }

    /// Forgets every entry (the notebook runner clears the log before each cell).
    public func removeAll() { entries.removeAll() }

    /// The session's log, created on first use; stored in `userData["fileReadLog"]`.
    public static func of(_ interpreter: Interpreter) -> FileReadLog {
        if let log = interpreter.userData["fileReadLog"] as? FileReadLog { return log }
        let log = FileReadLog()
        interpreter.userData["fileReadLog"] = log
        return log
    }
}

// MARK: - SHA-256

/// SHA-256 (FIPS 180-4), for cache keys and provenance; no dependency needed.
public enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The 32-byte digest of `data`.
    public static func digest(_ data: Data) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var message = [UInt8](data)
        let bitLength = UInt64(message.count) &* 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for i in (0..<8).reversed() { message.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: message.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + 4 * i
                w[i] = UInt32(message[j]) << 24 | UInt32(message[j + 1]) << 16 | UInt32(message[j + 2]) << 8 | UInt32(message[j + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d
            h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
        return h.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
    }

    /// The digest as 64 lowercase hex digits.
    public static func hex(_ data: Data) -> String {
        digest(data).map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of a string's UTF-8 bytes, as hex.
    public static func hex(_ text: String) -> String { hex(Data(text.utf8)) }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
