import Foundation
@testable import LTKernel
import Testing

/// HMAC-SHA256 against the test cases of RFC 4231 (section 4).
@Suite struct HMACTests {
    func mac(_ key: [UInt8], _ data: [UInt8]) -> String { HMAC.hex(HMAC.sha256(key: key, message: Data(data))) }
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func rfc4231() {
        #expect(mac(Array(repeating: 0x0b, count: 20), bytes("Hi There"))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(mac(bytes("Jefe"), bytes("what do ya want for nothing?"))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(mac(Array(repeating: 0xaa, count: 20), Array(repeating: 0xdd, count: 50))
            == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
        #expect(mac(Array(1...25), Array(repeating: 0xcd, count: 50))
            == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
        // Test case 5 gives only the first 128 bits.
        #expect(mac(Array(repeating: 0x0c, count: 20), bytes("Test With Truncation")).hasPrefix("a3b6167473100ee06e0c796c2955552b"))
        // Keys longer than the 64-byte block are hashed first.
        #expect(mac(Array(repeating: 0xaa, count: 131), bytes("Test Using Larger Than Block-Size Key - Hash Key First"))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        #expect(mac(Array(repeating: 0xaa, count: 131), bytes(
            "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."))
            == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    @Test func keyOfExactlyOneBlockIsNotHashed() {
        // 64 bytes: used as is; 65: hashed. The two must differ from each other.
        let a = mac(Array(repeating: 1, count: 64), bytes("x"))
        let b = mac(Array(repeating: 1, count: 65), bytes("x"))
        #expect(a != b)
        #expect(a.count == 64 && b.count == 64)
    }

    @Test func constantTimeEqual() {
        #expect(HMAC.constantTimeEqual("abc", "abc"))
        #expect(!HMAC.constantTimeEqual("abc", "abd"))
        #expect(!HMAC.constantTimeEqual("abc", "ab"))
        #expect(HMAC.constantTimeEqual("", ""))
    }
}
