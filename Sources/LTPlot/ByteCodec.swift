/// Little-endian primitives behind the figure and table codecs (`Figure+Codec.swift`,
/// `Table+Codec.swift`).
///
/// Every read is bounds-checked and every length is checked against the bytes left before
/// anything is allocated, so a truncated or corrupt file is a `PlotError` naming the byte
/// offset, never a trap or a huge allocation from a lying length field.
struct PlotByteWriter {
    var bytes: [UInt8]

    /// Starts a buffer with the codec header: "LTPC", the kind byte, the version.
    init(kind: UInt8, version: UInt8) { bytes = Array("LTPC".utf8) + [kind, version] }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func u64(_ v: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }
    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    /// Doubles as bit patterns: NaN, infinities and -0 survive exactly.
    mutating func double(_ v: Double) { u64(v.bitPattern) }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        int(utf8.count)
        bytes.append(contentsOf: utf8)
    }
    mutating func strings(_ a: [String]) {
        int(a.count)
        for s in a { string(s) }
    }
    mutating func doubles(_ a: [Double]) {
        int(a.count)
        for v in a { double(v) }
    }
    /// A presence byte, then the value if present.
    mutating func optional<T>(_ v: T?, _ write: (inout PlotByteWriter, T) -> Void) {
        bool(v != nil)
        if let v { write(&self, v) }
    }
}

/// Reads what `PlotByteWriter` wrote; `what` ("figure", "table") names it in errors.
struct PlotByteReader {
    let bytes: [UInt8]
    let what: String
    private(set) var offset = 0

    /// Checks the header written by `PlotByteWriter(kind:version:)`.
    init(_ bytes: [UInt8], what: String, kind: UInt8, version: UInt8) throws {
        self.bytes = bytes
        self.what = what
        for m in Array("LTPC".utf8) {
            guard try u8() == m else { throw error("not LTPlot codec data (bad magic)", at: 0) }
        }
        let k = try u8()
        guard k == kind else { throw error("holds kind \(k), not a \(what) (\(kind))", at: 4) }
        let v = try u8()
        guard v == version else { throw error("format version \(v); this ltnb reads \(version)", at: 5) }
    }

    var remaining: Int { bytes.count - offset }

    func error(_ message: String, at position: Int? = nil) -> PlotError {
        PlotError("corrupt \(what) data at byte \(position ?? offset) of \(bytes.count): \(message)")
    }

    private mutating func take(_ n: Int) throws -> Int {
        guard n >= 0, n <= remaining else { throw error("truncated (needs \(n) more bytes, \(remaining) left)") }
        defer { offset += n }
        return offset
    }

    mutating func u8() throws -> UInt8 { bytes[try take(1)] }
    mutating func bool() throws -> Bool {
        let at = offset
        switch try u8() {
        case 0: return false
        case 1: return true
        case let b: throw error("a flag must be 0 or 1, found \(b)", at: at)
        }
    }
    mutating func u64() throws -> UInt64 {
        let start = try take(8)
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[start + i]) << (8 * UInt64(i)) }
        return v
    }
    mutating func int() throws -> Int { Int(Int64(bitPattern: try u64())) }
    mutating func double() throws -> Double { Double(bitPattern: try u64()) }

    /// A whole number in `range`; `name` says what it is in the error.
    mutating func int(in range: ClosedRange<Int>, _ name: String) throws -> Int {
        let at = offset
        let v = try int()
        guard range.contains(v) else {
            throw error("\(name) \(v) is outside \(range.lowerBound)...\(range.upperBound)", at: at)
        }
        return v
    }

    /// A count of items that each take at least `size` bytes, checked against the bytes left.
    mutating func count(elementSize size: Int) throws -> Int {
        let at = offset
        let n = try int()
        guard n >= 0, n <= remaining / max(size, 1) else {
            throw error("a count of \(n) items does not fit in the \(remaining) bytes left", at: at)
        }
        return n
    }

    mutating func string() throws -> String {
        let n = try count(elementSize: 1)
        let start = try take(n)
        return String(decoding: bytes[start..<(start + n)], as: UTF8.self)
    }
    mutating func strings() throws -> [String] {
        try (0..<count(elementSize: 8)).map { _ in try string() }
    }
    mutating func doubles() throws -> [Double] {
        try (0..<count(elementSize: 8)).map { _ in try double() }
    }
    mutating func optional<T>(_ read: (inout PlotByteReader) throws -> T) throws -> T? {
        try bool() ? try read(&self) : nil
    }
    /// Reads `count` items, each with `read`.
    mutating func list<T>(elementSize: Int, _ read: (inout PlotByteReader) throws -> T) throws -> [T] {
        let n = try count(elementSize: elementSize)
        var out: [T] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try read(&self)) }
        return out
    }

    /// Throws unless every byte was read.
    func finish() throws {
        if remaining != 0 { throw error("\(remaining) unexpected bytes after the end") }
    }
}
