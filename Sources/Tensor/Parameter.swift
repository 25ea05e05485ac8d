/// A trainable tensor with a name and an identity: models keep their weights in
/// parameters, optimisers update them in place, and a student can read or replace one by
/// name (`attn.Wq`) without breaking the link to its gradient.
public final class Parameter {
    public let name: String
    /// The current value: a leaf of the autograd graph, so results computed from it send
    /// gradients to `grad`.
    public private(set) var value: Tensor

    public init(_ name: String, _ value: Tensor) {
        self.name = name
        self.value = value.detached().requiringGrad()
    }

    public var shape: [Int] { value.shape }

    /// The gradient accumulated since the last `zeroGrad()`.
    public var grad: Tensor? { value.grad }

    public func zeroGrad() { value.zeroGrad() }

    /// Replaces the values (same shape), keeping the parameter's place in the graph.
    public func assign(_ newValue: Tensor) throws {
        guard newValue.shape == value.shape else {
            throw TensorError.shapes("assign \(name)", value.shape, newValue.shape, "a parameter keeps its shape")
        }
        try value.assign(newValue.detached())
    }

    /// In-place update of the values, for optimisers (no autograd, no shape change).
    func update(_ body: (inout [Float]) -> Void) {
        value.withMutableScalars(body)
    }
}
