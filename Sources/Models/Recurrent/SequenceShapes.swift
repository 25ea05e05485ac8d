import Tensor

/// Shape checks shared by the recurrent models, so every one of them words a wrong
/// input the same way.
enum SequenceShapes {
    /// Checks a sequence x (T, d_x) or (N, T, d_x) with T ≥ 1, its labels (one per time
    /// step) and an initial state (d_h,) or (N, d_h); returns T.
    static func checkSequence(_ x: Tensor, labels: [String]?, initial: [(name: String, value: Tensor?)],
                              hiddenSize: Int, inputSize: Int, model: String) throws -> Int {
        guard x.rank == 2 || x.rank == 3, x.shape.last == inputSize else {
            throw TensorError("\(model): input has shape \(formatShape(x.shape)), expected (T, \(inputSize)) — one row per time step — or a batch (N, T, \(inputSize))")
        }
        let steps = x.shape[x.rank - 2]
        guard steps > 0 else {
            throw TensorError("\(model): the sequence is empty (shape \(formatShape(x.shape))); it needs at least one time step")
        }
        if let labels, labels.count != steps {
            throw TensorError("\(model): \(labels.count) labels for \(steps) time steps")
        }
        let expected = x.rank == 2 ? [hiddenSize] : [x.shape[0], hiddenSize]
        for (name, value) in initial {
            if let value, value.shape != expected {
                throw TensorError("\(model): initial state \(name) has shape \(formatShape(value.shape)), expected \(formatShape(expected)) to go with input of shape \(formatShape(x.shape))")
            }
        }
        return steps
    }

    /// Checks one step's input x_t and a state (h or c): both vectors, or both (N, ·) with
    /// one batch size, with the model's sizes.
    static func checkStep(x: Tensor, state: Tensor, stateName: String, hiddenSize: Int, inputSize: Int, model: String) throws {
        guard x.rank == 1 || x.rank == 2, x.shape.last == inputSize else {
            throw TensorError("\(model): x_t has shape \(formatShape(x.shape)), expected (\(inputSize),) or (N, \(inputSize))")
        }
        let expected = x.rank == 1 ? [hiddenSize] : [x.shape[0], hiddenSize]
        guard state.shape == expected else {
            throw TensorError("\(model): \(stateName) has shape \(formatShape(state.shape)), expected \(formatShape(expected)) to go with x_t of shape \(formatShape(x.shape))")
        }
    }

    /// The zero state (d_h,) or (N, d_h) for input x.
    static func zeroState(for x: Tensor, hiddenSize: Int) throws -> Tensor {
        try Tensor.zeros(x.rank == 2 ? [hiddenSize] : [x.shape[0], hiddenSize])
    }
}
