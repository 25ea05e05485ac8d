import Tensor

/// Weights by name, as a checkpoint holds them, and how they go into a model: every
/// name the model has must be there with its shape, and nothing else may be — what is
/// wrong is said in one error, all of it at once, since a fix usually needs all of it.
public enum StateDict {
    /// What did not fit: `missing: h.1.attn.c_attn.bias; unexpected: …; shape of
    /// h.0.mlp.c_fc.weight is (256, 64), the model wants (128, 64)`.
    public struct Mismatch: Error, CustomStringConvertible, Equatable {
        public var missing: [String] = []
        public var unexpected: [String] = []
        public var shapes: [(name: String, file: [Int], model: [Int])] = []
        /// Other things that rule the file out (an LSTM without a forget gate, …).
        public var notes: [String] = []

        public init() {}

        public var isEmpty: Bool { missing.isEmpty && unexpected.isEmpty && shapes.isEmpty && notes.isEmpty }

        public var description: String {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing: " + missing.joined(separator: ", ")) }
            if !unexpected.isEmpty { parts.append("unexpected: " + unexpected.joined(separator: ", ")) }
            // A wrong size mis-shapes every weight it touches: the first few say how, the
            // notes say what to build.
            let shown = shapes.count > Self.shapesShown + 1 ? Self.shapesShown : shapes.count
            parts += shapes.prefix(shown).map { "shape of \($0.name) is \(formatShape($0.file)), the model wants \(formatShape($0.model))" }
            if shown < shapes.count { parts.append("and \(shapes.count - shown) more weights of other shapes") }
            parts += notes
            return parts.joined(separator: "; ")
        }

        static let shapesShown = 3

        public static func == (a: Mismatch, b: Mismatch) -> Bool { a.description == b.description }
    }

    /// The model's weights under its own names (`W1`, `blocks.0.attention.Wq`).
    public static func weights(of model: any Model) -> [(name: String, tensor: Tensor)] {
        model.namedParameters.map { ($0.path, $0.parameter.value.detached()) }
    }

    /// Puts `weights` (Huddle's names) into `model`, or changes nothing and throws.
    public static func assign(_ weights: [String: Tensor], to model: any Model) throws {
        var mismatch = Mismatch()
        let params = model.namedParameters
        for (path, parameter) in params {
            guard let tensor = weights[path] else { mismatch.missing.append(path); continue }
            if tensor.shape != parameter.shape { mismatch.shapes.append((path, tensor.shape, parameter.shape)) }
        }
        let known = Set(params.map(\.path))
        mismatch.unexpected = weights.keys.filter { !known.contains($0) }.sorted()
        guard mismatch.isEmpty else { throw mismatch }
        for (path, parameter) in params { try parameter.assign(weights[path]!) }
    }
}

/// A PyTorch `state_dict` being read: each name taken once, with the shape the model
/// needs; what is never taken is "unexpected", what is asked for and absent "missing".
/// `scoped(_:)` gives a view of one submodule's names (`transformer.h.0.`), sharing what
/// is taken and what is wrong with the whole.
public final class PyTorchDict {
    /// What every view of one file shares.
    final class Store {
        let tensors: [String: Tensor]
        var taken: Set<String> = []
        var mismatch = StateDict.Mismatch()
        init(_ tensors: [String: Tensor]) { self.tensors = tensors }
    }

    let store: Store
    /// The prefix of this view's names: one every name of the file carries (`model.`,
    /// `net.`), found and stripped, then a submodule's (`transformer.h.0.attn.`).
    public let prefix: String

    public init(_ tensors: [String: Tensor], prefix: String = "") {
        store = Store(tensors)
        self.prefix = prefix
    }

    init(store: Store, prefix: String) {
        self.store = store
        self.prefix = prefix
    }

    /// The view of the names under `scope` (which ends in a dot).
    public func scoped(_ scope: String) -> PyTorchDict { PyTorchDict(store: store, prefix: prefix + scope) }

    public var mismatch: StateDict.Mismatch { store.mismatch }

    /// This view's names, without its prefix.
    public var names: [String] {
        store.tensors.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
    }

    public func has(_ name: String) -> Bool { store.tensors[prefix + name] != nil }

    /// The tensor `name` as the file has it, without taking it (nil when absent).
    public func peek(_ name: String) -> Tensor? { store.tensors[prefix + name] }

    /// The tensor `name`, which must have `shape` (nil: any); placeholders go in its
    /// stead when it is missing or mis-shaped, so the caller goes on and every problem
    /// is listed.
    public func take(_ name: String, shape: [Int]?) -> Tensor {
        let key = prefix + name
        guard let tensor = store.tensors[key] else {
            store.mismatch.missing.append(key)
            return (try? Tensor.zeros(shape ?? [1])) ?? Tensor(0)
        }
        store.taken.insert(key)
        if let shape, tensor.shape != shape {
            store.mismatch.shapes.append((key, tensor.shape, shape))
            return (try? Tensor.zeros(shape)) ?? tensor
        }
        return tensor
    }

    /// A bias the model may or may not have: taken when `wanted`; when not, a file that
    /// has it gets a note saying how to build the model (`fix`), besides the name's
    /// being unexpected.
    public func bias(_ name: String, shape: [Int], wanted: Bool, fix: String) -> Tensor? {
        if wanted { return take(name, shape: shape) }
        if has(name), !store.mismatch.notes.contains(fix) { note(fix) }
        return nil
    }

    /// Marks `name` as read without using it (a buffer such as nanoGPT's causal mask).
    public func skip(_ name: String) {
        if has(name) { store.taken.insert(prefix + name) }
    }

    public func note(_ text: String) { store.mismatch.notes.append(text) }

    /// Throws everything that did not fit, unexpected names included.
    public func finish() throws {
        var all = store.mismatch
        all.unexpected = store.tensors.keys.filter { !store.taken.contains($0) }.sorted()
        guard all.isEmpty else { throw all }
    }
}

/// A model that can take PyTorch's `state_dict` for the module it corresponds to
/// (nn.Linear, nn.Sequential of them, nn.RNN, nn.LSTM, …): it converts names and
/// layouts exactly into its own weights.
public protocol PyTorchLoadable: Model {
    /// Huddle's weights (own names) from `dict`; problems are recorded in `dict`.
    func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor]
}

extension PyTorchLoadable {
    /// Loads `tensors` (a PyTorch state_dict), or changes nothing and throws the mismatch.
    public func loadPyTorch(_ tensors: [String: Tensor]) throws {
        let dict = PyTorchDict(tensors, prefix: PyTorchNames.commonPrefix(Array(tensors.keys)))
        let weights = self.weights(fromPyTorch: dict)
        try dict.finish()
        try StateDict.assign(weights, to: self)
    }
}

enum PyTorchNames {
    /// The dotted prefix every name shares (`net.0.weight`, `net.2.weight` → `net.`;
    /// `lstm.weight_ih_l0` → `lstm.`), short of a module index; empty when there is none.
    static func commonPrefix(_ names: [String]) -> String {
        guard let first = names.min() else { return "" }
        var prefix = ""
        let parts = first.split(separator: ".").map(String.init)
        for count in stride(from: parts.count - 1, through: 1, by: -1) {
            let candidate = parts.prefix(count).joined(separator: ".") + "."
            // Stop before a numeric module index: that is the model's own structure.
            if Int(parts[count - 1]) != nil { continue }
            if names.allSatisfy({ $0.hasPrefix(candidate) }) { prefix = candidate; break }
        }
        return prefix
    }
}
