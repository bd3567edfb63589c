import LTLang
import Testing

/// Parse errors: unfinished input is `.incomplete` (the REPL then asks for another line);
/// finished but wrong input is `.syntax`.
@Suite struct ParserTests {
    static func kind(_ text: String) -> Diagnostic.Kind? {
        Interpreter.parse(SourceFile(name: "t.lt", text: text))?.kind
    }

    static let unfinished = [
        "fn f() {", "x = (1 +", "[1, 2", "{a: 1,", "\"abc", "if x > 1 {\n  print(1)", "x = 1 +", "foo(",
        "xs |>", "for x in xs", "while true", "fn(a, b) =>", "if a { 1 } else", "let x =", "r.", "x = 'it\\",
        "{", "xs[1:",
    ]

    @Test(arguments: unfinished)
    func unfinishedInputIsIncomplete(_ text: String) {
        #expect(ParserTests.kind(text) == .incomplete, "\(text)")
    }

    static let wrong = [
        "x = )", "1 2", "fn f(a a) {}", "x = [1, 2 3]", "3 = x", "if !x { }", "0 < x < 3", "print(a: 1, 2)",
        "x = 1 }", "let = 3", "f(x: 1, x: 2)", "fn(a = 1, b) => a", "xs[]", "\"\\q\"", "\"{}\"", "1.5e",
    ]

    @Test(arguments: wrong)
    func wrongInputIsASyntaxError(_ text: String) {
        #expect(ParserTests.kind(text) == .syntax, "\(text)")
    }

    static let fine = [
        "", "# only a comment", "x = 1; y = 2;", "{}", "{a: 1}", "{ 1 }", "fn f(a, b = 2) { a + b }",
        "xs |> map(fn(x) => x)\n  |> sum", "if a { 1 }\nelse { 2 }", "r.f(1).g(k: 2)[0][1:2:3]", "-2 ^ -2",
        "not not x", "\"{ {a: 1}.a }\"", "for i, x in enumerate(xs) { }", "x = fn() { return }",
    ]

    @Test(arguments: fine)
    func validInputParses(_ text: String) {
        #expect(ParserTests.kind(text) == nil, "\(text)")
    }

    @Test func nestingDeeperThanTheLimitIsALimitError() {
        let deep = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        #expect(ParserTests.kind(deep) == .limit)
        let chain = "x = 1" + String(repeating: " + 1", count: 500)
        #expect(ParserTests.kind(chain) == .limit)
    }
}
