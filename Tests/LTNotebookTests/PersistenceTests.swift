import Foundation
import LTLang
import LTStdlib
import Testing

/// The cache's value format: scalars, containers with shared identity and cycles,
/// built-ins by name; closures refused.
@Suite struct PersistenceTests {
    @Test func roundTripsValuesKeepingSharedContainers() throws {
        let interp = Stdlib.makeInterpreter()
        let shared = ListBox([.number(1), .string("a")])
        let record = RecordBox([("xs", .list(shared)), ("ok", .bool(true)), ("none", .nil)])
        shared.items.append(.list(shared))  // a cycle
        let data = try ValueCoder.encode([.list(shared), .record(record), .number(0.1), .function(Function(builtin: interp.builtins[0]))])
        let back = try ValueCoder.decode(data, interpreter: interp)
        guard case .list(let l) = back[0], case .record(let r) = back[1], case .list(let inner)? = r["xs"] else {
            Issue.record("wrong shapes"); return
        }
        #expect(l === inner)
        guard case .list(let cyc) = l.items[2] else { Issue.record("no cycle"); return }
        #expect(cyc === l)
        #expect(back[2].displayText == "0.1")
        #expect(back[3].displayText == Value.function(Function(builtin: interp.builtins[0])).displayText)
    }

    @Test func refusesUserFunctions() throws {
        let interp = Stdlib.makeInterpreter()
        let f = try #require(try interp.evaluate(SourceFile(name: "t", text: "fn(x) => x")))
        #expect(ValueCoder.unsupportedReason(f) != nil)
        #expect(throws: PersistenceError.self) { try ValueCoder.encode([.list([f])]) }
    }

    @Test func fileReadLogHashesContents() throws {
        let interp = Stdlib.makeInterpreter()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ltnb-log-\(getpid()).txt").path
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileReadLog.of(interp).record(path: path)
        #expect(FileReadLog.of(interp).entries == [.init(path: path, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")])
    }
}
