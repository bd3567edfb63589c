import Foundation
import LTLang
import LTStdlib
import Testing

/// Walks Golden/: each `<case>.lt` runs in a fresh interpreter; its output must equal
/// `<case>.out`, and its diagnostic (if any) `<case>.err`, byte for byte.
/// LTNB_RECORD=1 writes the files from the current behaviour instead.
@Suite struct GoldenProgramTests {
    static var cases: [String] {
        guard let root = Bundle.module.url(forResource: "Golden", withExtension: nil),
              let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var out: [String] = []
        for case let url as URL in walker where url.pathExtension == "lt" {
            out.append(String(url.path.dropFirst(root.path.count + 1)))
        }
        return out.sorted()
    }

    @Test(arguments: cases)
    func golden(_ path: String) throws {
        let root = try #require(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let url = root.appendingPathComponent(path)
        let source = try String(contentsOf: url, encoding: .utf8)
        let (out, err) = GoldenRunner.run(source, name: path)
        let base = url.deletingPathExtension()
        if ProcessInfo.processInfo.environment["LTNB_RECORD"] != nil {
            let sourceDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
            let target = sourceDir.appendingPathComponent(path).deletingPathExtension()
            try out.write(to: target.appendingPathExtension("out"), atomically: true, encoding: .utf8)
            if err.isEmpty { try? FileManager.default.removeItem(at: target.appendingPathExtension("err")) }
            else { try err.write(to: target.appendingPathExtension("err"), atomically: true, encoding: .utf8) }
            return
        }
        let expectedOut = (try? String(contentsOf: base.appendingPathExtension("out"), encoding: .utf8)) ?? ""
        let expectedErr = (try? String(contentsOf: base.appendingPathExtension("err"), encoding: .utf8)) ?? ""
        #expect(out == expectedOut, "stdout of \(path)")
        #expect(err == expectedErr, "diagnostic of \(path)")
    }
}

/// Runs a program the way `ltnb exec` does and captures what it shows.
enum GoldenRunner {
    static func run(_ source: String, name: String) -> (out: String, err: String) {
        runWithLargeStack {
            let sink = BufferSink()
            let interpreter = Stdlib.makeInterpreter(sink: sink)
            var err = ""
            do {
                if let v = try interpreter.evaluate(SourceFile(name: name, text: source)) { sink.emit(.value(v)) }
            } catch let error as Diagnostic {
                err = DiagnosticRenderer.render(error)
            } catch {
                err = "\(error)"
            }
            return (sink.text, err)
        }
    }
}
