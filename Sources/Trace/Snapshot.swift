/// A frozen copy of a tensor's values at the moment an event was recorded.
///
/// Trace depends on nothing else in Huddle, so it keeps its own minimal array type; the
/// Models module converts tensors into snapshots. Because a snapshot is a copy, stepping
/// to a later event can never change what an earlier one shows.
public struct Snapshot: Equatable, Sendable {
    public let shape: [Int]
    /// Row-major values.
    public let data: [Float]

    public init(shape: [Int], data: [Float]) {
        self.shape = shape
        self.data = data
    }

    /// A 0-d snapshot of one number.
    public init(scalar: Float) {
        self.init(shape: [], data: [scalar])
    }

    public var count: Int { data.count }

    /// Row `r` of a 2-d snapshot (or the whole vector for a 1-d one).
    public func row(_ r: Int) -> ArraySlice<Float> {
        guard shape.count == 2 else { return data[...] }
        let width = shape[1]
        return data[(r * width)..<((r + 1) * width)]
    }
}
