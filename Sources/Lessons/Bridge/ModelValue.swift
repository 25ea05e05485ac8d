import Language
import Models
import Render
import Tensor

/// How one kind of model appears in the language: its type name, how calling it works,
/// and members beyond its parameters (properties, settable settings, methods).
struct ModelBinding {
    var typeName: String
    /// Parameters of `model(...)`; nil when the model is not callable.
    var callParameters: [Language.Parameter]?
    var call: ((BoundArguments) throws -> Value)?
    /// Read-only (or settable, see `setters`) members: `attn.weights`, `stack.epsilon`.
    var properties: [String: Property] = [:]
    /// Members a student may assign that are not parameters (`stack.epsilon = 0.1`).
    var setters: [String: (Value) throws -> Void] = [:]
    /// Methods: `gpt.generate(...)`, `cnn.accuracy(x, y)`.
    var methods: [Builtin] = []

    /// A member read by name, with the line `help(model)` and the reference give it.
    struct Property {
        var help: String
        var get: () throws -> Value
    }

    /// Declares the member `name`; `help` says what it holds (and "settable" when a
    /// setter goes with it), since the reference is generated from these.
    mutating func property(_ name: String, _ help: String, _ get: @escaping () throws -> Value) {
        properties[name] = Property(help: help, get: get)
    }
}

/// A model in the language: an object (two names can share it, as in Python) whose
/// members are its parameters by lecture name (`attn.Wq`, readable and assignable), its
/// parts (`stack.f1`), and what its binding adds.
final class ModelValue: HostValue, PictureProviding {
    let model: any Model
    let binding: ModelBinding
    /// Makes a fresh model of the same construction, for copies (rewinding a cell).
    let remake: () throws -> ModelValue
    /// For a part (`stack.f1`) or a model-valued member (`w2v.embedding`): the model it
    /// belongs to and the member it was read from. Its copies are that member of the
    /// owner's copy, so a saved part stays part of its model after a rewind.
    let owner: (parent: ModelValue, member: String)?

    init(_ model: any Model, binding: ModelBinding, owner: (parent: ModelValue, member: String)? = nil,
         remake: @escaping () throws -> ModelValue) {
        self.model = model
        self.binding = binding
        self.owner = owner
        self.remake = remake
    }

    var typeName: String { binding.typeName }
    var description: String { model.summary }

    var memberNames: [String] {
        model.ownParameters.map(\.name) + model.parts.map(\.name) + binding.properties.keys.sorted()
            + binding.methods.map(\.name) + ["parameters", "summary"]
    }

    var helpText: String? {
        var lines = [model.summary]
        let params = model.namedParameters.map { "\($0.path) \(formatShape($0.parameter.shape))" }
        if !params.isEmpty { lines.append("weights: " + params.joined(separator: ", ")) }
        if let call = binding.callParameters {
            lines.append("call it on (" + call.map(\.name).joined(separator: ", ") + "), like a function")
        }
        for (name, property) in binding.properties.sorted(by: { $0.key < $1.key }) { lines.append("." + name + " — " + property.help) }
        for method in binding.methods { lines.append("." + method.signature + " — " + method.help) }
        return lines.joined(separator: "\n")
    }

    func member(named name: String) throws -> Value? {
        if let p = model.ownParameters.first(where: { $0.name == name }) { return Kit.tensor(p.value) }
        if let part = model.parts.first(where: { $0.name == name }) {
            return .host(ModelValue.part(part.model, of: self, member: name))
        }
        if let property = binding.properties[name] {
            let value = try property.get()
            if case .host(let host) = value, let child = host as? ModelValue, child.owner == nil, child.model !== model {
                return .host(ModelValue.part(child.model, of: self, member: name))
            }
            return value
        }
        if let method = binding.methods.first(where: { $0.name == name }) { return .builtin(method) }
        switch name {
        case "parameters":
            return .list(model.namedParameters.map { .string($0.path) })
        case "summary":
            return .string(model.summary)
        default:
            return nil
        }
    }

    /// `attn.Wq = [[1, 0], [0, 1]]`: a parameter takes new values of its own shape (and
    /// stays trainable); settings take what their setter accepts.
    func setMember(named name: String, to value: Value) throws {
        if let p = model.ownParameters.first(where: { $0.name == name }) {
            let t = try Conversions.tensor(value, what: "\(name)")
            guard t.shape == p.shape else {
                throw RuntimeError("\(name) has shape \(formatShape(p.shape)); the new value has shape \(formatShape(t.shape))",
                                   hint: "a weight keeps its shape: assign a tensor of shape \(formatShape(p.shape))")
            }
            try p.assign(t)
            return
        }
        if let setter = binding.setters[name] {
            try setter(value)
            return
        }
        if model.parts.contains(where: { $0.name == name }) || binding.properties[name] != nil {
            throw RuntimeError("'\(name)' of \(typeName) cannot be replaced; change its weights instead")
        }
        throw RuntimeError("\(typeName) has no member '\(name)'",
                           hint: "its weights are: " + model.ownParameters.map(\.name).joined(separator: ", "))
    }

    func call(_ arguments: Arguments, context: CallContext) throws -> Value {
        guard let parameters = binding.callParameters, let call = binding.call else {
            throw RuntimeError("\(typeName) cannot be called")
        }
        // Mistakes name the model as the student called it: `mha() got an unexpected keyword`.
        let written = context.span.text.prefix { $0 != "(" }.trimmingWhitespace()
        let isName = !written.isEmpty && written.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        return try call(try context.bind(arguments, to: parameters, callee: isName ? written : typeName))
    }

    /// A deep copy: the same construction, then every weight, setting and piece of
    /// training state copied over; a part is the same part of its owner's copy.
    func copy(using copier: Copier) -> any HostValue {
        if let owner {
            guard let parentCopy = copier.copy(owner.parent) as? ModelValue,
                  case .host(let host)? = try? parentCopy.member(named: owner.member) else { return self }
            return host
        }
        // Remaking runs a construction that already succeeded once, with the same
        // arguments; should it fail anyway, the copy shares this model.
        guard let fresh = try? remake() else { return self }
        copier.register(self, fresh)
        try? fresh.model.restore(model.checkpoint())
        model.copyState(to: fresh.model)
        for (name, setter) in fresh.binding.setters {
            if let current = try? binding.properties[name]?.get() { try? setter(current) }
        }
        return fresh
    }

    func picture(_ options: RenderOptions) -> TextBlock {
        var block = TextBlock()
        block.append(Line(model.summary, Theme.heading))
        // Every weight up to 32 of them (a cut of a few lines hides more than it saves),
        // else the first 24; the shapes in one column after the longest name shown.
        let all = model.namedParameters
        let shown = all.count <= 32 ? all[...] : all.prefix(24)
        let column = min(shown.map(\.path.count).max() ?? 0, 40)
        for (path, p) in shown {
            block.append(Line("  " + path.padded(to: column) + " ", Theme.label) + Line(formatShape(p.shape), Theme.muted))
        }
        if all.count > shown.count { block.append(Line("  … \(all.count - shown.count) more", Theme.muted)) }
        block.append(Line("  \(model.parameterCount) numbers to learn", Theme.muted))
        return block
    }

    /// A part of a model (`stack.f1`), shown with the binding for its own type; `owner`
    /// is where it was read from, if anywhere.
    static func part(_ model: any Model, of parent: ModelValue? = nil, member: String = "") -> ModelValue {
        ModelValue(model, binding: ModelBindings.binding(for: model), owner: parent.map { ($0, member) }) {
            part(model, of: parent, member: member)
        }
    }
}

