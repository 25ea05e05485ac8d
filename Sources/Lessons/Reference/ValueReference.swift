import Language
import Models

/// What a value offers, read off the value itself: a model's weights (with their shapes
/// for the example that made it), its parts, its members with the help they are
/// declared with, and its methods' signatures. Reading members off real values is what
/// keeps the reference from drifting: a member added to a binding shows up here.
enum ValueReference {
    struct Member {
        var name: String
        /// `.sizes`, `.predict(x)`, `W1 (3, 2)`.
        var display: String
        var help: String
    }

    /// The members of `value` a lesson can use, in the order a reader wants them:
    /// weights, parts, properties, methods.
    static func members(of value: Value) -> [Member] {
        guard case .host(let host) = value else { return [] }
        if let model = host as? ModelValue { return members(of: model) }
        return host.memberNames.compactMap { name in
            guard let member = try? host.member(named: name) else { return nil }
            if case .builtin(let builtin) = member {
                return Member(name: name, display: "." + builtin.signature, help: builtin.help)
            }
            return Member(name: name, display: "." + name, help: TensorMethods.propertyHelp[name] ?? describe(member))
        }
    }

    static func members(of model: ModelValue) -> [Member] {
        var out: [Member] = []
        for p in model.model.ownParameters {
            out.append(Member(name: p.name, display: ".\(p.name) \(formatShapeText(p.value.shape))", help: "a weight (settable, like a tensor)"))
        }
        for part in model.model.parts {
            let type = ModelBindings.binding(for: part.model).typeName
            out.append(Member(name: part.name, display: "." + part.name, help: "a part, a \(type) with weights of its own"))
        }
        for (name, property) in model.binding.properties.sorted(by: { $0.key < $1.key }) where !out.contains(where: { $0.name == name }) {
            out.append(Member(name: name, display: "." + name, help: property.help))
        }
        for method in model.binding.methods {
            out.append(Member(name: method.name, display: "." + method.signature, help: method.help))
        }
        out.append(Member(name: "parameters", display: ".parameters", help: "the names of every weight, parts' weights included"))
        out.append(Member(name: "summary", display: ".summary", help: "one line: what it is and its sizes"))
        return out
    }

    /// What a member that is not a method holds: "a number (4)", "a tensor (4, 4)".
    static func describe(_ value: Value) -> String {
        switch value {
        case .number(let n): return "a number (here \(Value.number(n).repr))"
        case .string: return "a string"
        case .bool: return "true or false"
        case .list(let items): return "a list (here of \(items.count))"
        case .host(let host):
            if let t = host as? TensorValue { return "a tensor \(formatShapeText(t.tensor.shape))" }
            return "a \(host.typeName)"
        default: return value.kindPhrase
        }
    }

    static func formatShapeText(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }
}
