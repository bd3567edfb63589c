import Foundation

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

    /// The 32-byte digest of `data`. Whole blocks are read in place (cache entries and data
    /// files run to tens of megabytes); only the last one or two padded blocks are copied.
    public static func digest(_ data: Data) -> [UInt8] {
        var h = initialState
        let whole = data.count / 64 * 64
        data.withUnsafeBytes { compress(&h, $0, blocks: whole / 64) }
        return finish(&h, tail: [UInt8](data.suffix(data.count - whole)), totalBytes: data.count)
    }

    /// The hex digest of a file's bytes, read 4 MiB at a time so memory stays flat
    /// whatever the file's size (data files run to gigabytes); nil if it cannot be read.
    public static func hex(fileAt path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { _ = close(fd) }
        let cap = 4 << 20
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: cap, alignment: 64)
        defer { buf.deallocate() }
        guard let base = buf.baseAddress else { return nil }
        var h = initialState
        var fill = 0, total = 0
        while true {
            let r = read(fd, base + fill, cap - fill)
            if r < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if r == 0 { break }
            fill += r
            total += r
            let whole = fill / 64 * 64
            compress(&h, UnsafeRawBufferPointer(start: base, count: whole), blocks: whole / 64)
            if whole < fill { memmove(base, base + whole, fill - whole) }
            fill -= whole
        }
        let tail = [UInt8](UnsafeRawBufferPointer(start: base, count: fill))
        return finish(&h, tail: tail, totalBytes: total).map { String(format: "%02x", $0) }.joined()
    }

    private static let initialState: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]

    /// Pads the last partial block (`tail`, under 64 bytes) and returns the digest.
    private static func finish(_ h: inout [UInt32], tail: [UInt8], totalBytes: Int) -> [UInt8] {
        var tail = tail
        let bitLength = UInt64(totalBytes) &* 8
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        tail.withUnsafeBytes { compress(&h, $0, blocks: tail.count / 64) }
        return h.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
    }

    /// Runs the compression function over the first `blocks` 64-byte blocks of `bytes`.
    private static func compress(_ state: inout [UInt32], _ bytes: UnsafeRawBufferPointer, blocks: Int) {
        guard blocks > 0, let base = bytes.baseAddress, bytes.count >= 64 * blocks else { return }
        var w = [UInt32](repeating: 0, count: 64)
        k.withUnsafeBufferPointer { k in
            w.withUnsafeMutableBufferPointer { w in
                var (h0, h1, h2, h3, h4, h5, h6, h7) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
                for block in 0..<blocks {
                    let p = base + 64 * block
                    for i in 0..<16 { w[i] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
                    for i in 16..<64 {
                        let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                        let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                    }
                    var (a, b, c, d, e, f, g, hh) = (h0, h1, h2, h3, h4, h5, h6, h7)
                    for i in 0..<64 {
                        let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                        let ch = (e & f) ^ (~e & g)
                        let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
                        let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                        let maj = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = s0 &+ maj
                        (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                    }
                    h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
                    h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= hh
                }
                state = [h0, h1, h2, h3, h4, h5, h6, h7]
            }
        }
    }

    /// The digest as 64 lowercase hex digits.
    public static func hex(_ data: Data) -> String {
        digest(data).map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of a string's UTF-8 bytes, as hex.
    public static func hex(_ text: String) -> String { hex(Data(text.utf8)) }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
