import Foundation
import LTLang

/// HMAC-SHA256 (RFC 2104) on the project's own SHA-256: every Jupyter message is signed
/// with it, and the kernel needs nothing else from a crypto library.
public enum HMAC {
    static let blockSize = 64

    /// The 32-byte MAC of `message` under `key`.
    public static func sha256(key: [UInt8], message: Data) -> [UInt8] {
        var k = key.count > blockSize ? SHA256.digest(Data(key)) : key
        k += [UInt8](repeating: 0, count: blockSize - k.count)
        var inner = Data(k.map { $0 ^ 0x36 })
        inner.append(message)
        var outer = Data(k.map { $0 ^ 0x5c })
        outer.append(contentsOf: SHA256.digest(inner))
        return SHA256.digest(outer)
    }

    /// Lower-case hex, as Jupyter puts the signature on the wire.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares in time independent of where the strings first differ, so a forger learns
    /// nothing from how fast a wrong signature is rejected.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
