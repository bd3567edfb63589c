import Foundation

/// Writes files so that a reader never sees a half-written figure or table.
///
/// The text goes to a temporary file in the destination's own directory (so the final
/// `rename(2)` stays on one file system and is atomic), and only then replaces the target.
enum AtomicWrite {
    /// Writes `text` as UTF-8 to `path`, replacing any existing file in one step.
    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue
        else { throw PlotError("cannot write '\(path)': directory '\(dir.path)' does not exist") }
        let temp = dir.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(text.utf8).write(to: temp)
        } catch {
            throw PlotError("cannot write '\(path)': \(error.localizedDescription)")
        }
        if rename(temp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw PlotError("cannot write '\(path)': \(reason)")
        }
    }
}
