import Checkpoint
import Language
import Models
import Tensor

/// Weights and arrays in files, as PyTorch and NumPy users keep them: `save(model, …)`
/// and `load(model, …)` (Huddle's own names, or a PyTorch state_dict of the module the
/// model corresponds to), `read_tensor` and `save_tensor`. Files only in the lesson's
/// folder (`LessonFiles`), by extension: .safetensors, .npz, .npy.
enum CheckpointBuiltins {
    static func all(files: LessonFiles) -> [Builtin] {
        [
            Kit.builtin("save", [Kit.p("model"), Kit.p("path")],
                        "writes the model's weights, under its own names, to a .safetensors or .npz file in the lesson's folder; load(model, path) reads them back") { args in
                let model = try modelArgument(args)
                let path = try args.string("path")
                let tensors = StateDict.weights(of: model.model).map { ($0.name, stored($0.tensor)) }
                try write(tensors, to: path, files: files, metadata: ["format": "huddle", "model": model.typeName])
                return .none
            },
            Kit.builtin("load", [Kit.p("model"), Kit.p("path")],
                        "puts the weights of a .safetensors or .npz file into the model: Huddle's own names (from save), or the state_dict of the PyTorch module it matches (nn.Linear, an nn.Sequential MLP, nn.RNN, nn.LSTM, nn.LayerNorm, nn.Conv1d/2d, nn.Embedding, nn.MultiheadAttention, a nanoGPT GPT), converted exactly; :help data says how to build the matching model") { args in
                let model = try modelArgument(args)
                let path = try args.string("path")
                let tensors = try read(path, files: files)
                try load(tensors, into: model, path: path)
                return .none
            },
            Kit.builtin("read_tensor", [Kit.p("path"), Kit.p("name", .none)],
                        "an array from a .npy file, or the one called name from a .npz or .safetensors file, as a tensor") { args in
                let path = try args.string("path")
                let tensors = try read(path, files: files)
                if args["name"].isNone {
                    guard tensors.count == 1 else {
                        throw RuntimeError("'\(path)' holds \(tensors.count) arrays; say which: read_tensor(\"\(path)\", name: \"…\")",
                                           hint: "its arrays: " + tensors.map(\.name).joined(separator: ", "))
                    }
                    return Kit.tensor(try tensor(tensors[0].tensor))
                }
                let name = try args.string("name")
                guard let found = tensors.first(where: { $0.name == name }) else {
                    throw RuntimeError("'\(path)' has no array called \(name)\(Suggestion.phrase(for: name, among: tensors.map(\.name)))",
                                       hint: "its arrays: " + tensors.map(\.name).joined(separator: ", "))
                }
                return Kit.tensor(try tensor(found.tensor))
            },
            Kit.builtin("save_tensor", [Kit.p("x"), Kit.p("path"), Kit.p("name", "x")],
                        "writes a tensor to a .npy file (or, called name, to a .npz or .safetensors file) in the lesson's folder") { args in
                let x = try Conversions.tensor(args["x"], what: "save_tensor()'s x")
                try write([(try args.string("name"), stored(x))], to: try args.string("path"), files: files, metadata: [:])
                return .none
            },
        ]
    }

    static func modelArgument(_ args: BoundArguments) throws -> ModelValue {
        guard case .host(let host) = args["model"], let model = host as? ModelValue else {
            throw RuntimeError("\(args.callee)() expects a model first (an MLP, an LSTM, …), got \(args["model"].kindPhrase)")
        }
        return model
    }

    enum Format { case safetensors, npz, npy }

    static func format(_ path: String) throws -> Format {
        let lower = path.lowercased()
        if lower.hasSuffix(".safetensors") { return .safetensors }
        if lower.hasSuffix(".npz") { return .npz }
        if lower.hasSuffix(".npy") { return .npy }
        throw RuntimeError("'\(path)': Huddle reads and writes .safetensors, .npz and .npy files; name the file with one of those endings")
    }

    /// The named arrays of a file in the lesson's folder, in file order.
    static func read(_ path: String, files: LessonFiles) throws -> [(name: String, tensor: StoredTensor)] {
        let kind = try format(path)
        let bytes = try files.readBytes(path)
        do {
            switch kind {
            case .safetensors: return try Safetensors.read(bytes, file: path).tensors
            case .npz: return try NPZ.read(bytes, file: path)
            case .npy: return [("x", try NPY.read(bytes[...], file: path))]
            }
        } catch let error as CheckpointError {
            throw RuntimeError(error.description)
        }
    }

    static func write(_ tensors: [(name: String, tensor: StoredTensor)], to path: String, files: LessonFiles, metadata: [String: String]) throws {
        switch try format(path) {
        case .safetensors: try files.writeBytes(path, Safetensors.encode(tensors, metadata: metadata))
        case .npy:
            guard tensors.count == 1 else {
                throw RuntimeError("a .npy file holds one array; save a model as .safetensors or .npz")
            }
            try files.writeBytes(path, NPY.encode(tensors[0].tensor))
        case .npz:
            let target = try files.writablePath(path)
            do {
                try NPZ.write(tensors, to: target)
            } catch {
                throw RuntimeError("cannot write '\(path)': \(error)")
            }
        }
    }

    /// Huddle's own names when the file has exactly them; else the PyTorch layout of the
    /// module the model matches; what does not fit is said in one error.
    static func load(_ stored: [(name: String, tensor: StoredTensor)], into model: ModelValue, path: String) throws {
        var weights: [String: Tensor] = [:]
        for (name, t) in stored { weights[name] = try tensor(t) }
        let own = Set(model.model.namedParameters.map(\.path))
        if Set(weights.keys) == own || !(model.model is any PyTorchLoadable) {
            do {
                try StateDict.assign(weights, to: model.model)
            } catch let mismatch as StateDict.Mismatch {
                throw RuntimeError("'\(path)' does not fit this \(model.typeName): \(mismatch)",
                                   hint: "its weights are " + listed(model.model.namedParameters.map { "\($0.path) \(formatShape($0.parameter.shape))" }))
            }
            return
        }
        do {
            try (model.model as! any PyTorchLoadable).loadPyTorch(weights)
        } catch let mismatch as StateDict.Mismatch {
            throw RuntimeError("'\(path)' does not fit this \(model.typeName), neither by Huddle's names nor as a PyTorch state_dict: \(mismatch)",
                               hint: "the file has " + listed(stored.map { "\($0.name) \(formatShape($0.tensor.shape))" }))
        }
    }

    /// A list of names for a hint: the first few, and how many there are in all.
    static func listed(_ names: [String], first: Int = 6) -> String {
        names.count <= first + 1 ? names.joined(separator: ", ") : names.prefix(first).joined(separator: ", ") + ", … (\(names.count) in all)"
    }

    static func stored(_ t: Tensor) -> StoredTensor { StoredTensor(shape: t.shape, values: t.scalars) }

    static func tensor(_ s: StoredTensor) throws -> Tensor { try Tensor(shape: s.shape, scalars: s.values) }
}
