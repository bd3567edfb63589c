/// Recursive-descent parser: statements and blocks here, expressions in
/// `Parser+Expressions.swift`. Each parse function quotes its grammar rule.
struct Parser {
    let file: SourceFile
    var tokens: [Token]
    var index = 0
    /// Nesting depth, bounded so hostile input cannot overflow the stack.
    var depth = 0
    static let maxDepth = 200

    init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
    }

    /// Parses a whole unit (script, REPL entry or cell).
    static func parseUnit(_ file: SourceFile) throws(Diagnostic) -> Block {
        var parser = Parser(file: file, tokens: try Lexer.tokenize(file))
        return try parser.unit()
    }

    // MARK: - Token helpers

    var current: Token { tokens[min(index, tokens.count - 1)] }
    var previousEnd: Int { index > 0 ? tokens[min(index - 1, tokens.count - 1)].range.end : 0 }

    func check(_ symbol: Symbol) -> Bool {
        if case .symbol(symbol) = current.kind { return true }
        return false
    }
    func check(_ keyword: Keyword) -> Bool {
        if case .keyword(keyword) = current.kind { return true }
        return false
    }
    var atNewline: Bool { if case .newline = current.kind { return true }; return false }
    var atEnd: Bool { if case .end = current.kind { return true }; return false }

    mutating func advance() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    mutating func match(_ symbol: Symbol) -> Bool {
        if check(symbol) { _ = advance(); return true }
        return false
    }
    mutating func match(_ keyword: Keyword) -> Bool {
        if check(keyword) { _ = advance(); return true }
        return false
    }

    mutating func skipNewlines() { while atNewline { _ = advance() } }

    /// An error at the current token; at end of input it is `.incomplete` so the REPL
    /// can ask for another line.
    func unexpected(_ expected: String) -> Diagnostic {
        let kind: Diagnostic.Kind = atEnd ? .incomplete : .syntax
        return Diagnostic(kind, "expected \(expected), found \(current.kind.describe)", file: file, range: current.range)
    }

    mutating func expect(_ symbol: Symbol, _ what: String) throws(Diagnostic) -> Token {
        guard check(symbol) else { throw unexpected(what) }
        return advance()
    }

    /// Expects the bracket that closes `opening`; the error says where it was opened.
    mutating func expectClosing(_ symbol: Symbol, _ what: String, opening: Token) throws(Diagnostic) -> Token {
        guard check(symbol) else {
            // Name the opening bracket when the problem shows on a later line.
            let open = file.location(of: opening.range.start)
            guard atEnd || file.location(of: current.range.start).line != open.line else { throw unexpected(what) }
            throw unexpected(what).with(note: "the '\(opening.kind.symbolText)' at \(open) is not closed")
        }
        return advance()
    }

    mutating func identifier(_ what: String) throws(Diagnostic) -> (String, SourceRange) {
        if case .identifier(let name) = current.kind {
            let token = advance()
            return (name, token.range)
        }
        if case .keyword(let k) = current.kind {
            throw Diagnostic(.syntax, "'\(k.rawValue)' is a keyword and cannot be used as \(what)", file: file, range: current.range)
        }
        throw unexpected(what)
    }

    mutating func enter() throws(Diagnostic) {
        depth += 1
        if depth > Parser.maxDepth {
            throw Diagnostic(.limit, "code nested too deeply (limit \(Parser.maxDepth) levels)", file: file, range: current.range)
        }
    }
    mutating func leave() { depth -= 1 }

    // MARK: - Statements

    // unit -> statements <end>
    mutating func unit() throws(Diagnostic) -> Block {
        let block = try statements(until: nil)
        guard atEnd else {
            throw Diagnostic(.syntax, "unexpected \(current.kind.describe)", file: file, range: current.range)
        }
        return block
    }

    // statements -> (statement (NEWLINE | ';'))*   until '}' or the end
    mutating func statements(until closer: Symbol?) throws(Diagnostic) -> Block {
        let start = current.range.start
        var statements: [Stmt] = []
        var valueIsLast = false
        while true {
            while atNewline || check(.semicolon) {
                if check(.semicolon) { valueIsLast = false }
                _ = advance()
            }
            if atEnd { break }
            if let closer, check(closer) { break }
            let stmt = try statement()
            statements.append(stmt)
            if case .expression = stmt.kind { valueIsLast = true } else { valueIsLast = false }
            if atNewline { continue }
            if check(.semicolon) { valueIsLast = false; _ = advance(); continue }
            if atEnd { break }
            if let closer, check(closer) { break }
            throw Diagnostic(.syntax, "expected a new line or ';' after the statement, found \(current.kind.describe)",
                             file: file, range: current.range)
        }
        return Block(statements: statements, valueIsLast: valueIsLast, range: SourceRange(start, previousEnd))
    }

    // block -> '{' statements '}'
    mutating func block() throws(Diagnostic) -> Block {
        try enter(); defer { leave() }
        let open = try expect(.lbrace, "'{'")
        var body = try statements(until: .rbrace)
        guard check(.rbrace) else {
            let kind: Diagnostic.Kind = atEnd ? .incomplete : .syntax
            throw Diagnostic(kind, "expected '}' to close the block opened here", file: file, range: open.range)
        }
        let close = advance()
        body.range = open.range.union(close.range)
        return body
    }

    // statement -> let | fn NAME | for | while | return | break | continue | expr (assignop expr)?
    mutating func statement() throws(Diagnostic) -> Stmt {
        let start = current.range
        if case .keyword(let keyword) = current.kind {
            switch keyword {
            case .let:
                _ = advance()
                let (name, nameRange) = try identifier("a variable name")
                _ = try expect(.assign, "'=' after 'let \(name)'")
                let value = try expression()
                return Stmt(.letDecl(name: name, nameRange: nameRange, value: value), start.union(value.range))
            case .fn:
                if case .identifier = tokens[min(index + 1, tokens.count - 1)].kind {
                    let decl = try function()
                    return Stmt(.function(decl), decl.range)
                }
            case .for:
                return try forLoop()
            case .while:
                _ = advance()
                let condition = try expression()
                let body = try block()
                return Stmt(.whileLoop(condition: condition, body: body), start.union(body.range))
            case .return:
                _ = advance()
                if atNewline || atEnd || check(.semicolon) || check(.rbrace) {
                    return Stmt(.returnStmt(nil), start)
                }
                let value = try expression()
                return Stmt(.returnStmt(value), start.union(value.range))
            case .break:
                _ = advance()
                return Stmt(.breakStmt, start)
            case .continue:
                _ = advance()
                return Stmt(.continueStmt, start)
            default:
                break
            }
        }
        let expr = try expression()
        if case .symbol(let s) = current.kind, let op = assignmentOperator(s) {
            let opToken = advance()
            let target = try assignTarget(expr)
            let value = try expression()
            return Stmt(.assign(target, op.binary, value, operatorRange: opToken.range), expr.range.union(value.range))
        }
        return Stmt(.expression(expr), expr.range)
    }

    private func assignmentOperator(_ s: Symbol) -> (binary: BinaryOperator?, Void)? {
        switch s {
        case .assign: return (nil, ())
        case .plusAssign: return (.add, ())
        case .minusAssign: return (.subtract, ())
        case .starAssign: return (.multiply, ())
        case .slashAssign: return (.divide, ())
        default: return nil
        }
    }

    private func assignTarget(_ expr: Expr) throws(Diagnostic) -> AssignTarget {
        switch expr.kind {
        case .name(let name): return .name(name, expr.range)
        case .member(let object, let name, let nameRange): return .member(object, name: name, nameRange: nameRange)
        case .index(let object, let items):
            return .index(object, items, range: SourceRange(object.range.end, expr.range.end))
        default:
            throw Diagnostic(.syntax, "cannot assign to this expression; expected a name, 'r.field' or 'xs[i]'",
                             file: file, range: expr.range)
        }
    }

    // for -> 'for' NAME (',' NAME)? 'in' expr block
    mutating func forLoop() throws(Diagnostic) -> Stmt {
        let start = advance().range
        let (first, firstRange) = try identifier("a loop variable name")
        var second: (String, SourceRange)?
        if match(.comma) { second = try identifier("a second loop variable name") }
        guard match(.in) else { throw unexpected("'in'") }
        let iterable = try expression()
        let body = try block()
        return Stmt(.forLoop(first: first, firstRange: firstRange, second: second?.0, secondRange: second?.1,
                             iterable: iterable, body: body), start.union(body.range))
    }

    // function -> 'fn' NAME? '(' parameters ')' ('=>' expr | block)
    mutating func function() throws(Diagnostic) -> FunctionDecl {
        try enter(); defer { leave() }
        let start = advance().range  // 'fn'
        var name: String?
        var nameRange: SourceRange?
        if case .identifier(let n) = current.kind { name = n; nameRange = advance().range }
        _ = try expect(.lparen, name == nil ? "'(' after 'fn'" : "'(' after 'fn \(name ?? "")'")
        var parameters: [Parameter] = []
        var seenDefault = false
        while !check(.rparen) {
            let (pname, prange) = try identifier("a parameter name")
            if parameters.contains(where: { $0.name == pname }) {
                throw Diagnostic(.syntax, "duplicate parameter '\(pname)'", file: file, range: prange)
            }
            var defaultValue: Expr?
            if match(.assign) {
                defaultValue = try expression()
                seenDefault = true
            } else if seenDefault {
                throw Diagnostic(.syntax, "parameter '\(pname)' without a default follows one with a default",
                                 file: file, range: prange)
            }
            parameters.append(Parameter(name: pname, range: prange, defaultValue: defaultValue))
            if !match(.comma) { break }
        }
        _ = try expect(.rparen, "',' or ')' in the parameter list")
        let body: Block
        if match(.arrow) {
            let value = try expression()
            body = Block(statements: [Stmt(.expression(value), value.range)], valueIsLast: true, range: value.range)
        } else if check(.lbrace) {
            body = try block()
        } else {
            throw unexpected("'{' or '=>' to start the function body")
        }
        return FunctionDecl(name: name, nameRange: nameRange, parameters: parameters, body: body,
                            range: start.union(body.range))
    }
}
