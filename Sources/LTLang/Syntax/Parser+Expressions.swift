/// Expression grammar, lowest precedence first, as in LANGUAGE.md's operator table.
extension Parser {
    // expression -> pipe
    mutating func expression() throws(Diagnostic) -> Expr {
        try enter(); defer { leave() }
        return try pipe()
    }

    // pipe -> or ('|>' or)*          x |> f(a) is f(x, a); x |> f is f(x)
    mutating func pipe() throws(Diagnostic) -> Expr {
        var lhs = try or()
        let base = depth
        defer { depth = base }
        while match(.pipe) {
            try enter()  // each operator nests the tree one level deeper
            let rhs = try or()
            let range = lhs.range.union(rhs.range)
            let piped = Argument(label: nil, labelRange: nil, value: lhs)
            if case .call(let callee, let arguments) = rhs.kind {
                lhs = Expr(.call(callee: callee, arguments: [piped] + arguments), range)
            } else {
                lhs = Expr(.call(callee: rhs, arguments: [piped]), range)
            }
        }
        return lhs
    }

    // or -> and ('or' and)*
    mutating func or() throws(Diagnostic) -> Expr {
        var lhs = try and()
        let base = depth
        defer { depth = base }
        while match(.or) {
            try enter()
            let rhs = try and()
            lhs = Expr(.or(lhs, rhs), lhs.range.union(rhs.range))
        }
        return lhs
    }

    // and -> not ('and' not)*
    mutating func and() throws(Diagnostic) -> Expr {
        var lhs = try not()
        let base = depth
        defer { depth = base }
        while match(.and) {
            try enter()
            let rhs = try not()
            lhs = Expr(.and(lhs, rhs), lhs.range.union(rhs.range))
        }
        return lhs
    }

    // not -> 'not' not | comparison
    mutating func not() throws(Diagnostic) -> Expr {
        if check(.not) {
            let start = advance().range
            try enter(); defer { leave() }
            let operand = try not()
            return Expr(.not(operand), start.union(operand.range))
        }
        return try comparison()
    }

    // comparison -> additive (('==' | '!=' | '<' | '<=' | '>' | '>=') additive)?   non-associative
    mutating func comparison() throws(Diagnostic) -> Expr {
        let lhs = try additive()
        guard let op = comparisonOperator() else { return lhs }
        let opRange = advance().range
        let rhs = try additive()
        if comparisonOperator() != nil {
            throw Diagnostic(.syntax, "comparisons cannot be chained; write 'a < b and b < c'",
                             file: file, range: current.range)
        }
        return Expr(.binary(op, lhs, rhs, operatorRange: opRange), lhs.range.union(rhs.range))
    }

    private func comparisonOperator() -> BinaryOperator? {
        guard case .symbol(let s) = current.kind else { return nil }
        switch s {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        default: return nil
        }
    }

    // additive -> multiplicative (('+' | '-') multiplicative)*
    mutating func additive() throws(Diagnostic) -> Expr {
        var lhs = try multiplicative()
        let base = depth
        defer { depth = base }
        while true {
            let op: BinaryOperator
            if check(.plus) { op = .add } else if check(.minus) { op = .subtract } else { return lhs }
            try enter()
            let opRange = advance().range
            let rhs = try multiplicative()
            lhs = Expr(.binary(op, lhs, rhs, operatorRange: opRange), lhs.range.union(rhs.range))
        }
    }

    // multiplicative -> unary (('*' | '/' | '%' | '@') unary)*
    mutating func multiplicative() throws(Diagnostic) -> Expr {
        var lhs = try unary()
        let base = depth
        defer { depth = base }
        while true {
            let op: BinaryOperator
            if check(.star) { op = .multiply } else if check(.slash) { op = .divide }
            else if check(.percent) { op = .modulo } else if check(.at) { op = .matmul } else { return lhs }
            try enter()
            let opRange = advance().range
            let rhs = try unary()
            lhs = Expr(.binary(op, lhs, rhs, operatorRange: opRange), lhs.range.union(rhs.range))
        }
    }

    // unary -> '-' unary | power
    mutating func unary() throws(Diagnostic) -> Expr {
        if check(.minus) {
            let start = advance().range
            try enter(); defer { leave() }
            let operand = try unary()
            if case .number(let n) = operand.kind { return Expr(.number(-n), start.union(operand.range)) }
            return Expr(.unary(.negate, operand), start.union(operand.range))
        }
        return try power()
    }

    // power -> postfix ('^' unary)?     right-associative; -2^2 is -(2^2)
    mutating func power() throws(Diagnostic) -> Expr {
        let base = try postfix()
        guard check(.caret) else { return base }
        let opRange = advance().range
        try enter(); defer { leave() }
        let exponent = try unary()
        return Expr(.binary(.power, base, exponent, operatorRange: opRange), base.range.union(exponent.range))
    }

    // postfix -> primary ('(' arguments ')' | '[' indices ']' | '.' NAME)*
    mutating func postfix() throws(Diagnostic) -> Expr {
        var expr = try primary()
        let base = depth
        defer { depth = base }
        while true {
            if check(.lparen) || check(.lbracket) || check(.dot) { try enter() }
            if check(.lparen) {
                let open = advance()
                var arguments: [Argument] = []
                var seenLabel = false
                while !check(.rparen) {
                    if case .identifier(let label) = current.kind, case .symbol(.colon) = tokens[min(index + 1, tokens.count - 1)].kind {
                        let labelRange = advance().range
                        _ = advance()
                        if arguments.contains(where: { $0.label == label }) {
                            throw Diagnostic(.syntax, "keyword argument '\(label)' given twice", file: file, range: labelRange)
                        }
                        arguments.append(Argument(label: label, labelRange: labelRange, value: try expression()))
                        seenLabel = true
                    } else {
                        let value = try expression()
                        if seenLabel {
                            throw Diagnostic(.syntax, "positional argument after keyword arguments", file: file, range: value.range)
                        }
                        arguments.append(Argument(label: nil, labelRange: nil, value: value))
                    }
                    if !match(.comma) { break }
                }
                let close = try expectClosing(.rparen, "',' or ')' in the argument list", opening: open)
                expr = Expr(.call(callee: expr, arguments: arguments), expr.range.union(close.range))
            } else if check(.lbracket) {
                let open = advance()
                var items: [IndexItem] = []
                repeat {
                    if check(.rbracket) { break }
                    items.append(try indexItem())
                } while match(.comma)
                let close = try expectClosing(.rbracket, "',' or ']' in the index", opening: open)
                if items.isEmpty {
                    throw Diagnostic(.syntax, "empty index; write xs[i] or xs[a:b]", file: file, range: close.range)
                }
                expr = Expr(.index(expr, items), expr.range.union(close.range))
            } else if check(.dot) {
                _ = advance()
                let (name, nameRange) = try identifier("a field name after '.'")
                expr = Expr(.member(expr, name: name, nameRange: nameRange), expr.range.union(nameRange))
            } else {
                return expr
            }
        }
    }

    // index -> expr | expr? ':' expr? (':' expr?)?
    private mutating func indexItem() throws(Diagnostic) -> IndexItem {
        let start = current.range.start
        var first: Expr?
        if !check(.colon) { first = try expression() }
        guard check(.colon) else {
            if let first { return .single(first) }
            throw unexpected("an index")
        }
        _ = advance()
        var stop: Expr?
        var step: Expr?
        if !check(.colon) && !check(.comma) && !check(.rbracket) { stop = try expression() }
        if match(.colon) {
            if !check(.comma) && !check(.rbracket) { step = try expression() }
        }
        return .slice(start: first, stop: stop, step: step, range: SourceRange(start, previousEnd))
    }

    // primary -> NUMBER | STRING | NAME | 'true' | 'false' | 'nil' | '(' expr ')' | list | record
    //          | block | 'fn' lambda | if
    mutating func primary() throws(Diagnostic) -> Expr {
        let token = current
        switch token.kind {
        case .number(let n):
            _ = advance()
            return Expr(.number(n), token.range)
        case .string(let segments):
            _ = advance()
            return try stringLiteral(segments, token.range)
        case .identifier(let name):
            _ = advance()
            return Expr(.name(name), token.range)
        case .keyword(.true):
            _ = advance(); return Expr(.bool(true), token.range)
        case .keyword(.false):
            _ = advance(); return Expr(.bool(false), token.range)
        case .keyword(.nil):
            _ = advance(); return Expr(.nilLiteral, token.range)
        case .keyword(.fn):
            let decl = try function()
            return Expr(.function(decl), decl.range)
        case .keyword(.if):
            return try ifExpression()
        case .symbol(.lparen):
            _ = advance()
            let inner = try expression()
            let close = try expectClosing(.rparen, "')'", opening: token)
            return Expr(inner.kind, token.range.union(close.range))
        case .symbol(.lbracket):
            return try listLiteral()
        case .symbol(.lbrace):
            if looksLikeRecord() { return try recordLiteral() }
            let body = try block()
            return Expr(.block(body), body.range)
        default:
            throw unexpected("an expression")
        }
    }

    // if -> 'if' expr block ('else' (if | block))?
    mutating func ifExpression() throws(Diagnostic) -> Expr {
        try enter(); defer { leave() }
        let start = advance().range
        let condition = try expression()
        let then = try block()
        // `else` may sit on the next line.
        let save = index
        skipNewlines()
        guard match(.else) else {
            index = save
            return Expr(.ifElse(condition: condition, then: then, otherwise: nil), start.union(then.range))
        }
        let otherwise: Expr
        if check(.if) {
            otherwise = try ifExpression()
        } else {
            let body = try block()
            otherwise = Expr(.block(body), body.range)
        }
        return Expr(.ifElse(condition: condition, then: then, otherwise: otherwise), start.union(otherwise.range))
    }

    // list -> '[' (expr (',' expr)* ','?)? ']'
    private mutating func listLiteral() throws(Diagnostic) -> Expr {
        try enter(); defer { leave() }
        let open = advance()
        var elements: [Expr] = []
        while !check(.rbracket) {
            elements.append(try expression())
            if !match(.comma) { break }
        }
        let close = try expectClosing(.rbracket, "',' or ']' in the list", opening: open)
        return Expr(.list(elements), open.range.union(close.range))
    }

    /// `{` starts a record when followed by `}` or by `name:` / `"name":`.
    private func looksLikeRecord() -> Bool {
        var i = index + 1
        while i < tokens.count, case .newline = tokens[i].kind { i += 1 }
        guard i < tokens.count else { return false }
        switch tokens[i].kind {
        case .symbol(.rbrace): return true
        case .identifier, .string:
            if i + 1 < tokens.count, case .symbol(.colon) = tokens[i + 1].kind { return true }
            return false
        default: return false
        }
    }

    // record -> '{' (key ':' expr (',' key ':' expr)* ','?)? '}'
    private mutating func recordLiteral() throws(Diagnostic) -> Expr {
        try enter(); defer { leave() }
        let open = advance()
        var fields: [RecordField] = []
        skipNewlines()
        while !check(.rbrace) {
            let key: String
            let keyRange = current.range
            switch current.kind {
            case .identifier(let name): key = name
            case .string(let segments):
                guard segments.allSatisfy({ if case .text = $0 { return true }; return false }) else {
                    throw Diagnostic(.syntax, "a record key cannot be interpolated", file: file, range: keyRange)
                }
                key = segments.map { if case .text(let t) = $0 { return t }; return "" }.joined()
            default: throw unexpected("a field name")
            }
            _ = advance()
            if fields.contains(where: { $0.name == key }) {
                throw Diagnostic(.syntax, "field '\(key)' given twice", file: file, range: keyRange)
            }
            _ = try expect(.colon, "':' after the field name")
            fields.append(RecordField(name: key, nameRange: keyRange, value: try expression()))
            skipNewlines()
            if !match(.comma) { break }
            skipNewlines()
        }
        skipNewlines()
        let close = try expectClosing(.rbrace, "',' or '}' in the record", opening: open)
        return Expr(.record(fields), open.range.union(close.range))
    }

    /// Parses `{expr}` parts in place, so their ranges point into the string.
    private mutating func stringLiteral(_ segments: [StringSegment], _ range: SourceRange) throws(Diagnostic) -> Expr {
        if segments.isEmpty { return Expr(.string(""), range) }
        if segments.count == 1, case .text(let text) = segments[0] { return Expr(.string(text), range) }
        var parts: [InterpolationPart] = []
        for segment in segments {
            switch segment {
            case .text(let text): parts.append(.text(text))
            case .code(let codeRange):
                let tokens = try Lexer.tokenize(file, range: codeRange)
                var sub = Parser(file: file, tokens: tokens.filter { if case .newline = $0.kind { return false }; return true })
                sub.depth = depth
                if sub.atEnd {
                    throw Diagnostic(.syntax, "empty '{}' in string; write '{{}}' for literal braces", file: file,
                                     range: SourceRange(codeRange.start - 1, codeRange.end + 1))
                }
                let expr = try sub.expression()
                guard sub.atEnd else {
                    throw Diagnostic(.syntax, "unexpected \(sub.current.kind.describe) in string interpolation",
                                     file: file, range: sub.current.range)
                }
                parts.append(.expr(expr))
            }
        }
        return Expr(.interpolation(parts), range)
    }
}
