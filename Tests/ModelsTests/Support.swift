import RealModule
import Models
import Tensor
import Trace

/// Runs `body` with a recorder and returns what it recorded along with its result.
func recording<R>(_ body: () throws -> R) rethrows -> (R, [TraceEvent]) {
    let recorder = TraceRecorder()
    let result = try Tracing.recording(into: recorder, body)
    return (result, recorder.events)
}

/// Largest absolute difference between two equally long lists of numbers (∞ if the
/// lengths differ), for comparing a model with an independent computation.
func maxDifference<A: Collection, B: Collection>(_ a: A, _ b: B) -> Double
where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0
}

/// Naive row-major matrix helpers in Double, written independently of the engine.
enum Naive {
    /// y = W x + b for W (out, in) stored row-major.
    static func affine(_ w: [Float], _ x: [Double], _ b: [Float]?, out: Int) -> [Double] {
        let n = x.count
        return (0..<out).map { i in
            (0..<n).reduce(Double(b?[i] ?? 0)) { $0 + Double(w[i * n + $1]) * x[$1] }
        }
    }

    static func rows(_ t: Tensor) -> [[Double]] {
        let width = t.shape.last ?? 1
        return stride(from: 0, to: t.count, by: width).map { t.scalars[$0..<($0 + width)].map(Double.init) }
    }

    static func tanh(_ v: [Double]) -> [Double] { v.map { Double.tanh($0) } }
}


/// Central-difference check of d(loss)/d(parameter) for every element of the given
/// parameters (loss summed in Double). Returns the worst |analytic − numeric| relative to
/// 1 + |numeric|.
func worstGradientError(_ parameters: [Parameter], step: Float = 1e-2, _ loss: () throws -> Tensor) throws -> Double {
    for p in parameters { p.zeroGrad() }
    try loss().backward()
    var worst = 0.0
    for p in parameters {
        let analytic = p.grad?.scalars ?? [Float](repeating: 0, count: p.value.count)
        let original = p.value
        for i in 0..<original.count {
            var plus = original, minus = original
            try plus.setScalar(at: index(of: i, in: original.shape), to: original.scalars[i] + step)
            try minus.setScalar(at: index(of: i, in: original.shape), to: original.scalars[i] - step)
            try p.assign(plus)
            let lp = Double(try Tensor.withoutGrad { try loss() }.item())
            try p.assign(minus)
            let lm = Double(try Tensor.withoutGrad { try loss() }.item())
            try p.assign(original)
            let numeric = (lp - lm) / (2 * Double(step))
            worst = max(worst, abs(Double(analytic[i]) - numeric) / (1 + abs(numeric)))
        }
    }
    return worst
}

private func index(of flat: Int, in shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] = rest % shape[axis]
        rest /= shape[axis]
    }
    return index
}
