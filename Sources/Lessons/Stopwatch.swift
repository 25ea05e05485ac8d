/// Wall-clock time since it was started, in seconds: for the lesson runner's timings and
/// the progress bars of training loops (timed in one place, `LessonHost.reportProgress`).
public struct Stopwatch: Sendable {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    public init() {
        start = clock.now
    }

    public var seconds: Double {
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
