@testable import LTLang
import Testing

/// Tokens, their byte ranges, and the newline rules of LANGUAGE.md.
@Suite struct LexerTests {
    static func tokens(_ text: String) throws(Diagnostic) -> [Token] {
        try Lexer.tokenize(SourceFile(name: "t.lt", text: text))
    }

    /// Token kinds in a compact form: `x = 1 ⏎` reads `name:x = num:1 NL END`.
    static func kinds(_ text: String) throws -> String {
        try tokens(text).map { token -> String in
            switch token.kind {
            case .number(let n): return "num:\(formatNumber(n))"
            case .string: return "str"
            case .identifier(let s): return "name:\(s)"
            case .keyword(let k): return k.rawValue
            case .symbol(let s): return s.rawValue
            case .newline: return "NL"
            case .end: return "END"
            }
        }.joined(separator: " ")
    }

    @Test func tokensCarryTheirByteRanges() throws {
        let t = try LexerTests.tokens("acc = 12.5 |> f")
        #expect(t.map(\.range) == [SourceRange(0, 3), SourceRange(4, 5), SourceRange(6, 10), SourceRange(11, 13),
                                   SourceRange(14, 15), SourceRange(15, 15)])
    }

    @Test func rangesCountBytesNotCharacters() throws {
        let t = try LexerTests.tokens("\"é\" + x")
        #expect(t[0].range == SourceRange(0, 4))  // é is two bytes
        #expect(t[2].range == SourceRange(7, 8))
    }

    @Test func numberForms() throws {
        #expect(try LexerTests.kinds("42; 3.14; 1e-3; 1_000; 2E+2") == "num:42 ; num:3.14 ; num:0.001 ; num:1000 ; num:200 END")
        #expect(try LexerTests.kinds("[.5, -.25]") == "[ num:0.5 , - num:0.25 ] END")
    }

    @Test func aDotAfterAnOperandIsMemberAccess() throws {
        #expect(try LexerTests.kinds("x.5") == "name:x . num:5 END")
        #expect(try LexerTests.kinds("4.twice()") == "num:4 . name:twice ( ) END")
    }

    @Test func keywordsAndNames() throws {
        #expect(try LexerTests.kinds("fn let if else for in while return break continue true false nil and or not x_1")
                == "fn let if else for in while return break continue true false nil and or not name:x_1 END")
    }

    @Test func stringSegmentsSplitInterpolation() throws {
        let t = try LexerTests.tokens("\"a {x} {{b}}\"")
        guard case .string(let segments) = t[0].kind else {
            Issue.record("not a string")
            return
        }
        #expect(segments == [.text("a "), .code(SourceRange(4, 5)), .text(" {b}")])
    }

    @Test func escapes() throws {
        let t = try LexerTests.tokens(#""\n\t\\\"\'\u{1F600}""#)
        guard case .string(let segments) = t[0].kind else {
            Issue.record("not a string")
            return
        }
        #expect(segments == [.text("\n\t\\\"'😀")])
    }

    @Test func aNewlineEndsAStatement() throws {
        #expect(try LexerTests.kinds("a = 1\nb = 2") == "name:a = num:1 NL name:b = num:2 END")
    }

    @Test func noNewlineAfterABinaryOperatorCommaOrPipe() throws {
        #expect(try LexerTests.kinds("a +\nb") == "name:a + name:b END")
        #expect(try LexerTests.kinds("f(a,\nb)") == "name:f ( name:a , name:b ) END")
        #expect(try LexerTests.kinds("a |>\nf") == "name:a |> name:f END")
        #expect(try LexerTests.kinds("a and\nb") == "name:a and name:b END")
    }

    @Test func noNewlineInsideParenthesesOrBrackets() throws {
        #expect(try LexerTests.kinds("(a\n+ b)") == "( name:a + name:b ) END")
        #expect(try LexerTests.kinds("[1\n2]") == "[ num:1 num:2 ] END")
    }

    @Test func newlinesCountInsideBraces() throws {
        #expect(try LexerTests.kinds("{ a\nb }") == "{ name:a NL name:b } END")
        // ...even when the braces sit inside parentheses.
        #expect(try LexerTests.kinds("f(fn() { a\nb })") == "name:f ( fn ( ) { name:a NL name:b } ) END")
    }

    @Test func noNewlineBeforeALineStartingWithPipeOrDotName() throws {
        #expect(try LexerTests.kinds("xs\n  |> f") == "name:xs |> name:f END")
        #expect(try LexerTests.kinds("xs\n\n  # note\n  .sort()") == "name:xs . name:sort ( ) END")
        // A line starting with a number like .5 is a new statement.
        #expect(try LexerTests.kinds("x\n.5") == "name:x NL num:0.5 END")
    }

    @Test func blankLinesAndCommentsGiveOneNewline() throws {
        #expect(try LexerTests.kinds("a # c\n\n\n# d\nb") == "name:a NL name:b END")
    }

    @Test func backslashJoinsLines() throws {
        #expect(try LexerTests.kinds("a \\\n+ b") == "name:a + name:b END")
    }

    @Test func endOfInputSitsAfterTheLastToken() throws {
        let t = try LexerTests.tokens("x = 1 +   \n\n")
        #expect(t.last?.range == SourceRange(7, 7))
    }

    @Test func unterminatedStringIsIncomplete() {
        #expect(throws: Diagnostic.self) { try LexerTests.tokens("\"abc") }
        do {
            _ = try LexerTests.tokens("x = 'abc")
        } catch {
            #expect(error.kind == .incomplete)
            #expect(error.range == SourceRange(4, 8))
        }
    }

    @Test func aNameRightAfterANumberIsAnError() {
        do {
            _ = try LexerTests.tokens("3x")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.message == "invalid number literal")
        }
    }
}
