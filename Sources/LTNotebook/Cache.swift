import Foundation
import LTLang

/// The per-cell cache (NOTEBOOK.md "Execution"): an entry holds a cell's outputs, the
/// bindings it made or changed, and the files it read with their SHA-256. It lives in `<output dir>/.ltnb-cache/<notebook>/` and is safe
/// to delete.
///
/// Keys chain: a cell's lookup key hashes the ltnb version, its source and options, the
/// params and seed, and the key of everything before it (previous cells and inline
/// expressions). Files a cell reads are only known after it runs, so they are checked at
/// lookup: an entry whose files changed is a miss. The key passed on to the next cell
/// also covers those file hashes, so a changed file re-runs every cell after it too.
struct CellCache {
    let directory: URL

    struct Entry: Codable {
        var version: Int
        var outputs: [CellOutput]
        var files: [File]
        var bindings: [String]
        struct File: Codable { var path: String; var sha256: String }
    }

    static let version = 1

    /// Builds the lookup key from the pieces that decide a cell's result.
    static func key(previous: String, cell: Cell, params: String, seed: UInt64, ltnbVersion: String) -> String {
        SHA256.hex(["ltnb-cache", "\(version)", ltnbVersion, previous, params, "\(seed)", cell.optionText, cell.evaluatedCode]
            .map { "\($0.utf8.count):\($0)" }.joined(separator: "\n"))
    }

    /// The key after a cell, covering the files it read.
    static func chain(_ key: String, files: [FileReadLog.Entry]) -> String {
        SHA256.hex(([key] + files.map { "\($0.path)\u{0}\($0.sha256)" }).joined(separator: "\n"))
    }

    private func url(_ key: String, _ ext: String) -> URL { directory.appendingPathComponent("\(key).\(ext)") }

    enum Lookup {
        case hit(Entry, Data)
        case miss(String)
    }

    func lookup(_ key: String) -> Lookup {
        guard let json = FileManager.default.contents(atPath: url(key, "json").path) else {
            return .miss("no entry for this cell's code, options, params and earlier cells")
        }
        guard let entry = try? JSONDecoder().decode(Entry.self, from: json), entry.version == CellCache.version,
              let data = FileManager.default.contents(atPath: url(key, "bin").path) else {
            return .miss("the cache entry is unreadable")
        }
        for file in entry.files {
            let now = FileManager.default.contents(atPath: file.path).map { SHA256.hex($0) } ?? ""
            if now != file.sha256 { return .miss("file '\(file.path)' changed since the entry was stored") }
        }
        return .hit(entry, data)
    }

    /// Writes an entry (JSON manifest plus the encoded bindings), each file atomically.
    func store(_ key: String, entry: Entry, bindings: Data) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(bindings, to: url(key, "bin"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(entry), to: url(key, "json"))
    }
}

/// Atomic writes: a temporary file in the same directory, then rename(2), so a reader (or
/// an interrupted run) never leaves a half-written file in place of the last good one.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws {
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

    static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: URL(fileURLWithPath: path))
    }
}
