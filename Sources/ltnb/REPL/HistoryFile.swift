import Foundation

/// The REPL history on disk: plain UTF-8 text, one entry per line. The second and later
/// lines of a multi-line entry start with a tab, so `fn f() {` / `\tx + 1` / `\t}` is one
/// entry. Entries are stored trimmed, so a first line never starts with a tab.
///
/// Every entry is appended as it is made: open with O_APPEND, one write, close. Two
/// sessions can share the file and a crash loses nothing. Writers take an exclusive
/// `flock`; the file is trimmed to `limit` entries at start-up by writing a new file
/// and renaming it over the old one, so a reader never sees half a file.
struct HistoryFile {
    let path: String
    var limit = 10_000

    /// `$LTNB_HISTORY`, else `~/.ltnb_history`; nil when neither can be found.
    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let p = environment["LTNB_HISTORY"], !p.isEmpty { return p }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.ltnb_history" }
        return nil
    }

    /// The entries in the file, oldest first; trims the file when it holds more than `limit`.
    func load() -> [String] {
        guard let data = Self.read(path) else { return [] }
        let entries = Self.decode(data)
        guard entries.count > limit else { return entries }
        trim()
        return Array(entries.suffix(limit))
    }

    /// Appends one entry (no-op for blank ones).
    func append(_ entry: String) {
        let record = Self.encode(entry)
        guard !record.isEmpty else { return }
        withLockedFile { fd in
            _ = Self.writeAll(fd, Array((record + "\n").utf8))
        }
    }

    /// One entry as file text: trimmed, later lines prefixed with a tab.
    static func encode(_ entry: String) -> String {
        let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0 == 0 ? String($1) : "\t" + $1 }.joined(separator: "\n")
    }

    static func decode(_ text: String) -> [String] { decode(Data(text.utf8)) }

    /// Works on bytes: start-up reads up to `limit` entries, and per-line String and
    /// Foundation calls made a full file cost a quarter of a second.
    static func decode(_ data: Data) -> [String] {
        var entries: [String] = []
        var current: [UInt8] = []
        let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
        func flush() {
            if !current.isEmpty { entries.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != newline { end += 1 }
                let line = bytes[start..<end]
                if line.first == tab, !current.isEmpty {
                    current.append(newline)
                    current.append(contentsOf: line.dropFirst())
                } else if line.contains(where: { $0 != UInt8(ascii: " ") && $0 != tab && $0 != UInt8(ascii: "\r") }) {
                    flush()
                    current.append(contentsOf: line)
                }
                start = end + 1
            }
        }
        flush()
        return entries
    }

    // MARK: - File access

    /// Opens the file for appending under an exclusive lock. If another session renamed a
    /// trimmed copy over it between our open and our lock, reopen the new file.
    private func withLockedFile(_ body: (Int32) -> Void) {
        for _ in 0..<3 {
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            defer { close(fd) }
            guard flock(fd, LOCK_EX) == 0 else { return }
            var opened = stat(), current = stat()
            if fstat(fd, &opened) == 0, stat(path, &current) == 0,
               opened.st_ino != current.st_ino || opened.st_dev != current.st_dev {
                continue  // replaced while we waited for the lock
            }
            body(fd)
            return
        }
    }

    /// Rewrites the file with its newest `limit` entries, re-read under the lock so an
    /// entry another session appended meanwhile is kept.
    private func trim() {
        withLockedFile { _ in
            guard let data = Self.read(path) else { return }
            let entries = Self.decode(data).suffix(limit)
            let temp = path + ".tmp-\(getpid())"
            let text = entries.map(Self.encode).joined(separator: "\n") + "\n"
            let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            let ok = Self.writeAll(fd, Array(text.utf8)) && fsync(fd) == 0
            close(fd)
            if !ok || rename(temp, path) != 0 { unlink(temp) }
        }
    }

    /// The whole file with plain read(2): cheaper at start-up than FileManager.
    private static func read(_ path: String) -> Data? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data.append(contentsOf: chunk[..<n])
        }
        return data
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
