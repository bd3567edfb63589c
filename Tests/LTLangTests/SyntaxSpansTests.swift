import Testing
import LTLang

/// Syntax colouring spans come from the lexer and never fail.
@Suite struct SyntaxSpansTests {
    func classes(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return SyntaxSpans.of(text).map { "\($0.kind.rawValue):\(String(decoding: bytes[$0.start..<$0.end], as: UTF8.self))" }
    }

    @Test func classifiesTokensAndComments() {
        #expect(classes("fn f(x) => x * 2.5 # half\nif true { \"s\" }") == [
            "keyword:fn", "function:f", "number:2.5", "comment:# half", "keyword:if", "keyword:true", "string:\"s\"",
        ])
    }

    @Test func resumesAfterWhatTheLexerRejects() {
        #expect(classes("x = \"open\ny = 1") == ["number:1"])
        #expect(classes("a = 1 $ 2\nb = 3") == ["number:1", "number:3"])
        #expect(classes("") == [])
    }

    @Test func spansAreOrderedAndDisjoint() {
        let spans = SyntaxSpans.of("s = \"a {f(\"b {1}\")} c\" # {x}\n'q'")
        #expect(zip(spans, spans.dropFirst()).allSatisfy { $0.end <= $1.start })
        #expect(spans.map(\.kind) == [.string, .string, .number, .string, .string, .comment, .string])
    }
}
