import Synchronization

/// Collects events while a traced computation runs.
///
/// Models call `Tracing.emit`, which does nothing unless a recorder is installed for the
/// current task — so a model trained for a thousand steps without `trace` pays only the
/// cost of reading one task-local per emit, and builds no snapshots.
///
/// It is shared through a task-local, so it must be Sendable; a mutex guards its state
/// (uncontended in practice: one computation records at a time).
public final class TraceRecorder: Sendable {
    private struct State {
        var events: [TraceEvent] = []
        var dropped = 0
        var bytes = 0
    }

    private let state = Mutex(State())
    /// Events beyond this many, or past this many bytes of snapshots, are counted but not
    /// kept, so tracing a long training run (or a loop of big attentions) by mistake cannot
    /// exhaust memory.
    public let limit: Int
    public let byteLimit: Int

    public init(limit: Int = 100_000, byteLimit: Int = 1 << 30) {
        self.limit = limit
        self.byteLimit = byteLimit
    }

    public var events: [TraceEvent] { state.withLock { $0.events } }
    public var dropped: Int { state.withLock { $0.dropped } }
    /// The bytes of the snapshots kept.
    public var bytes: Int { state.withLock { $0.bytes } }

    public func record(_ event: TraceEvent) {
        let size = event.tensors.reduce(0) { $0 + $1.value.data.count * MemoryLayout<Float>.stride }
        state.withLock { state in
            guard state.events.count < limit, state.bytes <= byteLimit - size else {
                state.dropped += 1
                return
            }
            state.bytes += size
            var numbered = event
            numbered.step = state.events.count
            numbered.patched = Patching.changed(at: event)
            state.events.append(numbered)
        }
    }
}

public enum Tracing {
    @TaskLocal static var current: TraceRecorder?

    /// Whether a recorder is listening (models may skip work done only for the trace).
    public static var isActive: Bool { current != nil }

    /// Runs `body` with `recorder` receiving every event emitted inside it.
    public static func recording<R>(into recorder: TraceRecorder, _ body: () throws -> R) rethrows -> R {
        try $current.withValue(recorder, operation: body)
    }

    /// Runs `body` with recording switched off (e.g. the inner steps of a training loop
    /// inside a traced cell, which report as `train` events instead).
    public static func suspended<R>(_ body: () throws -> R) rethrows -> R {
        try $current.withValue(nil, operation: body)
    }

    /// Records the event built by `make` — evaluated only when a recorder is listening.
    public static func emit(_ make: () throws -> TraceEvent) rethrows {
        guard let recorder = current else { return }
        recorder.record(try make())
    }
}
