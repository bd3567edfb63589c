import LTLang
import LTStdlib
import Testing

/// Every built-in's documented example runs and shows exactly its stated result.
@Suite struct BuiltinExampleTests {
    static var names: [String] { Stdlib.allBuiltins.map(\.name) }

    @Test(arguments: names)
    func example(_ name: String) throws {
        let b = try #require(Stdlib.allBuiltins.first { $0.name == name })
        let (out, err) = GoldenRunner.run(b.example, name: "example:\(name)")
        #expect(err == "", "example of \(name) failed: \(err)")
        let shown = out.hasSuffix("\n") ? String(out.dropLast()) : out
        #expect(shown == b.exampleResult, "example of \(name): \(b.example)")
    }

    @Test func everyBuiltinIsDocumented() {
        for b in Stdlib.allBuiltins {
            #expect(!b.summary.isEmpty && b.summary.hasSuffix("."), "\(b.name) needs a one-sentence summary")
            #expect(!b.example.isEmpty, "\(b.name) needs an example")
            for p in b.parameters { #expect(!p.doc.isEmpty, "\(b.name)(\(p.name)) needs a doc") }
        }
    }
}
