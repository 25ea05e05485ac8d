import Tensor
import Trace

extension Tensor {
    /// A frozen copy for a trace event.
    public var snapshot: Snapshot { Snapshot(shape: shape, data: scalars) }
}

extension Snapshot {
    /// Back to a tensor (for tests and for the language's `event.q`).
    public var tensor: Tensor {
        // A snapshot is always made from a valid tensor, so its shape fits its data.
        (try? Tensor(shape: shape, scalars: data)) ?? Tensor([Float]())
    }
}

extension Tracing {
    /// Emits an event of kind `E` whose tensors are snapshotted only when a recorder
    /// listens. The keys are `E`'s own, so a model cannot put a tensor into an event
    /// whose kind does not declare it.
    static func emit<E: EventSchema>(_ schema: E.Type, _ formula: String, index: [(IndexKey<E>, IndexValue)] = [],
                                     labels: [String]? = nil, columnLabels: [String]? = nil,
                                     _ tensors: () throws -> [(TensorKey<E>, Tensor)]) rethrows {
        try emit {
            TraceEvent(schema, formula: formula, index: index, labels: labels, columnLabels: columnLabels,
                       tensors: try tensors().map { ($0.0, $0.1.snapshot) })
        }
    }
}
