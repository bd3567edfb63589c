import Foundation
@testable import LTKernel
import Testing

/// The wire format: signing, verifying, and refusing everything that is not a message.
@Suite struct MessageTests {
    let codec = MessageCodec(key: "secret-key", session: "s1")

    func json(_ s: String) -> Data { Data(s.utf8) }

    func signedFrames(_ parts: [Data], key: String = "secret-key", identities: [Data] = [Data("peer".utf8)]) -> [Data] {
        identities + [MessageCodec.delimiter, Data(MessageCodec(key: key).signature(parts).utf8)] + parts
    }

    @Test func encodeThenDecodeRoundTrips() throws {
        var m = codec.make("execute_request", content: ["code": "1 + 1", "silent": false], parent: nil)
        m.identities = [Data("peer".utf8)]
        let decoded = try codec.decode(codec.encode(m)).get()
        #expect(decoded.type == "execute_request")
        #expect(decoded.identities == [Data("peer".utf8)])
        #expect(decoded.content.string("code") == "1 + 1")
        #expect(decoded.content.bool("silent") == false)
        #expect(decoded.header.string("version") == "5.3")
        #expect(decoded.header.string("session") == "s1")
    }

    @Test func signatureIsHMACOfTheFourParts() {
        let parts = [json("{\"msg_type\":\"x\"}"), json("{}"), json("{}"), json("{}")]
        var joined = Data()
        parts.forEach { joined.append($0) }
        #expect(codec.signature(parts) == HMAC.hex(HMAC.sha256(key: Array("secret-key".utf8), message: joined)))
        #expect(MessageCodec(key: "").signature(parts) == "")
    }

    @Test func wrongSignatureIsRejected() {
        let parts = [json("{\"msg_type\":\"execute_request\",\"msg_id\":\"1\"}"), json("{}"), json("{}"), json("{\"code\":\"x = 1\"}")]
        #expect(throws: MessageRejection.badSignature) { try codec.decode(signedFrames(parts, key: "other")).get() }
        var tampered = signedFrames(parts)
        tampered[tampered.count - 1] = json("{\"code\":\"x = 2\"}")
        #expect(throws: MessageRejection.badSignature) { try codec.decode(tampered).get() }
        var noSignature = signedFrames(parts)
        noSignature[2] = Data()
        #expect(throws: MessageRejection.badSignature) { try codec.decode(noSignature).get() }
    }

    @Test func replayedSignaturesAreRefused() throws {
        let history = SignatureHistory()
        let parts = [json("{\"msg_type\":\"execute_request\",\"msg_id\":\"1\"}"), json("{}"), json("{}"), json("{}")]
        let frames = signedFrames(parts)
        #expect(try codec.decode(frames, history: history).get().type == "execute_request")
        #expect(throws: MessageRejection.replayed) { try codec.decode(frames, history: history).get() }
        // A forgery with that signature is refused for its signature, and records nothing.
        var forged = frames
        forged[forged.count - 1] = json("{\"code\": \"x\"}")
        #expect(throws: MessageRejection.badSignature) { try codec.decode(forged, history: SignatureHistory()).get() }
    }

    @Test func signatureHistoryIsBounded() {
        let h = SignatureHistory(limit: 100)
        for k in 0..<1000 { #expect(h.insert("s\(k)")) }
        #expect(!h.insert("s999"))
        #expect(h.insert("s0"))  // long forgotten
    }

    @Test func emptyKeyTurnsVerificationOff() throws {
        let open = MessageCodec(key: "")
        let parts = [json("{\"msg_type\":\"kernel_info_request\"}"), json("{}"), json("{}"), json("{}")]
        let frames = [MessageCodec.delimiter, Data()] + parts
        #expect(try open.decode(frames).get().type == "kernel_info_request")
    }

    @Test func malformedFramesAreRejectedNotCrashedOn() {
        let ok = [json("{\"msg_type\":\"x\"}"), json("{}"), json("{}"), json("{}")]
        let cases: [[Data]] = [
            [],
            [Data("garbage".utf8)],
            [MessageCodec.delimiter],
            [MessageCodec.delimiter, Data("sig".utf8), json("{}")],
            signedFrames([json("{not json"), json("{}"), json("{}"), json("{}")]),
            signedFrames([json("[1, 2]"), json("{}"), json("{}"), json("{}")]),
            signedFrames([json("\"text\""), json("{}"), json("{}"), json("{}")]),
            signedFrames([json("{}"), json("{}"), json("{}"), json("{}")]),
            signedFrames([json("{\"msg_type\": 7}"), json("{}"), json("{}"), json("{}")]),
            signedFrames([ok[0], json("null"), json("{}"), json("{}")]),
            signedFrames([ok[0], json("{}"), json("{}"), Data([0xff, 0xfe])]),
        ]
        for frames in cases {
            guard case .failure(let why) = codec.decode(frames) else {
                Issue.record("accepted \(frames.count) frames")
                continue
            }
            #expect(why != .badSignature || frames.count < 6)
        }
    }

    @Test func buffersAfterTheContentAreKept() throws {
        let parts = [json("{\"msg_type\":\"comm_msg\"}"), json("{}"), json("{}"), json("{}")]
        let frames = signedFrames(parts) + [Data([1, 2, 3])]
        #expect(try codec.decode(frames).get().buffers == [Data([1, 2, 3])])
    }

    @Test func scalarsAreReadStrictly() throws {
        let parts = [json("{\"msg_type\":\"x\"}"), json("{}"), json("{}"),
                     json("{\"t\": true, \"one\": 1, \"half\": 1.5, \"s\": \"1\", \"big\": 1e300, \"n\": null}")]
        let c = try codec.decode(signedFrames(parts)).get().content
        #expect(c.bool("t") == true)
        #expect(c.int("t") == nil)
        #expect(c.bool("one") == nil)
        #expect(c.int("one") == 1)
        #expect(c.int("half") == nil)
        #expect(c.int("s") == nil)
        #expect(c.string("s") == "1")
        #expect(c.int("big") == nil)
        #expect(c.int("n") == nil && c.bool("n") == nil && c.string("n") == nil)
        #expect(c.int("missing") == nil)
    }

    @Test func replyCarriesTheParentHeader() throws {
        let request = codec.make("kernel_info_request", content: [:], parent: nil)
        let reply = codec.make("kernel_info_reply", content: ["status": "ok"], parent: request)
        #expect(reply.parentHeader.string("msg_id") == request.id)
        #expect(reply.id != request.id)
    }

    @Test func unencodableContentBecomesAnEmptyObject() {
        #expect(MessageCodec.json(["x": Double.nan]) == Data("{}".utf8))
    }
}
