@testable import LTLang
import Testing

/// `let c = xs[k]` that borrows the element (Compiler+BorrowedLet) and `c.p == p` compared
/// in place (Compiler+PlaceComparison): chosen exactly where nothing can free the borrowed
/// value, computing what the ordinary code computes, and leaving no reference behind (a
/// leak keeps a weak reference alive; a release too many crashes the test run).
@Suite struct BorrowedLetTests {
    static func run(_ text: String, _ i: Interpreter = Interpreter(builtins: [])) -> String {
        do { return try i.evaluate(SourceFile(name: "t.lt", text: text))?.displayText ?? "nil" } catch {
            return "\(error.kind): \(error.description)"
        }
    }

    /// How many borrowing lets, loops and in-place comparisons compiling `text` builds.
    static func shapes(_ text: String) throws -> (lets: Int, loops: Int, comparisons: Int) {
        let i = Interpreter(builtins: [])
        let file = SourceFile(name: "t.lt", text: text)
        let block = try Parser.parseUnit(file)
        let compiler = Compiler(file: file, interpreter: i, checking: false)
        _ = try compiler.compileUnit(block)
        return (compiler.borrowedLets, compiler.borrowedLoops, compiler.placeComparisons)
    }

    @Test func theLayoutsTheFastPathsRelyOnHold() {
        #expect(BorrowedPayload.layoutHolds)
        #expect(StringBits.layoutHolds)
    }

    @Test func aLetBorrowsOnlyWhenNothingAfterItCanFreeTheList() throws {
        let loop = "xs = [{p: 1}]\nfn f() { for k in [0] { let c = xs[k]; BODY } }"
        let borrowing = [
            "if c.p == 1 { 2 }", "let n = c.p + 1", "s = c.p", "for j in [1] { c.p }", "while false { }",
            "if c.p > 0 { return c }", "\"{c}\"", "[c, {q: c}]", "break",
        ]
        for body in borrowing {
            #expect(try Self.shapes(loop.replacingOccurrences(of: "BODY", with: body)).lets == 1, "\(body)")
        }
        let refusing = [
            "print(c)",          // a call can run anything
            "fn g() { c }",      // a function could outlive the block
            "xs[0] = 1",         // frees the element
            "c.p = 2",           // an assignment to a field
            "xs = []",           // frees the list
            "c = 1",             // rebinds the borrowing name
            "for xs in [1] { }", // binds the list's name
            "[1] |> len",        // a call, piped
        ]
        for body in refusing {
            #expect(try Self.shapes(loop.replacingOccurrences(of: "BODY", with: body)).lets == 0, "\(body)")
        }
        // At the top level `c` is a global, so the let stays as it is; so does a last
        // statement (nothing follows to borrow for) and an index that is an expression.
        #expect(try Self.shapes("xs = [1]\nlet c = xs[0]\nc").lets == 0)
        #expect(try Self.shapes("xs = [1]\nfn f() { let c = xs[0] }").lets == 0)
        #expect(try Self.shapes("xs = [1]\nfn f(k) { let c = xs[k + 1]; c }").lets == 0)
    }

    @Test func aBorrowingLetComputesWhatTheOrdinaryOneDoes() throws {
        let program = """
        groups = ["many", "medium", "few"]
        info = []
        k = 0
        while k < 30 { info = info + [{p: groups[k % 3], d: groups[((k - k % 3) / 3) % 3], v: k}]; k += 1 }
        fn id(x) { x }
        fn count(p, d) {
          let s = 0
          let k = 0
          while k < 30 {
            let c = info[k]
            if c.p == p and c.d == d { s += c.v }
            k += 1
          }
          s
        }
        [count("many", "many"), count("few", "medium"), count("medium", "nope")]
        """
        #expect(try Self.shapes(program).lets == 1)
        #expect(Self.run(program) == "[54, 42, 0]")
        // The same with the borrow refused (a call in the body) gives the same numbers.
        let refused = program.replacingOccurrences(of: "s += c.v", with: "s += id(c.v)")
        #expect(try Self.shapes(refused).lets == 0)
        #expect(Self.run(refused) == "[54, 42, 0]")
    }

    @Test func everyWayOutOfTheBlockGivesBackTheSlot() {
        let i = Interpreter(builtins: [])
        _ = Self.run("r = {a: 1}\nxs = [r, {a: 2}, {a: 3}]", i)
        weak var record: RecordBox?
        if case .record(let box)? = i.global("r") { record = box }
        #expect(record != nil)
        // Value, break, continue, return of the borrowed value, and an error in the block.
        #expect(Self.run("fn f(k) { let c = xs[k]; c.a }\nf(0) + f(1)", i) == "3")
        #expect(Self.run("fn f() { for k in [0, 1, 2] { let c = xs[k]; if c.a == 2 { break } }; 1 }\nf()", i) == "1")
        #expect(Self.run("fn f() { let n = 0; for k in [0, 1, 2] { let c = xs[k]; if c.a == 1 { continue }; n += c.a }; n }\nf()", i) == "5")
        #expect(Self.run("fn f() { for k in [0, 1] { let c = xs[k]; if c.a == 1 { return c } } }\nkept = f()", i) == "nil")
        #expect(Self.run("fn f() { for k in [0, 1] { let c = xs[k]; c.missing } }\nf()", i).contains("no field 'missing'"))
        // What left the block owns its reference: the list lets go, `kept` still holds it.
        _ = Self.run("xs = nil\nr = nil", i)
        #expect(record != nil)
        #expect(Self.run("kept.a", i) == "1")
        _ = Self.run("kept = nil", i)
        #expect(record == nil)
    }

    @Test func aLoopVariableBorrowsEachElementWhenTheBodyAllows() throws {
        #expect(try Self.shapes("fn f(xs) { for c in xs { if c.p == 1 { 2 } } }").loops == 1)
        #expect(try Self.shapes("fn f(xs) { for c in xs { print(c) } }").loops == 0)
        #expect(try Self.shapes("fn f(xs) { for c in xs { c = 1 } }").loops == 0)
        #expect(try Self.shapes("fn f(xs) { for i, c in xs { c } }").loops == 0)
        let i = Interpreter(builtins: [])
        _ = Self.run("r = {a: 1}\nxs = [r, {a: 2}, {a: 3}]", i)
        weak var record: RecordBox?
        if case .record(let box)? = i.global("r") { record = box }
        // Sum, break, continue, an error, a record kept past the loop, a list replaced
        // while its loop runs (the loop holds the old one), strings and tensors-free kinds.
        #expect(Self.run("fn f() { let n = 0; for c in xs { n += c.a }; n }\nf()", i) == "6")
        #expect(Self.run("fn f() { let n = 0; for c in xs { if c.a == 2 { break }; n += c.a }; n }\nf()", i) == "1")
        #expect(Self.run("fn f() { let n = 0; for c in xs { if c.a == 2 { continue }; n += c.a }; n }\nf()", i) == "4")
        #expect(Self.run("fn f() { for c in xs { c.nope } }\nf()", i).contains("no field 'nope'"))
        #expect(Self.run("fn f() { let k = nil; for c in xs { if c.a == 1 { k = c } }; k }\nkept = f()", i) == "nil")
        #expect(Self.run("fn f() { let n = 0; for c in xs { xs = nil; n += c.a }; n }\nf()", i) == "6")
        #expect(Self.run("fn f() { let s = \"\"; for c in [\"a\", \"b\"] { s = s + c }; s }\nf()", i) == "\"ab\"")
        _ = Self.run("r = nil", i)
        #expect(record != nil)
        #expect(Self.run("kept.a", i) == "1")
        _ = Self.run("kept = nil", i)
        #expect(record == nil)
    }

    @Test func anElementThatIsNotThereTakesTheGeneralPath() {
        #expect(Self.run("xs = [1]\nfn f(k) { let c = xs[k]; c }\nf(3)").contains("out of range"))
        #expect(Self.run("xs = [1]\nfn f(k) { let c = xs[k]; c }\nf(0.5)").contains("must be a whole number, got 0.5"))
        #expect(Self.run("xs = \"ab\"\nfn f(k) { let c = xs[k]; c }\nf(1)") == "\"b\"")
        #expect(Self.run("fn f(k) { let c = nope[k]; c }\nf(1)").contains("unknown name 'nope'"))
        #expect(Self.run("fn f(k) { let xs = [5, 6]; let c = xs[k]; c + 1 }\nf(1)") == "7")
    }

    @Test func fieldComparisonsInPlaceMatchOperatorsEqual() throws {
        // Which shapes compare in place: a record field of a local on one side at least.
        #expect(try Self.shapes("fn f(c, p) { if c.p == p { 1 } }").comparisons == 1)
        #expect(try Self.shapes("fn f(c) { if c.p != \"x\" { 1 } }").comparisons == 1)
        #expect(try Self.shapes("fn f(c, p) { if p == c.p and c.q == c.r { 1 } }").comparisons == 2)
        #expect(try Self.shapes("fn f(c, p) { if c.p < p { 1 } }").comparisons == 0)
        #expect(try Self.shapes("fn f(c, p) { if p == 1 { 1 } }").comparisons == 0)
        #expect(try Self.shapes("fn f(c, p) { if c.p == p + 1 { 1 } }").comparisons == 0)

        // Equal and unequal small ASCII, the same large string built two ways, canonically
        // equivalent spellings (only Swift's == knows), numbers, and mixed kinds.
        let long = String(repeating: "long text ", count: 3)
        let cases: [(String, String, Bool)] = [
            ("\"many\"", "\"many\"", true), ("\"many\"", "\"few\"", false), ("\"\"", "\"\"", true),
            ("\"\(long)\"", "\"\(long.dropLast())\" + \" \"", true), ("\"\(long)\"", "\"\(long)!\"", false),
            ("\"\u{e9}\"", "\"e\u{301}\"", true), ("\"\u{e9}\"", "\"e\"", false),
            ("1", "1", true), ("1", "2", false), ("0", "-0", true), ("1", "\"1\"", false),
            ("nil", "nil", true), ("[1]", "[1]", true), ("true", "1", false),
        ]
        for (field, other, equal) in cases {
            let text = "fn f(c, p) { [if c.v == p { 1 } else { 0 }, if c.v != p { 1 } else { 0 }, if p == c.v { 1 } else { 0 }] }\nf({v: \(field)}, \(other))"
            #expect(Self.run(text) == (equal ? "[1, 0, 1]" : "[0, 1, 0]"), "\(field) == \(other)")
        }
        // A missing field or a local that is not a record: the ordinary condition's error.
        #expect(Self.run("fn f(c) { if c.nope == 1 { 1 } }\nf({v: 1})").contains("no field 'nope'"))
        #expect(Self.run("fn f(c) { if c.v == 1 { 1 } }\nf(3)").contains("3 has no field 'v'"))
        // Captured and global right-hand sides.
        #expect(Self.run("g = \"a\"\nfn f(c) { if c.v == g { 1 } else { 0 } }\nf({v: \"a\"})") == "1")
        #expect(Self.run("fn f(p) { let g = fn(c) { if c.v == p { 1 } else { 0 } }; [g({v: \"a\"}), g({v: \"b\"})] }\nf(\"b\")") == "[0, 1]")
    }

    /// `and` chains of in-place comparisons (one `PlaceConjunction`), as a statement `if`,
    /// inside a borrowing `let`'s block and as a value: the same results as the ordinary
    /// code (`+ 0` and `+ ""` keep a side from being a place), left-to-right short
    /// circuit, each part's own error, and records whose fields sit in another order.
    @Test func conjunctionsMatchTheOrdinaryAnd() throws {
        #expect(try Self.shapes("fn f(c, p, d) { if c.p == p and c.d != d and c.n == 3 and c.m == c.n { 1 } }").comparisons == 4)
        #expect(try Self.shapes("fn f(c, p) { if c.p == p and p < 3 { 1 } }").comparisons == 1)
        let records = [
            "{p: \"a\", d: \"x\", n: 3, m: 3}", "{d: \"x\", p: \"a\", m: 3, n: 3}", "{p: \"a\", d: \"y\", n: 3, m: 3}",
            "{p: \"b\", d: \"x\", n: 3, m: 3}", "{p: \"a\", d: \"x\", n: 4, m: 3}", "{p: \"a\", d: \"x\", n: 3, m: 2}",
            "{p: 1, d: \"x\", n: 3, m: 3}",
        ]
        let list = "[" + records.joined(separator: ", ") + "]"
        let inPlace = """
            fn f(xs, p, d) { let out = []\n let j = -1\n while j < 6 { j += 1\n let k = j\n let c = xs[k]\n if c.p == p and c.d != d and c.n == 3 and c.m == c.n { out = out + [k] } }\n out }
            fn g(xs, p, d) { let out = []\n for c in xs { out = out + [if c.p == p and c.d != d and c.n == 3 and c.m == c.n { 1 } else { 0 }] }\n out }
            [f(\(list), "a", "y"), g(\(list), "a", "y")]
            """
        let ordinary = inPlace.replacingOccurrences(of: "c.p == p and c.d != d and c.n == 3 and c.m == c.n",
                                                    with: "c.p + \"\" == p and c.d + \"\" != d and c.n + 0 == 3 and c.m + 0 == c.n + 0")
        #expect(try Self.shapes(ordinary).comparisons == 0)
        let fast = Self.run(inPlace)
        #expect(fast == "[[0, 1], [1, 1, 0, 0, 0, 0, 0]]")
        // The ordinary `+ ""` fails on the record whose p is a number: compare the rest.
        #expect(Self.run(ordinary.replacingOccurrences(of: ", {p: 1, d: \"x\", n: 3, m: 3}", with: "").replacingOccurrences(of: "j < 6", with: "j < 5")) == "[[0, 1], [1, 1, 0, 0, 0, 0]]")
        // Short circuit: a false first part never reads the missing field of the second.
        #expect(Self.run("fn f(c) { if c.p == 2 and c.nope == 1 { 1 } else { 0 } }\nf({p: 1})") == "0")
        #expect(Self.run("fn f(c) { if c.p == 1 and c.nope == 1 { 1 } else { 0 } }\nf({p: 1})").contains("no field 'nope'"))
        #expect(Self.run("fn f(c, p) { if c.p == p and c.q == p { 1 } else { 0 } }\nf(5, 1)").contains("5 has no field 'p'"))
    }
}
