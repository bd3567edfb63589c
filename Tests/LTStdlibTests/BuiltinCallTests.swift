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

    /// The callee is read before its argument: an argument that rebinds the built-in's
    /// global still calls the built-in it replaced (`UnaryBuiltinCall` holds it
    /// unretained; the interpreter keeps it), for a number and for a tensor, and the
    /// next call finds the new binding.
    @Test func anArgumentThatRebindsTheCalleeStillCallsTheOldBuiltin() {
        // `floor = floor` binds the global at top level, so `g` assigns it, not a local.
        let number = "floor = floor\nfn g() { floor = fn(x) => 100\n 2.5 }\nfn h() { floor(g()) }\nlet a = h()\n[a, h()]"
        #expect(Self.run(number) == "[2, 100]")
        let tensor = "abs = abs\nfn g() { abs = 7\n tensor([-1, 2]) }\nfn h() { abs(g()) }\nlet a = h().tolist()\n[a, abs]"
        #expect(Self.run(tensor) == "[[1, 2], 7]")
    }

    /// A built-in a host registers over a library one: the site calls the new one, and a
    /// `Function` made outside the registry (not kept by the interpreter) takes the
    /// retaining path with the same results.
    @Test func replacedAndUnregisteredBuiltinsCallAsBefore() throws {
        let i = Stdlib.makeInterpreter()
        let file = SourceFile(name: "t.lt", text: "fn h(x) { floor(x) }\n[h(2.5), h(-2.5)]")
        #expect(try i.evaluate(file)?.displayText == "[2, -3]")
        i.register(Builtin("floor", family: "Test", [.required("x", "a number")], summary: "Ten times x.",
                           example: "floor(1)", result: "10") { args in .number(try args.number("x") * 10) })
        #expect(try i.evaluate(file)?.displayText == "[25, -25]")
        let outside = Builtin("twice", family: "Test", [.required("x", "a number")], summary: "Two times x.",
                              example: "twice(1)", result: "2", onNumber: { $0 * 2 }) { args in .number(try args.number("x") * 2) }
        i.define("twice", .function(Function(builtin: outside)))
        let calls = SourceFile(name: "u.lt", text: "fn t(x) { twice(x) }\n[t(1.5), t(-4)]")
        #expect(try i.evaluate(calls)?.displayText == "[3, -8]")
    }

    /// No name is registered by two families: `allBuiltins` keeps no set to drop repeats.
    @Test func eachNameBelongsToOneFamily() {
        var seen: [String: String] = [:]
        for family in Stdlib.families {
            for b in family.builtins {
                #expect(seen[b.name] == nil, "'\(b.name)' is in \(seen[b.name] ?? "") and \(family.name)")
                seen[b.name] = family.name
            }
        }
        #expect(seen.count == Stdlib.allBuiltins.count)
    }
}
