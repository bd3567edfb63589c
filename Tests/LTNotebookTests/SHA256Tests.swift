import Foundation
import LTLang
import Testing

/// The SHA-256 behind cache keys and provenance, against FIPS 180-4 test vectors.
@Suite struct SHA256Tests {
    @Test func matchesKnownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func handlesLengthsAroundTheBlockBoundary() {
        // 55, 56 and 64 bytes exercise the padding edge cases.
        #expect(SHA256.hex(String(repeating: "a", count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex(String(repeating: "a", count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(SHA256.hex(String(repeating: "a", count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test func hashesASliceByItsOwnBytes() {
        // Blocks are read in place, so a slice that does not start at 0 must hash as itself.
        let padded = Data(("xyz" + String(repeating: "a", count: 1_000_000)).utf8)
        #expect(SHA256.hex(padded.dropFirst(3)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.hex(Data("--abc".utf8).dropFirst(2)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// A file is hashed streamed, 4 MiB at a time: the same digest as its bytes in memory
    /// at lengths around a block and around the read buffer.
    @Test func hashesAFileStreamedAsItsBytes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for n in [0, 1, 63, 64, 65, 4 << 20, (4 << 20) + 7, (8 << 20) + 100] {
            let bytes = Data((0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) })
            let url = dir.appendingPathComponent("f\(n)")
            try bytes.write(to: url)
            #expect(SHA256.hex(fileAt: url.path) == SHA256.hex(bytes), "\(n) bytes")
        }
        #expect(SHA256.hex(fileAt: dir.appendingPathComponent("missing").path) == nil)
    }

    /// The read log hashes when read, reuses the hash of an unchanged file, and sees a change.
    @Test func fileReadLogHashesLazilyAndSeesChanges() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("one".utf8).write(to: url)
        let log = FileReadLog()
        log.record(path: url.path)
        log.record(path: url.path)   // the same file twice in a row is one entry
        #expect(log.entries == [FileReadLog.Entry(path: url.path, sha256: SHA256.hex("one"))])
        try Data("two!".utf8).write(to: url)
        log.record(path: url.path)
        #expect(log.entries.map(\.sha256) == [SHA256.hex("one"), SHA256.hex("two!")])
        log.record(path: url.path + ".missing")
        #expect(log.entries.last == FileReadLog.Entry(path: url.path + ".missing", sha256: ""))
        log.removeAll()
        #expect(log.entries.isEmpty)
    }
}
