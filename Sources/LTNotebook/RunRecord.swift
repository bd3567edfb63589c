import Foundation
import LTLang

/// What one `ltnb run --record FILE` leaves beside its report: the exit status, the first
/// error, and everything the report depends on (notebook, params, version, data files),
/// so a caller such as `ltnb sweep` can tell a failed run from a good one and a current
/// report from a stale one without parsing HTML.
public struct RunRecord: Codable, Equatable, Sendable {
    public struct FileRead: Codable, Equatable, Sendable {
        public var path: String
        public var sha256: String
    }

    /// 0, 1 or 2, as `ltnb run` exits.
    public var status: Int32
    public var ltnbVersion: String
    /// SHA-256 of the notebook's text; empty when it could not be read.
    public var notebookSHA: String
    /// The `-p` overrides as given, `name=value`, in command-line order.
    public var params: [String]
    /// The report written, as the run was asked to name it; nil when none was written.
    public var report: String?
    /// The first error (`file:line: message`), nil on success.
    public var error: String?
    /// Data files the cells read, as absolute paths, with their SHA-256.
    public var filesRead: [FileRead]

    public init(status: Int32, ltnbVersion: String, notebookSHA: String, params: [String], report: String? = nil,
                error: String? = nil, filesRead: [FileRead] = []) {
        self.status = status
        self.ltnbVersion = ltnbVersion
        self.notebookSHA = notebookSHA
        self.params = params
        self.report = report
        self.error = error
        self.filesRead = filesRead
    }

    /// Reads a record; nil when the file is missing or not a record.
    public static func read(_ path: String) -> RunRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(RunRecord.self, from: data)
    }

    /// Sorted keys and pretty printing: the same run gives the same bytes.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self) + Data("\n".utf8), to: URL(fileURLWithPath: path))
    }
}
