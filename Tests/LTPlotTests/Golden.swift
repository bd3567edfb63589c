import Foundation
import Testing

/// Golden-file assertions: rendered text is compared byte for byte with a file under
/// `Golden/`. Set `LTNB_RECORD=1` to re-record; a missing golden is recorded and the test
/// fails, so a new golden is always reviewed before it is trusted.
enum Golden {
    static var recording: Bool { ProcessInfo.processInfo.environment["LTNB_RECORD"] == "1" }

    /// Where goldens live in the source tree (recording writes here, not into the bundle).
    static func sourceURL(_ name: String, filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden").appendingPathComponent(name)
    }

    /// The golden as copied into the test bundle at build time.
    static func expected(_ name: String) -> String? {
        guard let dir = Bundle.module.url(forResource: "Golden", withExtension: nil) else { return nil }
        return try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = expected(name)
        if recording || expected == nil {
            do {
                try actual.write(to: sourceURL(name), atomically: true, encoding: .utf8)
            } catch {
                Issue.record("could not record golden \(name): \(error)", sourceLocation: sourceLocation)
                return
            }
            if expected == nil && !recording {
                Issue.record("recorded missing golden \(name); review it and re-run", sourceLocation: sourceLocation)
            }
            return
        }
        if actual != expected {
            Issue.record("""
                \(name) differs from its golden (re-record with LTNB_RECORD=1 if intended)
                --- expected
                \(expected ?? "")
                --- actual
                \(actual)
                """, sourceLocation: sourceLocation)
        }
    }
}
