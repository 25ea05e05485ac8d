/// A value in a running program.
///
/// Numbers, strings, booleans, `none` and lists belong to Language; everything with
/// machine-learning meaning (tensors, models) is a `host` value that Language only
/// passes around and asks questions of. Lists are Swift arrays, so they have value
/// semantics for free: `b = a; b[0] = 5` leaves `a` alone.
public enum Value {
    case none
    case bool(Bool)
    /// The one number type: students think in numbers, not in Int versus Float.
    case number(Double)
    case string(String)
    case list([Value])
    case function(UserFunction)
    case builtin(Builtin)
    case host(any HostValue)

    /// The type's name as `type(x)` reports it.
    public var typeName: String {
        switch self {
        case .none: return "none"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .list: return "list"
        case .function: return "function"
        case .builtin: return "builtin"
        case .host(let value): return value.typeName
        }
    }

    /// "a number", "an Embedding", "none": for messages that describe what was found.
    public var kindPhrase: String {
        if case .none = self { return "none" }
        let name = typeName
        // An acronym is read letter by letter: an MLP, an LSTM, an RNN, but a GPT.
        let isAcronym = name.count > 1 && name.allSatisfy { $0.isUppercase || $0.isNumber }
        let vowelSounds = isAcronym ? "AEFHILMNORSX" : "aeiouAEIOU"
        let article = name.first.map { vowelSounds.contains($0) } == true ? "an" : "a"
        return "\(article) \(name)"
    }

    /// The number, if this is one.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The number as an Int, if it is a whole number that fits.
    public var integer: Int? {
        guard case .number(let value) = self else { return nil }
        return Int(exactly: value)
    }

    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

extension Value: CustomStringConvertible {
    /// How `print` and `str` show a value: strings without quotes.
    public var description: String {
        if case .string(let text) = self { return text }
        return repr
    }

    /// How a value is shown inside a list or echoed at a prompt: strings quoted. Text
    /// past `Limits.maxStringLength` bytes is cut and ends in `…` (`isCut` tells): lists
    /// share their parts, so forty rounds of `x = [x, x]` would print as 2⁴⁰ elements.
    public var repr: String { repr(limit: Limits.maxStringLength) }

    /// `repr` cut, with `…`, once it passes `limit` bytes: a picture shows one line of
    /// a value, and quoting all of a 4 MB string to show its first 100 columns took 0.8 s.
    public func repr(limit: Int) -> String {
        var out = ""
        _ = writeRepr(into: &out, limit: limit)
        return out
    }

    /// Whether `repr` or `description` of a value had to be cut.
    public static func isCut(_ text: String) -> Bool { text.utf8.count > Limits.maxStringLength }

    /// Appends the value's text; false once it has been cut (nothing more is appended).
    private func writeRepr(into out: inout String, limit: Int) -> Bool {
        switch self {
        case .none: out += "none"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += Value.format(value)
        case .string(let text): Value.quote(text, into: &out, limit: limit)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                guard item.writeRepr(into: &out, limit: limit) else { return false }
            }
            out += "]"
        case .function(let function): out += "<function \(function.signature)>"
        case .builtin(let builtin): out += "<builtin \(builtin.signature)>"
        case .host(let value): out += value.description
        }
        guard out.utf8.count <= limit else {
            out += "…"
            return false
        }
        return true
    }

    /// Whole numbers without a decimal point (`3`, not `3.0`), others in Swift's
    /// shortest round-tripping form; `inf`, `-inf`, `nan`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e16, let whole = Int(exactly: value) {
            return String(whole)
        }
        return "\(value)"
    }

    /// About four significant digits, for differences in reports: 0.010000000000000009
    /// reads as 0.01.
    public static func formatRoughly(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return format(value) }
        let exponent = (Numbers.logarithm(abs(value)) / Numbers.logarithm(10)).rounded(.down) - 3
        // Dividing or multiplying by an exact power of ten keeps the result the nearest
        // double to the rounded decimal, so it prints short.
        if exponent < 0 {
            let scale = Numbers.power(10, -exponent)
            return format((value * scale).rounded() / scale)
        }
        let scale = Numbers.power(10, exponent)
        return format((value / scale).rounded() * scale)
    }

    static func quote(_ text: String) -> String {
        var result = ""
        quote(text, into: &result, limit: .max)
        return result
    }

    /// Appends `text` quoted, stopping once `out` is past `limit` bytes. By Unicode scalar:
    /// every escape is ASCII, and comparing Characters cost a grapheme walk per letter.
    static func quote(_ text: String, into out: inout String, limit: Int) {
        var quoted = String.UnicodeScalarView()
        var bytes = out.utf8.count + 1
        quoted.append("\"")
        for scalar in text.unicodeScalars {
            let escape: String? = switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\n": "\\n"
            case "\t": "\\t"
            case "\r": "\\r"
            default: nil
            }
            if let escape {
                quoted.append(contentsOf: escape.unicodeScalars)
                bytes += 2
            } else {
                quoted.append(scalar)
                bytes += scalar.utf8.count
            }
            if bytes > limit { break }
        }
        if bytes <= limit { quoted.append("\"") }
        out += String(quoted)  // (appending to out.unicodeScalars copied all of out each time)
    }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
}

/// A function defined with `def`.
///
/// A class, because a function has identity (it is the same function wherever it is
/// bound) and because it captures the scope it was defined in, as closures do.
public final class UserFunction {
    public let name: String
    /// Parameters, with default values evaluated once, when `def` ran (as in Python).
    public let parameters: [Parameter]
    /// The docstring, if the body starts with a string literal.
    public let doc: String?
    let body: [Stmt]
    let closure: Scope
    /// Where the function was written; errors inside it quote this text.
    let source: Source

    init(name: String, parameters: [Parameter], doc: String?, body: [Stmt], closure: Scope, source: Source) {
        self.name = name
        self.parameters = parameters
        self.doc = doc
        self.body = body
        self.closure = closure
        self.source = source
    }

    /// `f(a, b=2)`.
    public var signature: String {
        "\(name)(" + parameters.map(\.display).joined(separator: ", ") + ")"
    }
}

extension Value {
    /// The storage a list's items live in, the same for every copy that shares it: a key
    /// for walks over lists that share their parts (`x = [x, x]`) to visit each once.
    /// Nil for an empty list.
    public static func storage(of items: [Value]) -> UnsafeRawPointer? {
        items.withUnsafeBufferPointer { $0.baseAddress.map { UnsafeRawPointer($0) } }
    }
}
