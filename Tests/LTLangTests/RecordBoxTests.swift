@testable import LTLang
import Testing

/// Records scan their keys when small and hash them from `hashedFrom` fields on; records of
/// one literal share a keys buffer until one of them changes its fields.
@Suite struct RecordBoxTests {
    @Test func findsFieldsBelowAndAboveTheHashThreshold() {
        let r = RecordBox()
        for i in 0..<(RecordBox.hashedFrom + 3) {
            r["f\(i)"] = .number(Double(i))
            for j in 0...i { #expect(r["f\(j)"]?.asNumber == Double(j)) }
            #expect(r["missing"] == nil)
        }
        var hint = 0
        #expect(r.field("f10", hint: &hint)?.asNumber == 10)
        #expect(hint == 10)
        // Removing fields drops below the threshold again; order is kept.
        for i in stride(from: RecordBox.hashedFrom + 2, through: 2, by: -1) { r["f\(i)"] = nil }
        #expect(r.keys == ["f0", "f1"])
        #expect(r["f1"]?.asNumber == 1)
        #expect(r["f5"] == nil)
    }

    @Test func recordsOfOneLiteralStayApartWhenOneChanges() throws {
        let interpreter = Interpreter(builtins: [])
        let v = try interpreter.evaluate(SourceFile(name: "t", text: """
            mk = fn(x) => {p: x, q: x * 2}
            a = mk(1)
            b = mk(2)
            a.r = 5
            b.q = 9
            [a, b, a.q, b.p]
            """))
        #expect(v?.displayText == "[{p: 1, q: 2, r: 5}, {p: 2, q: 9}, 2, 2]")
    }
}

private extension Value {
    var asNumber: Double? { if case .number(let n) = self { return n } else { return nil } }
}
