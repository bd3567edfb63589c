import LTLang
import Testing

/// Behaviour the golden programs cannot see: what `evaluate` returns, memory, reuse.
@Suite struct InterpreterTests {
    static func value(_ text: String, _ interpreter: Interpreter = Interpreter(builtins: [])) throws -> String? {
        try interpreter.evaluate(SourceFile(name: "t.lt", text: text))?.displayText
    }

    @Test func theLastExpressionIsTheUnitsValue() throws {
        #expect(try InterpreterTests.value("x = 2\nx * 21") == "42")
        #expect(try InterpreterTests.value("\"a\"") == "\"a\"")
    }

    @Test func trailingSemicolonNilAndStatementsShowNothing() throws {
        #expect(try InterpreterTests.value("1 + 1;") == nil)
        #expect(try InterpreterTests.value("nil") == nil)
        #expect(try InterpreterTests.value("x = 1") == nil)
        #expect(try InterpreterTests.value("fn f() { 1 }") == nil)
        #expect(try InterpreterTests.value("i = 0\nwhile i < 3 { i += 1 }") == nil)
    }

    @Test func closuresMadeInOneFunctionKeepTheirOwnFrames() throws {
        // Frames are reused between calls only when no closure kept them.
        #expect(try InterpreterTests.value("fn mk(v) { fn() => v }\na = mk(1)\nb = mk(2)\n[a(), b(), mk(3)()]") == "[1, 2, 3]")
        #expect(try InterpreterTests.value("fn id(v) { w = v * 2; w }\n[id(1), id(2), id(id(3))]") == "[2, 4, 12]")
    }

    /// A recursive function reuses up to 16 frames of finished calls (a stack of spares);
    /// a frame a closure captured must never be one of them, at any depth.
    @Test func recursionReusesOnlyFramesNoClosureKept() throws {
        let program = """
            fn down(n, acc) {
              if n == 0 { acc } else {
                v = n * 10
                keep = if n % 3 == 0 { [fn() => v] } else { [] }
                down(n - 1, acc + keep)
              }
            }
            fs = down(40, [])
            fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
            fn calls(fs) {
              out = []
              for f in fs { out = out + [f()] }
              out
            }
            [calls(fs), fib(20), calls(down(40, []))]
            """
        let kept = stride(from: 39, through: 3, by: -3).map { String($0 * 10) }.joined(separator: ", ")
        #expect(try InterpreterTests.value(program) == "[[\(kept)], 6765, [\(kept)]]")
    }

    @Test func aDroppedInterpreterIsFreed() throws {
        weak var weakInterpreter: Interpreter?
        do {
            let interpreter = Interpreter(builtins: [])
            _ = try InterpreterTests.value("fn f(n) { if n > 0 { f(n - 1) } else { 0 } }\ng = fn() => f(3)\ng()", interpreter)
            weakInterpreter = interpreter
        }
        #expect(weakInterpreter == nil)
    }

    @Test func definedGlobalsAreVisibleToLaterUnits() throws {
        let interpreter = Interpreter(builtins: [])
        interpreter.define("threshold", .number(0.5))
        #expect(try InterpreterTests.value("threshold * 2", interpreter) == "1")
        _ = try InterpreterTests.value("fn twice(x) { x * 2 }", interpreter)
        #expect(try InterpreterTests.value("twice(threshold)", interpreter) == "1")
        #expect(interpreter.userNames.contains("twice"))
    }

    @Test func hugeNumbersDoNotTrap() throws {
        #expect(try InterpreterTests.value("[1e308 * 10, -1e308 * 10, 2 ^ 1024, 1e400]") == "[inf, -inf, inf, inf]")
        #expect(try InterpreterTests.value("xs = [1, 2, 3]\nxs[::1e300]") == "[1]")
        #expect(try InterpreterTests.value("xs = [1, 2, 3]\nxs[-1e300:1e300:-1e300]") == "[]")
        #expect(throws: Diagnostic.self) { try InterpreterTests.value("[1][1e300]") }
        #expect(throws: Diagnostic.self) { try InterpreterTests.value("[1][0 / 0]") }
    }

    /// Two separately built structures sharing their halves at every level (2^60 paths):
    /// equality must visit each distinct pair of containers once, not every path.
    @Test(.timeLimit(.minutes(1))) func equalityOfHeavilySharedStructuresIsLinear() throws {
        let build = "a = [0]\nb = [0]\nc = [1]\ni = 0\nwhile i < 60 {\n a = [a, a]\n b = [b, b]\n c = [c, c]\n i += 1\n}\n"
        #expect(try InterpreterTests.value(build + "[a == b, a == c, a != c, {x: a} == {x: b}]") == "[true, false, true, true]")
    }

    /// A local function or a lambda kept in a local holds its frame while the frame holds
    /// it; the call's end must free both, or every call leaks its frame and what it holds.
    @Test func aCallFreesTheClosuresItKeptInItsOwnFrame() throws {
        final class Probe: LTObject {
            var typeName: String { "probe" }
            var summary: String { "<probe>" }
        }
        let programs = [
            "fn outer(o) {\n  fn helper() { o }\n  helper()\n  1\n}\nouter(probe)",
            "fn outer(o) {\n  f = fn(x) => [x, o]\n  f(1)\n  f(2)\n  1\n}\nouter(probe)",
            "fn outer(o, a, b, c) {\n  fn helper() { o }\n  helper()\n  1\n}\nouter(probe, 1, 2, 3)",
            "fn outer(o, k = 1) {\n  fn helper() { o }\n  helper()\n  1\n}\nouter(probe, k: 2)",
        ]
        for program in programs {
            weak var weakProbe: Probe?
            let interpreter = Interpreter(builtins: [])
            do {
                let probe = Probe()
                weakProbe = probe
                interpreter.define("probe", .object(probe))
                #expect(try InterpreterTests.value(program, interpreter) == "1")
                interpreter.define("probe", .nil)
            }
            #expect(weakProbe == nil, "\(program)")
        }
    }

    @Test func closuresThatEscapeStillReachTheirFramesHelpers() throws {
        let program = """
            fn mk(v) {
              fn helper() { v * 2 }
              get = fn() => helper()
              get
            }
            a = mk(1)
            b = mk(2)
            fn twice(v) {
              fn helper() { v * 2 }
              [helper, helper]
            }
            hs = twice(5)
            [a(), b(), a(), hs[0](), hs[1]()]
            """
        #expect(try InterpreterTests.value(program) == "[2, 4, 2, 10, 10]")
    }

    @Test func oneFieldSiteReadsRecordsOfEveryShape() throws {
        // A member site remembers where it last found the field; records with other
        // layouts, added fields and a missing field must all still be read right.
        let program = """
        rs = [{a: 1, b: 2}, {b: 20, a: 10}, {c: 0, d: 0, b: 200}, {b: 2000}]
        out = []
        for r in rs { out = out + [r.b] }
        q = {a: 1}
        q.b = 7
        out + [q.b, rs[1].a]
        """
        #expect(try InterpreterTests.value(program) == "[2, 20, 200, 2000, 7, 10]")
        #expect(throws: (any Error).self) { try InterpreterTests.value("for r in [{b: 1}, {a: 1}] { r.b }") }
    }

    @Test func stringEqualityMatchesTheGeneralRule() throws {
        #expect(try InterpreterTests.value("[\"few\" == \"few\", \"few\" != \"few\", \"a\" == \"b\", \"a\" != \"b\"]")
                == "[true, false, false, true]")
        #expect(try InterpreterTests.value("[\"1\" == 1, \"1\" != 1, [\"x\"] == [\"x\"]]") == "[false, true, true]")
        // Canonically equivalent spellings are equal, as `==` on lists of them is.
        #expect(try InterpreterTests.value("[\"\\u{e9}\" == \"e\\u{301}\", [\"\\u{e9}\"] == [\"e\\u{301}\"]]") == "[true, true]")
    }
}
