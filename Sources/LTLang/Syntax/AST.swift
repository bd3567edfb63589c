/// The syntax tree. Every node carries its source range so any error can point at it.

/// An expression with its range.
struct Expr: Sendable {
    var kind: ExprKind
    var range: SourceRange
    init(_ kind: ExprKind, _ range: SourceRange) { self.kind = kind; self.range = range }
}

indirect enum ExprKind: Sendable {
    case number(Double)
    case string(String)
    case interpolation([InterpolationPart])
    case bool(Bool)
    case nilLiteral
    case name(String)
    case list([Expr])
    case record([RecordField])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr, operatorRange: SourceRange)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case not(Expr)
    case call(callee: Expr, arguments: [Argument])
    case member(Expr, name: String, nameRange: SourceRange)
    case index(Expr, [IndexItem])
    case function(FunctionDecl)
    case ifElse(condition: Expr, then: Block, otherwise: Expr?)
    case block(Block)
}

enum InterpolationPart: Sendable {
    case text(String)
    case expr(Expr)
}

struct RecordField: Sendable {
    var name: String
    var nameRange: SourceRange
    var value: Expr
}

struct Argument: Sendable {
    var label: String?
    var labelRange: SourceRange?
    var value: Expr
    /// Range of the whole argument, label included.
    var range: SourceRange { labelRange.map { $0.union(value.range) } ?? value.range }
}

enum IndexItem: Sendable {
    case single(Expr)
    case slice(start: Expr?, stop: Expr?, step: Expr?, range: SourceRange)
}

/// Binary operators, lowest precedence first (LANGUAGE.md's table; `|>`, `and`, `or`, `not`
/// are handled by the parser directly).
enum BinaryOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="  // non-associative
    case add = "+", subtract = "-"                                                                  // + -
    case multiply = "*", divide = "/", modulo = "%", matmul = "@"                                   // * / % @
    case power = "^"                                                                                // right-associative
}

enum UnaryOperator: String, Sendable {
    case negate = "-"
}

struct Parameter: Sendable {
    var name: String
    var range: SourceRange
    var defaultValue: Expr?
}

struct FunctionDecl: Sendable {
    var name: String?
    var nameRange: SourceRange?
    var parameters: [Parameter]
    var body: Block
    var range: SourceRange
}

/// A `{ ... }` block or a whole unit. Its value is its last statement's, if that is an
/// expression not followed by `;`.
struct Block: Sendable {
    var statements: [Stmt]
    var valueIsLast: Bool
    var range: SourceRange
}

struct Stmt: Sendable {
    var kind: StmtKind
    var range: SourceRange
    init(_ kind: StmtKind, _ range: SourceRange) { self.kind = kind; self.range = range }
}

enum AssignTarget: Sendable {
    case name(String, SourceRange)
    case member(Expr, name: String, nameRange: SourceRange)
    /// `range` covers the brackets, where an index error points.
    case index(Expr, [IndexItem], range: SourceRange)
}

enum StmtKind: Sendable {
    case expression(Expr)
    case assign(AssignTarget, BinaryOperator?, Expr, operatorRange: SourceRange)
    case letDecl(name: String, nameRange: SourceRange, value: Expr)
    case function(FunctionDecl)
    case forLoop(first: String, firstRange: SourceRange, second: String?, secondRange: SourceRange?, iterable: Expr, body: Block)
    case whileLoop(condition: Expr, body: Block)
    case returnStmt(Expr?)
    case breakStmt
    case continueStmt
}
