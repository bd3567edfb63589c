@testable import LTLang
import LTStdlib
import Testing

/// Built-in calls on their fast paths (a global callee read in place, the bound list
/// reused per call site): the same values and errors as before, whatever the call runs.
@Suite struct BuiltinCallTests {
    static func run(_ text: String) -> String {
        let i = Stdlib.makeInterpreter()
        do { return try i.evaluate(SourceFile(name: "t.lt", text: text))?.displayText ?? "nil" } catch {
            return "\(error.kind): \(error.description)"
        }
    }

    /// A call site re-entered while its built-in runs (`map` calling back into code
    /// that reaches the same `map`) gets its own bound list: nested results are intact.
    @Test func reenteredSitesKeepTheirArguments() {
        #expect(Self.run("fn depth(x) { if type(x) == \"list\" { 1 + max(map(x, depth) + [0]) } else { 0 } }\ndepth([[1, [2, [3]]], [4]])") == "4")
        #expect(Self.run("fn f(xs) { map(xs, fn(x) => if type(x) == \"list\" { f(x) } else { x * 10 }) }\nf([1, [2, [3, 4]], 5])")
                == "[10, [20, [30, 40]], 50]")
        #expect(Self.run("fn g(n) { if n == 0 { 0 } else { floor(g(n - 1) + 1.5) } }\ng(20)") == "20")
    }

    /// `f(x)` of a built-in with a number function (`Builtin.onNumber`) on a number skips
    /// argument binding: for every such built-in and awkward numbers (signed zeros,
    /// infinities, nan, huge, halves) it gives the bits of the bound call (`map` binds),
    /// and a non-number still reaches the built-in (a tensor, or its type error).
    @Test func numberFastPathGivesTheBoundCallsBits() {
        let names = Stdlib.allBuiltins.filter { $0.onNumber != nil }.map(\.name)
        #expect(Set(names).isSuperset(of: ["floor", "ceil", "abs", "sqrt", "exp", "log", "sigmoid", "tanh"]))
        for name in names {
            let program = """
                big = 1e308 * 10
                xs = [0, -0, 0.5, -0.5, 1.5, -2.5, 3, 1e-310, 1e300, -1e300, big, -big, 0 * big]
                fn bits(v) => [str(v), str(1 / v)]
                fast = map(xs, fn(x) => bits(\(name)(x)))
                bound = map(xs, fn(x) => bits(map([x], \(name))[0]))
                fast == bound
                """
            #expect(Self.run(program) == "true", "\(name)")
        }
        #expect(Self.run("abs(tensor([-1, 2])).tolist()") == "[1, 2]")
        #expect(Self.run("floor(\"a\")").contains("'floor'"))
    }

    /// The one-argument path: optional parameters padded, the callee rebound to a user
    /// function or a non-function, shadowed by a local, undefined, and a built-in's own
    /// error pointing at its argument; a failed call leaves the site usable.
    @Test func oneArgumentCallsBindAsBefore() {
        #expect(Self.run("[round(2.567), floor(-1.5), abs(-3)]") == "[3, -2, 3]")
        #expect(Self.run("fn h(x) { floor(x) }\nlet a = h(2.5)\nfloor = fn(x) => x * 100\n[a, h(2.5)]") == "[2, 250]")
        #expect(Self.run("fn h(x) { floor(x) }\nfloor = 3\nh(2.5)").contains("3 is not a function"))
        #expect(Self.run("fn h(x) { let floor = fn(y) => -y\n floor(x) }\nh(2.5)") == "-2.5")
        #expect(Self.run("fn h(x) { nope(x) }\nh(1)").contains("unknown name 'nope'"))
        let wrong = Self.run("fn h(x) { floor(x) }\nh(\"a\")")
        #expect(wrong.contains("argument 'x' to 'floor' must be a number"), "\(wrong)")
        #expect(wrong.contains("1:17"), "\(wrong)")
        #expect(Self.run("fn h(x) { floor(x) }\nlet r = []\nfor v in [1.5, \"a\", 2.5] { if type(v) == \"number\" { r = r + [h(v)] } }\nr") == "[1, 2]")
        #expect(Self.run("fn h(x) { abs(x) }\nlet e = 0\nfor v in [1, -2] { e = e + h(v) }\ne") == "3")
    }
}
