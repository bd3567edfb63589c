import Foundation
import Synchronization

// Persistence: how values survive between runs (the notebook cache, `ValueCoder`), and
// which files a run read (cache keys and the report's provenance).
//
// Every value can be stored except a library object that does not conform to
// `PersistableObject` (and a closure capturing one): encoding it throws
// `PersistenceError.unsupported` with the reason, and the notebook then runs that cell
// without caching it.

/// A library object that can be written to the notebook cache and read back.
///
/// LTStdlib conforms its tensors, datasets, models, LT-Synth worlds, figures and tables,
/// and registers a decoder for each tag with `PersistenceRegistry.register(tag:decode:)`.
public protocol PersistableObject: LTObject {
    /// A stable name for the object's kind, e.g. `"tensor"`; part of the stored format.
    static var persistenceTag: String { get }
    /// The object's bytes; `PersistenceRegistry` decodes them with the tag's decoder.
    func persist() throws -> Data
}

/// Decoders for persisted library objects, by tag. Filled once per process by the
/// library (LTStdlib) before any cache is read.
public enum PersistenceRegistry {
    public typealias Decoder = @Sendable (Data) throws -> any LTObject
    /// A list, not a dictionary: there are a handful of tags, and building a dictionary's
    /// metadata at the first registration (every start-up) checked `String: Hashable` by
    /// scanning the binary's conformance table, 0.3 ms of each run.
    private static let decoders = Mutex<[(tag: String, decode: Decoder)]>([])

    /// Registers (or replaces) the decoder for `tag`.
    public static func register(tag: String, decode: @escaping Decoder) {
        decoders.withLock { list in
            if let i = list.firstIndex(where: { $0.tag == tag }) { list[i].decode = decode } else { list.append((tag, decode)) }
        }
    }

    /// The decoder for `tag`, if any.
    public static func decoder(for tag: String) -> Decoder? {
        decoders.withLock { list in list.first(where: { $0.tag == tag })?.decode }
    }
}

/// Why a value could not be stored or read back.
public enum PersistenceError: Error, CustomStringConvertible, Sendable {
    /// The value has no stored form (a non-persistable object, or a closure over one).
    case unsupported(String)
    /// The bytes are not a value this version can read.
    case corrupt(String)

    public var description: String {
        switch self {
        case .unsupported(let what): return "\(what) cannot be cached"
        case .corrupt(let why): return "corrupt cache entry: \(why)"
        }
    }
}

// MARK: - Files read

/// The data files a session read, with the SHA-256 of their contents at read time.
///
/// Every built-in that reads a user's file (`load_npy`, `load_csv`, ...) calls
/// `FileReadLog.of(interpreter).record(path:)` after reading it. The notebook runner uses
/// the log for cache keys (a cell is re-run when a file it read changes) and lists the
/// files in the report's provenance footer.
public final class FileReadLog {
    /// One file read: the path as given and the hex SHA-256 of its bytes.
    public struct Entry: Equatable, Sendable {
        public var path: String
        public var sha256: String
        public init(path: String, sha256: String) { self.path = path; self.sha256 = sha256 }
    }

    /// A file recorded by path, hashed when the log is first read: a data file can be
    /// gigabytes, and hashing it at every `load_npy` (with a second copy of its bytes in
    /// memory, as this did) cost more than the load itself; the REPL and `ltnb exec`
    /// never read the log, so they never hash.
    private enum Record: Equatable {
        case hashed(Entry)
        case pending(path: String, stamp: FileStamp?)
    }

    /// What identifies a file's current contents without reading them: device, inode,
    /// size and modification time. A hash is reused only for an unchanged stamp.
    struct FileStamp: Hashable {
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

        init?(path: String) {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
            size = Int64(st.st_size)
            seconds = Int(st.st_mtim.tv_sec)
            nanoseconds = Int(st.st_mtim.tv_nsec)
        }
    }

    private var records: [Record] = []
    private var hashes: [String: (stamp: FileStamp, sha256: String)] = [:]

    /// The files read, in order, each with the SHA-256 of its contents (computed now for
    /// files recorded by path, streamed, and reused while the file is unchanged).
    public var entries: [Entry] {
        records = records.map { r in
            guard case .pending(let path, let stamp) = r else { return r }
            return .hashed(Entry(path: path, sha256: hash(path, stamp)))
        }
        return records.map { r in
            if case .hashed(let e) = r { return e }
            return Entry(path: "", sha256: "")
        }
    }

    public init() {}

    private func hash(_ path: String, _ stamp: FileStamp?) -> String {
        guard let stamp else { return "" }
        if let known = hashes[path], known.stamp == stamp { return known.sha256 }
        let sha = SHA256.hex(fileAt: path) ?? ""
        // Keep the hash only if the file did not change while it was read.
        if FileStamp(path: path) == stamp { hashes[path] = (stamp, sha) }
        return sha
    }

    /// Records a file by path; its hash is taken when the log is read (see `entries`). A
    /// file that cannot be read is recorded with an empty hash (the read itself reports
    /// the error).
    public func record(path: String) {
        let r = Record.pending(path: path, stamp: FileStamp(path: path))
        if records.last != r { records.append(r) }
    }

    /// Records a file whose bytes the caller already holds (avoids reading it twice).
    public func record(path: String, contents: Data) { record(path: path, sha256: SHA256.hex(contents)) }

    /// Records a file with a known hash.
    public func record(path: String, sha256: String) {
        let r = Record.hashed(Entry(path: path, sha256: sha256))
        if records.last != r { records.append(r) }
    }

    /// Forgets every entry (the notebook runner clears the log before each cell).
    public func removeAll() { records.removeAll() }

    /// The session's log, created on first use; stored in `userData["fileReadLog"]`.
    public static func of(_ interpreter: Interpreter) -> FileReadLog {
        if let log = interpreter.userData["fileReadLog"] as? FileReadLog { return log }
        let log = FileReadLog()
        interpreter.userData["fileReadLog"] = log
        return log
    }
}
