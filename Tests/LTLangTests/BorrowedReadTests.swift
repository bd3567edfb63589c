@testable import LTLang
import Testing

/// The hot-path reads that skip reference counting (`BorrowedPayload`, `Frame.withAncestor`,
/// the slot setter that skips releasing nil, bools and numbers, `discard`): the layout they
/// rely on holds, they read what the ordinary path reads, and nothing leaks or is freed
/// early when a slot changes between kinds of value.
@Suite struct BorrowedReadTests {
    static func run(_ text: String, _ i: Interpreter = Interpreter(builtins: [])) -> String {
        do { return try i.evaluate(SourceFile(name: "t.lt", text: text))?.displayText ?? "nil" } catch {
            return "\(error.kind): \(error.description)"
        }
    }

    @Test func layoutTheBorrowedReadsRelyOnHolds() {
        // If either fails, the readers fall back to retaining (correct, slower): the test
        // says so rather than letting the fast path disappear unnoticed.
        #expect(BorrowedPayload.layoutHolds)
        #expect(MemoryLayout<FrameHeader>.offset(of: \FrameHeader.parent) == 0)
    }

    @Test func elementAndFieldReadsInLoopsMatchTheGeneralPath() {
        // The list is replaced mid-loop: each read sees the list the slot holds then.
        #expect(Self.run("xs = [1, 2, 3]\ns = 0\nfor k in [0, 1, 2] { s += xs[k]; xs = [10, 20, 30] }\ns") == "51")
        #expect(Self.run("fn f() { let xs = [1, 2, 3]; let s = 0; for k in [0, 1, 2] { s += xs[k] }; s }\nf()") == "6")
        #expect(Self.run("fn f() { let c = {p: \"a\", d: 2}; let n = 0; for k in [0, 1, 2, 3] { if c.p == \"a\" and c.d == 2 { n += 1 } }; n }\nf()") == "4")
        // Not a whole number, out of range, not a list: the general path's errors.
        #expect(Self.run("xs = [1, 2]\nk = 0.5\nxs[k]").contains("must be a whole number, got 0.5"))
        #expect(Self.run("xs = [1, 2]\nfor k in [0, 1, 2] { xs[k] }").contains("out of range"))
        #expect(Self.run("fn f() { let c = 3; c.p }\nf()").contains("3 has no field 'p'"))
        #expect(Self.run("undefinedName[0]").contains("unknown name 'undefinedName'"))
    }

    @Test func capturedVariablesAreReadAndWrittenThroughTheChain() {
        let program = """
        fn outer() {
          let total = 0
          let step = 2
          fn middle() {
            fn inner(x) { total += x * step; total }
            inner(1); inner(2)
          }
          middle()
          total
        }
        outer()
        """
        #expect(Self.run(program) == "6")
        #expect(Self.run("fn a() { let v = \"s\"; fn b() { fn c() { v = v + \"!\"; v }; c() }; b() }\na()") == "\"s!\"")
    }

    @Test func aSlotChangingKindReleasesWhatItHeld() {
        let i = Interpreter(builtins: [])
        _ = Self.run("r = {a: 1}\nxs = [r]", i)
        weak var record: RecordBox?
        weak var list: ListBox?
        if case .record(let box)? = i.global("r") { record = box }
        if case .list(let box)? = i.global("xs") { list = box }
        #expect(record != nil && list != nil)
        // Number over record, record over number, loop variable over a list: each store
        // takes the path for what the slot held.
        _ = Self.run("fn f() { let c = xs[0]; c = 1; c = xs; c = true; 0 }\nf()\nr = 0\nfor xs in [0, 1] { }\nxs = nil", i)
        #expect(record == nil)
        #expect(list == nil)
    }
}
