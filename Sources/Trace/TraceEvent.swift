/// A value in an event's index: where in the model the step happened (layer 2, head 1,
/// time step 3) or a setting of the step (σ, Δt, causal).
public enum IndexValue: Equatable, Sendable, CustomStringConvertible {
    case int(Int)
    case number(Double)
    case bool(Bool)
    case text(String)

    public var description: String {
        switch self {
        case .int(let v): String(v)
        case .number(let v): String(v)
        case .bool(let v): String(v)
        case .text(let v): v
        }
    }
}

/// One message-passing step: its kind, the lecture's formula, where it happened, and
/// copies of the tensors that fill the formula in.
public struct TraceEvent: Equatable, Sendable {
    public var kind: EventKind
    /// Position in the recording (0-based); set by the recorder.
    public var step: Int
    /// The lecture's formula in Unicode math, e.g. `A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d)`.
    public var formula: String
    /// Ordered index entries: layer, head, t, causal, sigma, …
    public var index: [(key: String, value: IndexValue)]
    /// Names of the rows (tokens, agents) of the (T, d) tensors, when they have names.
    public var labels: [String]?
    /// Names of the columns where they are not the rows' names: the vocabulary of a
    /// decode step's (T, V) probabilities.
    public var columnLabels: [String]?
    /// Named snapshots, in the order a picture should show them.
    public var tensors: [(name: String, value: Snapshot)]
    /// Which trace of the session made it, in which cell, from which line; set by the
    /// lesson runner (metadata: not part of what makes two events equal).
    public var origin: Origin?
    /// The tensors a patch changed at this step (`:patch`, `patch(…)`); set as it is
    /// recorded, so its picture can say its numbers are not the model's own.
    public var patched: [String] = []

    /// Where an event was recorded: the session's n-th `trace` (from 1), the cell it was
    /// in (from 1; nil at the prompt) and the line of the traced expression.
    public struct Origin: Equatable, Sendable {
        public var trace: Int
        public var cell: Int?
        public var line: Int

        public init(trace: Int, cell: Int?, line: Int) {
            self.trace = trace
            self.cell = cell
            self.line = line
        }
    }

    public init(kind: EventKind, formula: String, index: [(key: String, value: IndexValue)] = [],
                labels: [String]? = nil, columnLabels: [String]? = nil, tensors: [(name: String, value: Snapshot)],
                step: Int = 0) {
        self.kind = kind
        self.step = step
        self.formula = formula
        self.index = index
        self.labels = labels
        self.columnLabels = columnLabels
        self.tensors = tensors
    }

    /// The snapshot called `name`, if the event has one.
    public subscript(name: String) -> Snapshot? {
        tensors.first { $0.name == name }?.value
    }

    /// An event of kind `E` from its typed keys: only tensors and index entries that `E`
    /// declares can be put in.
    public init<E: EventSchema>(_ schema: E.Type, formula: String, index: [(IndexKey<E>, IndexValue)] = [],
                                labels: [String]? = nil, columnLabels: [String]? = nil,
                                tensors: [(TensorKey<E>, Snapshot)], step: Int = 0) {
        self.init(kind: E.kind, formula: formula, index: index.map { ($0.0.key, $0.1) }, labels: labels,
                  columnLabels: columnLabels, tensors: tensors.map { ($0.0.key, $0.1) }, step: step)
    }

    /// The names of the rows of snapshot `name`: the event's labels when its kind declares
    /// it a per-agent tensor and its rows are as many as the labels; nil for weights (a
    /// (3, 3) W beside three words must not be labelled with the words) and for values.
    public func rowLabels(for name: String) -> [String]? {
        guard let labels, schema(ofTensor: name)?.role == .perAgent, let s = self[name], s.shape.count >= 1,
              s.shape[s.shape.count >= 2 ? s.shape.count - 2 : 0] == labels.count else { return nil }
        return labels
    }

    /// The index entry called `key`, if any.
    public func index(_ key: String) -> IndexValue? {
        index.first { $0.key == key }?.value
    }

    public static func == (a: TraceEvent, b: TraceEvent) -> Bool {
        a.kind == b.kind && a.step == b.step && a.formula == b.formula && a.labels == b.labels
            && a.columnLabels == b.columnLabels
            && a.index.elementsEqual(b.index) { $0.key == $1.key && $0.value == $1.value }
            && a.tensors.elementsEqual(b.tensors) { $0.name == $1.name && $0.value == $1.value }
    }
}
