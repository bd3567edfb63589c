/// A lexical token with its source range.
struct Token: Sendable {
    var kind: TokenKind
    var range: SourceRange
}

/// One piece of a string literal: literal text, or the byte range of an interpolated
/// expression (parsed later, in place, so its diagnostics point into the string).
enum StringSegment: Sendable, Equatable {
    case text(String)
    case code(SourceRange)
}

enum TokenKind: Sendable, Equatable {
    case number(Double)
    case string([StringSegment])
    case identifier(String)
    case keyword(Keyword)
    case symbol(Symbol)
    case newline
    case end

    /// The text of a symbol token (`(`), for messages about brackets.
    var symbolText: String {
        if case .symbol(let s) = self { return s.rawValue }
        return describe
    }

    /// How the token reads in a message: `'=>'`, `'fn'`, `end of input`.
    var describe: String {
        switch self {
        case .number(let n): return "number \(formatNumber(n))"
        case .string: return "string"
        case .identifier(let s): return "'\(s)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .symbol(let s): return "'\(s.rawValue)'"
        case .newline: return "newline"
        case .end: return "end of input"
        }
    }
}

enum Keyword: String, Sendable, CaseIterable {
    case fn, `let`, `if`, `else`, `for`, `in`, `while`, `return`, `break`, `continue`
    case `true`, `false`, `nil`, and, or, not
}

enum Symbol: String, Sendable, CaseIterable {
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
    case comma = ",", semicolon = ";", colon = ":", dot = ".", arrow = "=>", pipe = "|>"
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", at = "@", caret = "^"
    case assign = "=", plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="

    /// Tokens after which a newline does not end the statement (binary operators, `,`, `|>`).
    var continuesLine: Bool {
        switch self {
        case .comma, .pipe, .plus, .minus, .star, .slash, .percent, .at, .caret, .assign,
             .plusAssign, .minusAssign, .starAssign, .slashAssign, .equal, .notEqual, .less,
             .lessEqual, .greater, .greaterEqual, .arrow, .colon, .dot:
            return true
        default:
            return false
        }
    }
}
