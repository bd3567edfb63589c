@testable import LTLang
import Testing

/// The number tier (`NumberCode`): which functions get one, that it computes exactly what
/// the ordinary code computes, and that every way it gives up leaves the ordinary code's
/// value or error.
@Suite struct NumberTierTests {
    static func run(_ text: String, tier: Bool = true, _ interpreter: Interpreter? = nil) -> String {
        let i = interpreter ?? Interpreter(builtins: [])
        i.usesNumberTier = tier
        do {
            return try i.evaluate(SourceFile(name: "t.lt", text: text))?.displayText ?? "nil"
        } catch {
            // The whole rendering: message, location, caret and call stack.
            return "\(error.kind): \(error.description)"
        }
    }

    /// The tier of the global function `name` after running `text`.
    /// Units of `text` are separated by `---` lines.
    static func tier(_ name: String, after text: String, _ interpreter: Interpreter = Interpreter(builtins: [])) -> NumberCode? {
        for unit in text.components(separatedBy: "\n---\n") { _ = run(unit, interpreter) }
        guard let slot = interpreter.globals.existingSlot(name), case .function(let f) = interpreter.globals.values[slot] else { return nil }
        return f.code?.number
    }

    @Test func pureArithmeticFunctionsGetATier() {
        let cases: [(String, String, NumberCode.Result)] = [
            ("fib", "fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }", .number),
            ("even", "fn even(n) { n % 2 == 0 }", .bool),
            ("add", "add = fn(a, b) => a + b", .number),
            ("f", "fn f(x) { let y = x * x\n let z = -y ^ 0.5\n y / z }", .number),
            ("sign", "fn sign(x) { if x > 0 { 1 } else if x < 0 { -1 } else { 0 } }", .number),
            ("inside", "fn inside(x, lo, hi) { x >= lo and x <= hi and not (x == 5 or false) }", .bool),
            ("g", "K = 10\nfn g(x) { return x % K }", .number),
            ("h", "fn even(n) { n % 2 == 0 }\nfn h(n) { if even(n) { n / 2 } else { 3 * n + 1 } }", .number),
        ]
        for (name, text, result) in cases {
            let t = NumberTierTests.tier(name, after: text)
            #expect(t?.result == result, "\(text)")
        }
    }

    @Test func anythingElseGetsNone() {
        let cases: [(String, String)] = [
            ("f", "fn f(x) { \"a\" }"),                                // a string
            ("f", "fn f(x) { if x > 0 { 1 } }"),                       // an if without else gives nil
            ("f", "fn f(x) { y = x\n y }"),                            // an assignment
            ("f", "fn f(x) { (x < 1) + 1 }"),                          // a comparison used as a number
            ("f", "fn f(x) { x and 1 }"),                              // and on numbers
            ("f", "fn f(x) { print(x)\n x }"),                         // a statement with an effect
            ("f", "fn g(x) { [x] }\n---\nfn f(x) { g(x) }"),           // a callee without a tier
            ("f", "K = 1\n---\nfn f(x) { K(x) }"),                    // a callee that is a number
            ("f", "fn f(x) { f(x: x) }"),                              // a keyword argument
            ("f", "fn f(a, b, c, d) { a }"),                           // more than three parameters
            ("f", "fn f(x) { return x\n 1 }"),                         // a return that is not last
        ]
        for (name, text) in cases {
            let t = NumberTierTests.tier(name, after: text)
            #expect(t == nil, "\(text)")
        }
        // A callee not yet defined when the caller is compiled (one unit) may be a helper
        // with a tier; when it turns out not to be, the first call switches the tier off.
        for text in ["fn f(x) { g(x) }\nfn g(x) { [x] }\nf(1)", "fn f(x) { K(x) }\nK = 1\nf(1)"] {
            let t = NumberTierTests.tier("f", after: text)
            #expect(t != nil && t?.flag.enabled == false, "\(text)")
        }
        // A closure reading an enclosing function's variable.
        let closure = Interpreter(builtins: [])
        _ = NumberTierTests.run("fn mk(k) { fn(x) => x + k }\nadd2 = mk(2)", closure)
        if let slot = closure.globals.existingSlot("add2"), case .function(let f) = closure.globals.values[slot] {
            #expect(f.code?.number == nil)
        } else {
            Issue.record("add2 not defined")
        }
    }

    /// Bit for bit what the ordinary code gives, on values where arithmetic is delicate:
    /// negative and fractional modulo, division by zero, nan, infinities, powers.
    @Test func valuesAreTheOrdinaryCodesToTheBit() {
        let program = """
            fn m(a, b) { a % b }
            fn d(a, b) { a / b - b * a }
            fn p(a, b) { (a ^ b) + -a }
            fn c(a, b) { if a < b and not (a == b) or a != a { a } else { b } }
            fn both(a, b) { let s = m(a, b)\n let t = d(a, b)\n if s > t { p(s, 2) } else { c(t, s) } }
            xs = [-7.5, -3, -0.0, 0, 0.5, 2, 3, 7.25, 1e300, -1e-300, 1 / 0, -1 / 0, 0 / 0]
            out = []
            for a in xs { for b in xs { out = out + [m(a, b), d(a, b), p(a, b), c(a, b), both(a, b)] } }
            out
            """
        let i = Interpreter(builtins: [])
        let withTier = NumberTierTests.run(program, i)
        #expect(withTier == NumberTierTests.run(program, tier: false))
        #expect(NumberTierTests.tier("both", after: "", i)?.flag.enabled == true)
        #expect(withTier.hasPrefix("["))
    }

    @Test func recursionGivesTheOrdinaryValue() {
        let program = """
            fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
            fn collatz(n, steps) { if n == 1 { steps } else if n % 2 == 0 { collatz(n / 2, steps + 1) } else { collatz(3 * n + 1, steps + 1) } }
            fn down(n) { if n == 0 { 0 } else { 1 + down(n - 1) } }
            [fib(20), collatz(27, 0), down(9000)]
            """
        // Deep recursion needs the stack ltnb runs programs on.
        #expect(runWithLargeStack { NumberTierTests.run(program) } == "[6765, 111, 9000]")
    }

    /// Arguments or globals that are not numbers: the ordinary code runs and reports.
    @Test func aNonNumberFallsBackToTheOrdinaryError() {
        let cases = [
            "fn f(x) { x * 2 }\nf(3)\nf(\"a\")",
            "K = 3\nfn f(x) { x + K }\nf(1)\nK = \"k\"\nf(1)",
            "fn f(x) { if x > 0 { f(x - 1) } else { x } }\nf(2)\nf(true)",
            "fn f(x) { if x > 0 { x / 0 } else { -x } }\n[f(1), f(-1), f([1])]",
        ]
        for text in cases {
            let ordinary = NumberTierTests.run(text, tier: false)
            #expect(ordinary.hasPrefix("type"), "\(text): \(ordinary)")
            #expect(NumberTierTests.run(text) == ordinary, "\(text)")
        }
    }

    /// A callee redefined to something the tier cannot run: the caller gives up its tier
    /// and the ordinary code calls whatever the name now holds.
    @Test func aRedefinedCalleeSwitchesTheCallerOff() {
        let i = Interpreter(builtins: [])
        let text = "fn g(x) { x + 1 }\nfn f(x) { g(x) * 2 }\nf(1)"
        #expect(NumberTierTests.run(text, i) == "4")
        #expect(NumberTierTests.run("fn g(x) { [x] }\nf(1)", i).contains("cannot apply '*' to list and number"))
        #expect(NumberTierTests.tier("f", after: "", i)?.flag.enabled == false)
        #expect(NumberTierTests.run("fn g(x) { x - 1 }\nf(1)", i) == "0")
    }

    /// A call site caches the callee it found (`NumberCallSite`). Redefined to another
    /// tier function, the new one is called and the caller keeps its tier, both when the
    /// old function is freed and when something still holds it.
    @Test func aCachedCalleeFollowsRedefinition() {
        let i = Interpreter(builtins: [])
        #expect(NumberTierTests.run("fn g(x) { x + 1 }\nfn f(x) { g(x - 1) * 2 }\nf(5)", i) == "10")
        #expect(NumberTierTests.run("fn g(x) { x * 10 }\nf(5)", i) == "80")
        #expect(NumberTierTests.run("keep = g\nfn g(x) { x - 100 }\nf(5)", i) == "-192")
        #expect(NumberTierTests.run("g = keep\nf(5)", i) == "80")
        #expect(NumberTierTests.tier("f", after: "", i)?.flag.enabled == true)
        // The fused shapes: a base-case test on a slot, an argument `x - c` / `c + x`.
        let fused = "fn h(n) { if n <= 1 { n } else { h(n - 1) + h(2 + n - 4) } }\n[h(15), h(1), h(-3)]"
        #expect(NumberTierTests.run(fused) == NumberTierTests.run(fused, tier: false))
        #expect(NumberTierTests.run(fused) == "[610, 1, -3]")
    }

    /// The limit hit inside the tier: the ordinary code reports it where it always did,
    /// and the function's tier is switched off (no second attempt at every level).
    @Test func theRecursionLimitIsTheOrdinaryError() {
        let text = "fn f(n) { f(n + 1) + 1 }\nf(0)"
        let i = Interpreter(builtins: [])
        i.maxCallDepth = 100
        let reference = Interpreter(builtins: [])
        reference.maxCallDepth = 100
        let expected = NumberTierTests.run(text, tier: false, reference)
        #expect(expected.hasPrefix("limit: error: recursion too deep (more than 100 nested calls)"), "\(expected)")
        #expect(expected.contains("t.lt:1:11"), "\(expected)")
        #expect(NumberTierTests.run(text, i) == expected)
        #expect(NumberTierTests.tier("f", after: "", i)?.flag.enabled == false)
        // Within the limit, deep recursion runs in the tier.
        let deep = Interpreter(builtins: [])
        #expect(runWithLargeStack { NumberTierTests.run("fn down(n) { if n == 0 { 0 } else { down(n - 1) } }\ndown(9990)", deep) } == "0")
        #expect(NumberTierTests.tier("down", after: "", deep)?.flag.enabled == true)
    }

    /// The slot stack's end: the call gives up and the ordinary code finishes it.
    @Test func aFullSlotStackFallsBack() {
        let i = Interpreter(builtins: [])
        i.numberStack = NumberStack(capacity: 64)
        let text = "fn sum(n) { let m = n - 1\n if n == 0 { 0 } else { n + sum(m) } }\n[sum(10), sum(200)]"
        #expect(NumberTierTests.run(text, i) == "[55, 20100]")
        #expect(NumberTierTests.tier("sum", after: "", i)?.flag.enabled == false)
    }

    /// map, filter and reduce enter the tier through `Callee`.
    @Test func calleesEnterTheTier() throws {
        let i = Interpreter(builtins: [])
        _ = NumberTierTests.run("double = fn(x) => x * 2\nthird = fn(x) => x % 3 == 0\nplus = fn(a, b) => a + b", i)
        func callee(_ name: String) throws -> Callee {
            let slot = try #require(i.globals.existingSlot(name))
            return try i.callee(i.globals.values[slot])
        }
        #expect(try callee("double")(.number(21)).displayText == "42")
        #expect(try callee("third")(.number(9)).displayText == "true")
        #expect(try callee("third")(.number(10)).displayText == "false")
        #expect(try callee("plus")(.number(1), .number(2)).displayText == "3")
        // Not a number: the ordinary code, with its error.
        #expect(throws: (any Error).self) { try callee("plus")(.string("a"), .number(2)) }
        #expect(try callee("plus")(.number(1), .number(2)).displayText == "3")
    }
}
