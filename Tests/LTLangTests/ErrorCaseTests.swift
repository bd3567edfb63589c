import LTLang
import Testing

/// One bad program per class of bad input, with the message and where the caret goes.
/// The interpreter here has two small built-ins of its own, so LTLang is tested alone.
struct ErrorCase: CustomTestStringConvertible, Sendable {
    let id: String
    let source: String
    let kind: Diagnostic.Kind
    let message: String
    /// `line:column` of the range's start.
    let at: String
    var testDescription: String { id }
}

@Suite struct ErrorCaseTests {
    static let cases: [ErrorCase] = [
        ErrorCase(id: "syntax: missing operand", source: "x = 1 +\n", kind: .incomplete,
                  message: "expected an expression, found end of input", at: "1:8"),
        ErrorCase(id: "syntax: two expressions", source: "x = 1 2", kind: .syntax,
                  message: "expected a new line or ';' after the statement, found number 2", at: "1:7"),
        ErrorCase(id: "syntax: bad assignment target", source: "f() = 1", kind: .syntax,
                  message: "cannot assign to this expression; expected a name, 'r.field' or 'xs[i]'", at: "1:1"),
        ErrorCase(id: "syntax: unknown character", source: "x = a & b", kind: .syntax,
                  message: "unexpected character '&'", at: "1:7"),
        ErrorCase(id: "syntax: unterminated string", source: "s = \"abc", kind: .incomplete,
                  message: "unterminated string", at: "1:5"),
        ErrorCase(id: "syntax: chained comparison", source: "ok = 0 < 1 < 2", kind: .syntax,
                  message: "comparisons cannot be chained; write 'a < b and b < c'", at: "1:12"),
        ErrorCase(id: "syntax: break outside loop", source: "break", kind: .syntax,
                  message: "'break' outside a loop", at: "1:1"),
        ErrorCase(id: "syntax: return outside function", source: "x = 1\nreturn x", kind: .syntax,
                  message: "'return' outside a function", at: "2:1"),
        ErrorCase(id: "unknown name", source: "y = nope + 1", kind: .name,
                  message: "unknown name 'nope'", at: "1:5"),
        ErrorCase(id: "wrong type", source: "x = 1 + \"a\"", kind: .type,
                  message: "cannot apply '+' to number and string", at: "1:5"),
        ErrorCase(id: "not a function", source: "x = 3\nx(1)", kind: .type,
                  message: "3 is not a function", at: "2:1"),
        ErrorCase(id: "bad keyword, user function", source: "fn f(alpha) { alpha }\nf(alpah: 1)", kind: .type,
                  message: "unknown keyword argument 'alpah' to 'f'; did you mean 'alpha'?", at: "2:3"),
        ErrorCase(id: "bad keyword, built-in", source: "repeat(1, time: 2)", kind: .type,
                  message: "unknown keyword argument 'time' to 'repeat'; did you mean 'times'?", at: "1:11"),
        ErrorCase(id: "missing argument", source: "fn f(a, b) { a }\nf(1)", kind: .type,
                  message: "missing argument 'b' to 'f'", at: "2:1"),
        ErrorCase(id: "index out of range", source: "xs = [1, 2]\nxs[2]", kind: .index,
                  message: "index 2 is out of range for length 2", at: "2:3"),
        ErrorCase(id: "negative index out of range", source: "xs = [1, 2]\nxs[-3] = 0", kind: .index,
                  message: "index -3 is out of range for length 2", at: "2:3"),
        ErrorCase(id: "non-integer index", source: "xs = [1, 2]\nxs[0.5]", kind: .type,
                  message: "index must be a whole number, got 0.5", at: "2:3"),
        ErrorCase(id: "non-integer size", source: "repeat(1, times: 2.5)", kind: .type,
                  message: "argument 'times' to 'repeat' must be a whole number, got 2.5", at: "1:11"),
        ErrorCase(id: "size past Int", source: "repeat(1, times: 2 ^ 63)", kind: .type,
                  message: "argument 'times' to 'repeat' must be a whole number >= 0, got 9.223372036854776e+18", at: "1:11"),
        ErrorCase(id: "slice step zero", source: "[1][::0]", kind: .value,
                  message: "slice step cannot be 0", at: "1:4"),
        ErrorCase(id: "missing field", source: "r = {a: 1}\nr.b", kind: .name,
                  message: "record has no field 'b'", at: "2:3"),
        ErrorCase(id: "recursion limit", source: "fn f(n) { f(n + 1) }\nf(0)", kind: .limit,
                  message: "recursion too deep (more than 100 nested calls)", at: "1:11"),
        ErrorCase(id: "string too long", source: "s = \"0123456789\"\nwhile true { s = s + s }", kind: .limit,
                  message: "string of 10240 bytes exceeds the limit of 10000", at: "2:18"),
        ErrorCase(id: "list too long", source: "xs = [0]\nwhile true { xs += xs }", kind: .limit,
                  message: "list of 16384 elements exceeds the limit of 10000", at: "2:14"),
        ErrorCase(id: "user error through nested calls", source: "fn a() { b() }\nfn b() { fail(\"no\") }\na()", kind: .user,
                  message: "no", at: "2:10"),
    ]

    /// `repeat(x, times:)` and `fail(message)`, enough to reach the argument checker.
    static let builtins = [
        Builtin("repeat", family: "Test", [.required("x", "a value"), .keyword("times", "how many")],
                summary: "A list of x repeated.", example: "repeat(1, times: 2)", result: "[1, 1]") { args in
            let n = try args.int("times", in: 0...Int.max)
            try args.interpreter.checkSize(n)
            return .list(Array(repeating: args.value("x") ?? .nil, count: n))
        },
        Builtin("fail", family: "Test", [.required("message", "the text")],
                summary: "Raises an error.", example: "", result: "") { args in
            throw LTError(try args.string("message"), kind: .user)
        },
    ]

    @Test(arguments: cases)
    func reportsTheError(_ c: ErrorCase) {
        let interpreter = Interpreter(builtins: ErrorCaseTests.builtins)
        interpreter.maxCallDepth = 100
        interpreter.maxCollectionSize = 10_000
        do {
            _ = try interpreter.evaluate(SourceFile(name: "case.lt", text: c.source))
            Issue.record("no error")
        } catch {
            #expect(error.kind == c.kind)
            #expect(error.message == c.message)
            #expect(error.locationText == "case.lt:\(c.at)")
        }
    }

    @Test func anErrorInsideNestedCallsListsThemInnermostFirst() {
        let interpreter = Interpreter(builtins: ErrorCaseTests.builtins)
        do {
            _ = try interpreter.evaluate(SourceFile(name: "s.lt", text: "fn a() { b() }\nfn b() { fail(\"no\") }\na()"))
            Issue.record("no error")
        } catch {
            #expect(error.callStack.map(\.function) == ["b", "a"])
            #expect(error.callStack.map(\.location.description) == ["2:1", "1:1"])
        }
    }

    @Test func bindingsSurviveAnError() throws {
        let interpreter = Interpreter(builtins: [])
        _ = try interpreter.evaluate(SourceFile(name: "1", text: "x = 41"))
        #expect(throws: Diagnostic.self) { try interpreter.evaluate(SourceFile(name: "2", text: "x = x + nope")) }
        let v = try interpreter.evaluate(SourceFile(name: "3", text: "x + 1"))
        #expect(v?.displayText == "42")
    }
}
