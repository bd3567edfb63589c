import Foundation
import LTLang

/// The per-cell cache (NOTEBOOK.md "Execution"): an entry holds a cell's outputs, the
/// bindings it made or changed, and the files it read with their SHA-256. It lives in
/// `<output dir>/.ltnb-cache/<notebook>/` and is safe to delete.
///
/// Keys chain: a cell's lookup key hashes the ltnb version, its source and options, the
/// params and seed, and the key of everything before it (previous cells and inline
/// expressions). Files a cell reads are only known after it runs, so they are checked at
/// lookup: an entry whose files changed is a miss. The key passed on to the next cell
/// also covers those file hashes, so a changed file re-runs every cell after it too.
///
/// An entry is one file, `<key>.entry`: the magic `LTNB-CACHE`, the format version, the
/// SHA-256 of everything after it, the manifest's length, the manifest (JSON) and the
/// bindings (`ValueCoder`). The checksum makes any truncation or flipped byte a miss
/// before the bindings are decoded, so a damaged entry re-runs its cell instead of
/// restoring wrong values.
struct CellCache {
    let directory: URL

    struct Entry: Codable {
        var outputs: [CellOutput]
        var files: [File]
        var bindings: [String]
        struct File: Codable { var path: String; var sha256: String }
    }

    /// 2: one checksummed file per entry; bindings may hold functions and library objects.
    static let version: UInt8 = 2
    static let magic = Array("LTNB-CACHE".utf8)

    /// Builds the lookup key from the pieces that decide a cell's result.
    static func key(previous: String, cell: Cell, params: String, seed: UInt64, ltnbVersion: String) -> String {
        SHA256.hex(["ltnb-cache", "\(version)", ltnbVersion, previous, params, "\(seed)", cell.optionText, cell.evaluatedCode]
            .map { "\($0.utf8.count):\($0)" }.joined(separator: "\n"))
    }

    /// The key after a cell, covering the files it read.
    static func chain(_ key: String, files: [FileReadLog.Entry]) -> String {
        SHA256.hex(([key] + files.map { "\($0.path)\u{0}\($0.sha256)" }).joined(separator: "\n"))
    }

    func url(_ key: String) -> URL { directory.appendingPathComponent("\(key).entry") }

    enum Lookup {
        case hit(Entry, Data)
        case miss(String)
    }

    func lookup(_ key: String) -> Lookup {
        guard let file = FileManager.default.contents(atPath: url(key).path) else {
            return .miss("no entry for this cell's code, options, params and earlier cells")
        }
        let entry: Entry, bindings: Data
        switch CellCache.unpack(file) {
        case .success(let (e, b)): (entry, bindings) = (e, b)
        case .failure(let why): return .miss("the cache entry is unreadable (\(why.message)); the cell re-runs and replaces it")
        }
        for file in entry.files {
            let now = FileManager.default.contents(atPath: file.path).map { SHA256.hex($0) } ?? ""
            if now != file.sha256 { return .miss("file '\(file.path)' changed since the entry was stored") }
        }
        return .hit(entry, bindings)
    }

    /// Writes an entry atomically.
    func store(_ key: String, entry: Entry, bindings: Data) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(try CellCache.pack(entry, bindings: bindings), to: url(key))
    }

    struct UnpackError: Error { let message: String }

    /// The entry file's bytes.
    static func pack(_ entry: Entry, bindings: Data) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let manifest = try encoder.encode(entry)
        var body = Data()
        var n = UInt64(manifest.count).littleEndian
        withUnsafeBytes(of: &n) { body.append(contentsOf: $0) }
        body.append(manifest)
        body.append(bindings)
        return Data(magic) + [version] + SHA256.digest(body) + body
    }

    /// The manifest and bindings of an entry file, or why it cannot be used.
    static func unpack(_ file: Data) -> Result<(Entry, Data), UnpackError> {
        let bytes = [UInt8](file)
        let header = magic.count + 1 + 32
        guard bytes.count >= header + 8, Array(bytes[0..<magic.count]) == magic else {
            return .failure(UnpackError(message: "not a cache entry, or truncated to \(bytes.count) bytes"))
        }
        guard bytes[magic.count] == version else {
            return .failure(UnpackError(message: "format version \(bytes[magic.count]), this ltnb writes \(version)"))
        }
        let body = Data(bytes[header...])
        guard SHA256.digest(body) == Array(bytes[(magic.count + 1)..<header]) else {
            return .failure(UnpackError(message: "checksum mismatch: the file is truncated or damaged"))
        }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[header + i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - header - 8) else {
            return .failure(UnpackError(message: "manifest length \(n) exceeds the file"))
        }
        let start = header + 8, end = start + Int(n)
        guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(bytes[start..<end])) else {
            return .failure(UnpackError(message: "the manifest is not valid JSON"))
        }
        return .success((entry, Data(bytes[end...])))
    }
}

/// Atomic writes: a temporary file in the same directory, then rename(2), so a reader (or
/// an interrupted run) never leaves a half-written file in place of the last good one.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try data.write(to: temp)
        if rename(temp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot write '\(url.path)': \(reason)"])
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: URL(fileURLWithPath: path))
    }
}
