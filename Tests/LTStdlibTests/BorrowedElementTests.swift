@testable import LTLang
import LTStdlib
import Testing

/// `acc[k]` on a tensor read without retaining it (`BorrowedElementReader`) and a global
/// slot tested for the undefined marker without a copy: the same values and the same
/// errors as the retaining reads, for every dtype and every kind of bad index, and no
/// tensor kept alive or freed early (a release too many crashes the run).
@Suite struct BorrowedElementTests {
    static func run(_ text: String, _ i: Interpreter) -> String {
        do { return try i.evaluate(SourceFile(name: "t.lt", text: text))?.displayText ?? "nil" } catch {
            return "\(error.kind): \(error.description)"
        }
    }

    /// A read's result, told apart to the bit (-0 from 0, a bool from a number).
    static func exactly(_ v: Value?) -> String {
        switch v {
        case nil: return "no element"
        case .number(let x)?: return "number \(x.bitPattern)"
        case .bool(let b)?: return "bool \(b)"
        case let other?: return "other \(other.displayText)"
        }
    }

    /// Element reads on this platform are borrowed: the layout checks hold.
    @Test func readerIsInstalled() {
        #expect(Stdlib.makeInterpreter().borrowedElementReader != nil)
        #expect(Undefined.markerWord != nil)
    }

    /// Every dtype, 1-D and 2-D, and indices that are negative, fractional, NaN,
    /// infinite, huge or past either end: the reader gives what `element(at:)` gives.
    @Test func readerMatchesElementAt() throws {
        let reader = try #require(Stdlib.makeInterpreter().borrowedElementReader)
        let i = Stdlib.makeInterpreter()
        let tensors = ["tensor([1.5, -2, 3])", "tensor([1, 2, 3], dtype: \"float64\")",
                       "tensor([7, -8, 9], dtype: \"int32\")", "tensor([true, false, true])",
                       "zeros(2, 3)", "tensor([])"]
        let indices: [Double] = [0, 1, 2, 3, -1, -3, -4, 0.5, -0.0, .nan, .infinity, -.infinity, 1e20, -1e20]
        for source in tensors {
            _ = Self.run("t = \(source)", i)
            let slot = try #require(i.globals.existingSlot("t"))
            let place = i.globals.values + slot
            guard case .object(let object) = place.pointee else { Issue.record("\(source) is no object"); continue }
            for n in indices {
                let borrowed = Self.exactly(reader.element(place, n))
                let retained = Self.exactly(object.element(at: n))
                #expect(borrowed == retained, "\(source)[\(n)]")
            }
        }
        // Not a tensor: the reader declines and the ordinary read decides.
        _ = Self.run("t = [1, 2]", i)
        let slot = try #require(i.globals.existingSlot("t"))
        #expect(reader.element(i.globals.values + slot, 0) == nil)
    }

    /// The loop the grid benchmark runs, with the reader and without: same sums, same
    /// errors (out of range, a fractional index, the global rebound to a list mid-loop,
    /// an undefined global).
    @Test func loopsReadAsWithoutTheReader() {
        let programs = [
            "acc = tensor([0.5, 1.5, 2.5, 3.5])\nfn s() { let t = 0\n for k in range(4) { t += acc[k] }\n t }\ns()",
            "acc = tensor([1, 2, 3], dtype: \"int32\")\nfn s() { let t = 0\n for k in range(3) { t += acc[-k - 1] * (k + 1) }\n t }\ns()",
            "acc = tensor([true, false])\nfn s() { let t = []\n for k in range(2) { t = t + [acc[k]] }\n t }\ns()",
            "acc = tensor([1, 2])\nfn s() { let t = 0\n for k in range(3) { t += acc[k] }\n t }\ns()",
            "acc = tensor([1, 2])\nfn s() { let t = 0\n for k in [0, 0.5] { t += acc[k] }\n t }\ns()",
            "acc = tensor([1, 2])\nfn s() { let t = 0\n for k in range(2) { t += acc[k]\n acc = [10, 20] }\n t }\ns()",
            "fn s() { let t = 0\n for k in range(2) { t += later[k] }\n t }\ns()",
            "fn s() { later[0] }\nlater = tensor([4, 5])\ns()",
        ]
        for p in programs {
            let fast = Stdlib.makeInterpreter()
            let slow = Stdlib.makeInterpreter()
            slow.borrowedElementReader = nil
            #expect(Self.run(p, fast) == Self.run(p, slow), "\(p)")
        }
        // Spot values, so both paths being wrong the same way also fails.
        #expect(Self.run(programs[0], Stdlib.makeInterpreter()) == "8")
        #expect(Self.run(programs[1], Stdlib.makeInterpreter()) == "10")
        #expect(Self.run(programs[3], Stdlib.makeInterpreter()).contains("index 2 is out of range"))
        #expect(Self.run(programs[6], Stdlib.makeInterpreter()).contains("unknown name 'later'"))
        #expect(Self.run(programs[7], Stdlib.makeInterpreter()) == "4")
    }

    /// `for k in range(…)` whose body starts with a borrowing `let` runs that node
    /// without a call: every way out of the body (break, continue, return, an error, a
    /// guarded `if` failing or passing) gives what the unborrowed body gives (`xs[k + 0]`
    /// is not a borrowing shape), and the count of passes is right counting down too.
    @Test func countingLoopsRunBorrowingBodiesAsCalledOnes() {
        let xs = "[{p: \"a\", n: 1}, {p: \"b\", n: 2}, {p: \"a\", n: 3}, {p: \"c\", n: 4}, {p: \"a\", n: 5}]"
        let bodies = [
            "let c = xs[k]\n if c.p == \"a\" { t += c.n }",
            "let c = xs[k]\n if c.p == \"a\" and c.n != 3 { t += c.n }",
            "let c = xs[k]\n if c.n == 4 { break }\n t += c.n",
            "let c = xs[k]\n if c.p == \"b\" { continue }\n t += c.n",
            "let c = xs[k]\n if c.n == 3 { return [t, c] }\n t += c.n",
            "let c = xs[k]\n t += c.nope",
            "let c = xs[k]\n if c.p == \"a\" { t += c.n * 10 }",
        ]
        let loops = ["range(5)", "range(4, -1, -1)", "range(1, 5, 2)", "range(0)"]
        for body in bodies {
            for loop in loops {
                let program = "fn f(xs) { let t = 0\n for k in \(loop) { \(body) }\n t }\nf(\(xs))"
                let unborrowed = program.replacingOccurrences(of: "xs[k]", with: "xs[k + 0]")
                #expect(Self.run(program, Stdlib.makeInterpreter()) == Self.run(unborrowed, Stdlib.makeInterpreter()), "\(program)")
            }
        }
        #expect(Self.run("fn f(xs) { let t = 0\n for k in range(5) { \(bodies[0]) }\n t }\nf(\(xs))", Stdlib.makeInterpreter()) == "9")
        #expect(Self.run("fn f(xs) { let t = 0\n for k in range(4, -1, -1) { \(bodies[2]) }\n t }\nf(\(xs))", Stdlib.makeInterpreter()) == "5")
    }

    /// A tensor read through the borrowed path is neither kept alive by the compiled
    /// code nor freed while a global still holds it.
    @Test func noTensorKeptOrFreedEarly() throws {
        let i = Stdlib.makeInterpreter()
        _ = Self.run("acc = tensor([1, 2, 3])\nfn s() { let t = 0\n for k in range(3) { t += acc[k] }\n t }", i)
        weak var tensor: AnyObject?
        do {
            let slot = try #require(i.globals.existingSlot("acc"))
            guard case .object(let o) = i.globals.values[slot] else { Issue.record("acc is no object"); return }
            tensor = o
        }
        #expect(Self.run("s()\ns()", i) == "6")
        #expect(tensor != nil)
        _ = Self.run("acc = nil", i)
        #expect(tensor == nil)
        #expect(Self.run("s()", i).contains("nil cannot be indexed"))
    }
}
