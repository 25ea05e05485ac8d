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
    /// Emits an event whose tensors are snapshotted only when a recorder listens.
    static func emit(_ kind: EventKind, _ formula: String, index: [(key: String, value: IndexValue)] = [],
                     labels: [String]? = nil, columnLabels: [String]? = nil,
                     _ tensors: () throws -> [(String, Tensor)]) rethrows {
        try emit {
            TraceEvent(kind: kind, formula: formula, index: index, labels: labels, columnLabels: columnLabels,
                       tensors: try tensors().map { ($0.0, $0.1.snapshot) })
        }
    }
}
