/// The syntax tree.
///
/// Every node knows where it came from. Expressions also carry a *focus*: the part a
/// runtime error about them should point at — the operator of a binary expression, the
/// member name after the dot, the brackets of a subscript, the whole of a call.
///
/// Expressions are immutable objects rather than structs so that passing one around the
/// recursive parser and evaluator copies a reference, not eighty bytes.
final class Expr: Sendable {
    indirect enum Kind: Sendable {
        case number(Double)
        case string(String)
        case bool(Bool)
        case none
        case name(String)
        /// `[a, b]`: offered to the host, which may turn it into a tensor.
        case list([Expr])
        /// `a, b` or `(a, b)`: always a plain list, never converted by the host.
        case tuple([Expr])
        case unary(UnaryOperator, Expr)
        case not(Expr)
        case binary(BinaryOperator, Expr, Expr)
        case and(Expr, Expr)
        case or(Expr, Expr)
        /// `a ≈ b` with the default tolerance.
        case approx(Expr, Expr)
        /// `a is b`.
        case identical(Expr, Expr)
        case call(Expr, [Argument])
        case subscripted(Expr, [SubscriptExpr])
        case member(Expr, String)
        /// `trace e`: evaluated inside the host's trace hook, labelled with e's source text.
        case trace(Expr, label: String)
    }

    let kind: Kind
    let start: SourceLocation
    let end: SourceLocation
    let focus: SourceLocation
    let focusEnd: SourceLocation
    /// Height of the tree below this node, kept so the parser can refuse trees deep
    /// enough to exhaust the interpreter's stack.
    let depth: Int

    init(kind: Kind, start: SourceLocation, end: SourceLocation, focus: SourceLocation, focusEnd: SourceLocation, depth: Int) {
        self.kind = kind
        self.start = start
        self.end = end
        self.focus = focus
        self.focusEnd = focusEnd
        self.depth = depth
    }
}

struct Argument: Sendable {
    /// Nil for a positional argument.
    var name: String?
    var value: Expr
    var nameLocation: SourceLocation
}

enum SubscriptExpr: Sendable {
    case index(Expr)
    case slice(start: Expr?, stop: Expr?, step: Expr?)
}

/// The left side of an assignment or the variable of a `for` loop.
struct Target: Sendable {
    indirect enum Kind: Sendable {
        case name(String)
        /// `object.name = …`: the object is any expression, evaluated once.
        case member(Expr, String)
        /// `base[parts] = …`: functional update of the base, written back to the base.
        case subscripted(Target, [SubscriptExpr])
        /// `a, b = …`: unpacking.
        case tuple([Target])
    }

    var kind: Kind
    var start: SourceLocation
    var end: SourceLocation
    /// Where errors point: the name, the member name, or the subscript's brackets.
    var focus: SourceLocation
    var focusEnd: SourceLocation
}

struct Branch: Sendable {
    var condition: Expr
    var body: [Stmt]
}

struct ParameterDecl: Sendable {
    var name: String
    var defaultValue: Expr?
}

struct FunctionDecl: Sendable {
    var name: String
    var parameters: [ParameterDecl]
    var body: [Stmt]
    /// The first statement of the body when it is a string literal, as in Python.
    var doc: String?
}

struct ExpectDecl: Sendable {
    var condition: Expr
    var tolerance: Expr?
    /// The claim's source text as written, tolerance included, for reports.
    var text: String
}

struct Stmt: Sendable {
    indirect enum Kind: Sendable {
        /// An expression whose value the host is shown (text is its source).
        case expression(Expr, text: String)
        /// `a = b = value`: one or more targets.
        case assign([Target], Expr)
        case augmented(Target, BinaryOperator, Expr)
        case conditional([Branch], otherwise: [Stmt])
        case whileLoop(Expr, [Stmt])
        case forLoop(Target, Expr, [Stmt])
        case function(FunctionDecl)
        case returnValue(Expr?)
        case breakLoop
        case continueLoop
        case pass
        case expect(ExpectDecl)
    }

    var kind: Kind
    var start: SourceLocation
    var end: SourceLocation
}

/// A parsed program or cell, ready to run.
public struct Program: Sendable {
    /// The text it was parsed from; runtime errors quote it.
    public let source: Source
    let statements: [Stmt]

    /// True when the program is one expression statement, such as `A[0]` typed at a
    /// prompt — a REPL may use this to decide how to echo.
    public var isSingleExpression: Bool {
        guard statements.count == 1, case .expression = statements[0].kind else { return false }
        return true
    }
}
