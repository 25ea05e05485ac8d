/// Binary operators as the host sees them.
///
/// Language evaluates these itself for numbers, strings, booleans and lists; whenever a
/// host value is one of the operands it asks that value first (see
/// `HostValue.binary(_:_:hostOnLeft:)`).
public enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case floorDivide = "//"
    case modulo = "%"
    case power = "**"
    /// Matrix product.
    case matmul = "@"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    /// `item in container`. The container is the right operand, so a host container is
    /// asked with `hostOnLeft: false` and the item as `other`.
    case contains = "in"

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return true
        default: return false
        }
    }
}

/// Prefix operators a host value may implement. `not` is not among them: it is decided
/// by the value's truthiness.
public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case plus = "+"
}
