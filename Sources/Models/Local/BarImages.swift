import Tensor

/// A toy image task for a small CNN: size×size grey images, each holding one bar —
/// horizontal (label 0) or vertical (label 1) — at a random place, with a little noise.
///
/// A bar is a run of `length` ones along one row (or column), length drawn from
/// 3…size; every pixel then gets uniform noise in [0, noise). Which way a bar lies is a
/// local pattern (two neighbours left and right, or above and below), so a convolution
/// that hears 3×3 windows can find it anywhere — the point of the lesson.
public enum BarImages {
    public static let classNames = ["horizontal", "vertical"]

    /// `count` images (count, 1, size, size) and their labels; label i is i mod 2 so the
    /// classes are balanced. The same seed gives the same images.
    public static func make(count: Int, size: Int = 6, noise: Float = 0.2, seed: UInt64) throws -> (images: Tensor, labels: [Int]) {
        guard count > 0 else {
            throw TensorError("bar images: count must be positive, got \(count)")
        }
        guard size >= 3 else {
            throw TensorError("bar images: images must be at least 3×3 to hold a bar of length 3, got size \(size)")
        }
        guard noise >= 0, noise < 1 else {
            throw TensorError("bar images: noise must be in [0, 1), got \(noise)")
        }
        try MemoryBudget.reserve([count, size, size], op: "bar images")
        var rng = SplitMix64(seed: seed)
        var pixels = [Float](repeating: 0, count: count * size * size)
        var labels: [Int] = []
        for n in 0..<count {
            try Cancellation.check(turn: n, every: 1024)
            let vertical = n % 2 == 1
            let line = rng.int(below: size)                  // the bar's row (or column)
            let length = 3 + rng.int(below: size - 2)        // 3…size
            let start = rng.int(below: size - length + 1)    // where along the line it begins
            let base = n * size * size
            for s in start..<(start + length) {
                let (r, c) = vertical ? (s, line) : (line, s)
                pixels[base + r * size + c] = 1
            }
            for k in base..<(base + size * size) { pixels[k] += noise * rng.uniform() }
            labels.append(vertical ? 1 : 0)
        }
        return (try Tensor(shape: [count, 1, size, size], scalars: pixels), labels)
    }
}
