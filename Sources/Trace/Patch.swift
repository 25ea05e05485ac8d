import Synchronization

/// A change to one message at one step of a traced run: "at layer 1, head 1, row 1 of A
/// is [0, 0, 1, 0]". Models read the tensors the schema marks patchable through a patch
/// point just before the next computation uses them, so the rest of the run follows
/// from the changed message.
public struct TensorPatch: Sendable, Equatable, CustomStringConvertible {
    public let kind: EventKind
    /// The tensor's key in its kind's schema.
    public let key: String
    /// The index entries that pick out the step: `layer 1`, `head 2`, `t 3`.
    public let step: [String: IndexValue]
    /// Leading indices into the tensor (row 1: `[1]`); empty for the whole tensor.
    public let at: [Int]
    /// The new values: one number for the whole addressed part, or as many as it has.
    public let value: Snapshot

    public init(kind: EventKind, key: String, step: [String: IndexValue], at: [Int], value: Snapshot) {
        self.kind = kind
        self.key = key
        self.step = step
        self.at = at
        self.value = value
    }

    /// The index entries of `event` that say which step it is (its round, head, sequence).
    public static func step(of event: TraceEvent) -> [String: IndexValue] {
        var step: [String: IndexValue] = [:]
        for (key, value) in event.index where event.schema(ofIndex: key)?.identifiesStep == true { step[key] = value }
        return step
    }

    /// Whether the step with these index entries is the patched one.
    public func matches(kind: EventKind, index: [(key: String, value: IndexValue)]) -> Bool {
        guard kind == self.kind else { return false }
        return step.allSatisfy { entry in index.contains { $0.key == entry.key && $0.value == entry.value } }
    }

    /// `s` with the addressed part replaced, or why it cannot be (an index out of range, a
    /// value of the wrong size).
    public func apply(to s: Snapshot) throws(PatchError) -> Snapshot {
        guard at.count <= s.shape.count else {
            throw PatchError("\(key) has \(s.shape.count) axes; [\(at.map(String.init).joined(separator: ", "))] gives \(at.count)")
        }
        var start = 0
        var stride = s.count
        for (axis, i) in at.enumerated() {
            let size = s.shape[axis]
            guard size > 0 else { throw PatchError("\(key) is empty along axis \(axis)") }
            stride /= size
            let r = i < 0 ? size + i : i
            guard (0..<size).contains(r) else {
                throw PatchError("index \(i) is out of range for axis \(axis) of \(key), which has \(size) entries (0 to \(size - 1))")
            }
            start += r * stride
        }
        guard value.count == 1 || value.count == stride else {
            throw PatchError("\(description) sets \(stride) numbers but the value has \(value.count)")
        }
        var data = s.data
        for j in 0..<stride { data[start + j] = value.count == 1 ? value.data[0] : value.data[j] }
        return Snapshot(shape: s.shape, data: data)
    }

    /// `A[1] = [0, 0, 1, 0] at layer 1 · head 1`
    public var description: String {
        let place = at.isEmpty ? "" : "[" + at.map(String.init).joined(separator: ", ") + "]"
        let shown = value.count == 1 ? Self.number(value.data[0]) : "[" + value.data.prefix(6).map(Self.number).joined(separator: ", ")
            + (value.count > 6 ? ", …" : "") + "]"
        let steps = step.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: " · ")
        return "\(key)\(place) = \(shown)" + (steps.isEmpty ? "" : " at \(kind.rawValue) \(steps)")
    }

    static func number(_ f: Float) -> String {
        f == f.rounded() && abs(f) < 1e6 ? String(Int(f)) : String(f)
    }
}

/// Why a patch does not fit the tensor it is for.
public struct PatchError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Which tensors patches changed, at which steps, until the steps' events are recorded
/// and marked (`TraceEvent.patched`), so a picture can say that its numbers were patched.
final class AppliedPatches: Sendable {
    private let entries = Mutex<[(kind: EventKind, key: String, index: [(key: String, value: IndexValue)])]>([])

    func add(_ kind: EventKind, _ key: String, _ index: [(key: String, value: IndexValue)]) {
        entries.withLock { $0.append((kind, key, index)) }
    }

    /// The keys patched at `event`'s step, forgotten once taken.
    func take(for event: TraceEvent) -> [String] {
        entries.withLock { entries in
            var keys: [String] = []
            entries.removeAll { entry in
                let matches = entry.kind == event.kind
                    && entry.index.allSatisfy { e in event.index.contains { $0.key == e.key && $0.value == e.value } }
                if matches, !keys.contains(entry.key) { keys.append(entry.key) }
                return matches
            }
            return keys
        }
    }
}

public enum Patching {
    @TaskLocal static var current: [TensorPatch] = []
    @TaskLocal static var applied: AppliedPatches?

    /// Runs `body` with `patches` in effect at every patch point inside it.
    public static func with<R>(_ patches: [TensorPatch], _ body: () throws -> R) rethrows -> R {
        try $current.withValue(patches) { try $applied.withValue(patches.isEmpty ? nil : AppliedPatches(), operation: body) }
    }

    /// The tensors patches changed at `event`'s step (for the recorder to mark it).
    static func changed(at event: TraceEvent) -> [String] {
        applied?.take(for: event) ?? []
    }

    /// Whether any patch is for a step of `kind` (so a model may skip looking otherwise).
    public static func any(for kind: EventKind) -> Bool {
        Tracing.isActive && current.contains { $0.kind == kind }
    }

    /// `s` as the patches for tensor `key` of the step with `index` change it, or nil when
    /// none does. Patches apply only while a trace records: training and untraced calls
    /// run as written.
    public static func patched<E: EventSchema>(_ key: TensorKey<E>, at index: [(IndexKey<E>, IndexValue)], _ s: () -> Snapshot) -> Snapshot? {
        guard Tracing.isActive, !current.isEmpty else { return nil }
        let entries = index.map { (key: $0.0.key, value: $0.1) }
        let mine = current.filter { $0.key == key.key && $0.matches(kind: E.kind, index: entries) }
        guard !mine.isEmpty else { return nil }
        var snapshot = s()
        var changed = false
        for patch in mine {
            // A patch that does not fit this step (a longer text, another shape) leaves it be.
            guard let patched = try? patch.apply(to: snapshot) else { continue }
            snapshot = patched
            changed = true
        }
        guard changed else { return nil }
        applied?.add(E.kind, key.key, entries)
        return snapshot
    }
}
