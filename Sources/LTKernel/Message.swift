import Foundation

/// A JSON object as Foundation parses it: the kernel reads fields through the typed
/// accessors below, so a missing field or a wrong type is a value, never a crash.
public typealias JSONObject = [String: Any]

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
    func object(_ key: String) -> JSONObject? { self[key] as? JSONObject }
    func bool(_ key: String) -> Bool? { JSONValue.bool(self[key]) }
    func int(_ key: String) -> Int? { JSONValue.int(self[key]) }
}

/// Reads JSON scalars strictly: a JSON `true` is not the number 1, nor `1` true.
enum JSONValue {
    static func bool(_ any: Any?) -> Bool? {
        guard let any, isBoolean(any) else { return nil }
        return any as? Bool
    }

    static func int(_ any: Any?) -> Int? {
        guard let any, !isBoolean(any) else { return nil }
        if let i = any as? Int { return i }
        if let d = any as? Double, d.rounded() == d, abs(d) < 1e15 { return Int(d) }
        return nil
    }

    /// Foundation may hand a JSON boolean back as Bool or as a boolean NSNumber.
    static func isBoolean(_ any: Any) -> Bool {
        if any is Bool && !(any is NSNumber) { return true }
        guard let n = any as? NSNumber else { return false }
        return type(of: n) == type(of: NSNumber(value: true)) && String(cString: n.objCType) == "c"
    }
}

/// One Jupyter message (messaging spec 5.3, "The Wire Protocol"): routing identities, then
/// `<IDS|MSG>`, the HMAC signature, header, parent header, metadata, content, buffers.
public struct Message {
    public var identities: [Data] = []
    public var header: JSONObject
    public var parentHeader: JSONObject = [:]
    public var metadata: JSONObject = [:]
    public var content: JSONObject
    public var buffers: [Data] = []

    public var type: String { header.string("msg_type") ?? "" }
    public var id: String { header.string("msg_id") ?? "" }

    public init(header: JSONObject, content: JSONObject) {
        self.header = header
        self.content = content
    }
}

/// Why incoming frames were not accepted as a message.
public enum MessageRejection: Error, Equatable, CustomStringConvertible {
    /// The HMAC does not match: never executed, only logged.
    case badSignature
    /// A signature seen before: a replayed message.
    case replayed
    /// Not a Jupyter message (no delimiter, too few frames, bad JSON, no msg_type).
    case malformed(String)

    public var description: String {
        switch self {
        case .badSignature: return "signature does not verify"
        case .replayed: return "signature already seen (a replayed message)"
        case .malformed(let why): return "malformed message: \(why)"
        }
    }
}

/// The signatures of messages accepted so far, as jupyter_client's Session keeps them: a
/// signed message sent again (replayed by someone who saw it on the wire) is refused.
/// Bounded: past `limit` entries the oldest tenth is forgotten.
public final class SignatureHistory: @unchecked Sendable {
    private var seen = Set<String>()
    private var order: [String] = []
    private let lock = NSLock()
    let limit: Int

    public init(limit: Int = 1 << 16) { self.limit = max(limit, 10) }

    /// Records `signature`; false when it was already there.
    public func insert(_ signature: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard seen.insert(signature).inserted else { return false }
        order.append(signature)
        if order.count > limit {
            let drop = limit / 10
            for s in order.prefix(drop) { seen.remove(s) }
            order.removeFirst(drop)
        }
        return true
    }
}

/// Signs, verifies, encodes and decodes messages with the connection's key.
public struct MessageCodec: Sendable {
    public static let delimiter = Data("<IDS|MSG>".utf8)
    public static let protocolVersion = "5.3"

    let key: [UInt8]
    /// This kernel's session id, in every header it writes.
    public let session: String

    public init(key: String, session: String = UUID().uuidString.lowercased()) {
        self.key = Array(key.utf8)
        self.session = session
    }

    /// The hex HMAC-SHA256 of the four JSON frames; empty when the key is empty (Jupyter's
    /// convention for "authentication off").
    public func signature(_ parts: [Data]) -> String {
        guard !key.isEmpty else { return "" }
        var joined = Data()
        for p in parts { joined.append(p) }
        return HMAC.hex(HMAC.sha256(key: key, message: joined))
    }

    /// Decodes and verifies, and with `history` refuses a signature seen before. A message
    /// is recorded only once it verified, so forged frames cannot block a real one.
    public func decode(_ frames: [Data], history: SignatureHistory) -> Result<Message, MessageRejection> {
        let result = decode(frames)
        guard case .success = result, !key.isEmpty, let d = frames.firstIndex(of: Self.delimiter) else { return result }
        return history.insert(String(decoding: frames[d + 1], as: UTF8.self)) ? result : .failure(.replayed)
    }

    public func decode(_ frames: [Data]) -> Result<Message, MessageRejection> {
        guard let d = frames.firstIndex(of: Self.delimiter) else { return .failure(.malformed("no <IDS|MSG> delimiter")) }
        guard frames.count >= d + 6 else { return .failure(.malformed("\(frames.count - d - 1) frames after the delimiter, expected at least 5")) }
        let sig = String(decoding: frames[d + 1], as: UTF8.self)
        let parts = Array(frames[(d + 2)...(d + 5)])
        if !key.isEmpty, !HMAC.constantTimeEqual(sig, signature(parts)) { return .failure(.badSignature) }
        var objects: [JSONObject] = []
        for (name, part) in zip(["header", "parent_header", "metadata", "content"], parts) {
            guard let any = try? JSONSerialization.jsonObject(with: part, options: [.fragmentsAllowed]),
                  let object = any as? JSONObject
            else { return .failure(.malformed("\(name) is not a JSON object")) }
            objects.append(object)
        }
        var message = Message(header: objects[0], content: objects[3])
        guard message.header.string("msg_type") != nil else { return .failure(.malformed("header has no msg_type")) }
        message.identities = Array(frames[..<d])
        message.parentHeader = objects[1]
        message.metadata = objects[2]
        message.buffers = Array(frames[(d + 6)...])
        return .success(message)
    }

    public func encode(_ message: Message) -> [Data] {
        let parts = [message.header, message.parentHeader, message.metadata, message.content].map(Self.json)
        return message.identities + [Self.delimiter, Data(signature(parts).utf8)] + parts + message.buffers
    }

    /// A new message of `type` in reply to (or caused by) `parent`.
    public func make(_ type: String, content: JSONObject, parent: Message?, metadata: JSONObject = [:]) -> Message {
        var m = Message(header: header(type), content: content)
        m.parentHeader = parent?.header ?? [:]
        m.metadata = metadata
        return m
    }

    func header(_ type: String) -> JSONObject {
        ["msg_id": UUID().uuidString.lowercased(), "session": session, "username": "ltnb",
         "date": Self.timestamp(Date()), "msg_type": type, "version": Self.protocolVersion]
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    /// Compact JSON with sorted keys; anything JSON cannot hold becomes `{}` rather than a crash.
    static func json(_ object: JSONObject) -> Data {
        guard JSONSerialization.isValidJSONObject(object),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return Data("{}".utf8) }
        return data
    }
}
