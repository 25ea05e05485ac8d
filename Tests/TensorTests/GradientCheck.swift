import Testing
@testable import Tensor

/// Central-difference gradient checking.
///
/// For a function y = f(x₁, …, xₙ) we weigh every output by a fixed pseudo-random seed
/// w (so no output can hide behind a symmetric sum) and compare, for every element of
/// every input, the analytic ∂(Σ w·y)/∂x from `backward(seed:)` with
/// (L(x + h) − L(x − h)) / 2h, where L = Σ w·y is summed in Double.
///
/// Tolerances: the forward pass is Float, so L carries a rounding error of about
/// 1e-7·|L|, which the division by 2h = 0.02 magnifies to ~1e-5 for the sizes used here;
/// the truncation error of central differences is h²/6·f‴ ≈ 2e-5·f‴. We accept
/// |analytic − numeric| ≤ 2e-3 + 2e-2·|numeric| — loose against those errors, tight
/// against real bugs (a missing factor, a wrong sign, a gradient sent to the wrong
/// element), which are off by far more.
struct GradientCheck {
    static let step: Float = 1e-2
    static let absoluteTolerance = 2e-3
    static let relativeTolerance = 2e-2

    /// Returns a description of every mismatch (empty when the gradients agree).
    static func mismatches(_ inputs: [Tensor], seed: UInt64 = 7,
                           _ f: ([Tensor]) throws -> Tensor) throws -> [String] {
        let leaves = inputs.map { $0.requiringGrad() }
        let y = try f(leaves)
        var rng = SplitMix64(seed: seed)
        let weights = Tensor(unchecked: y.shape, (0..<y.count).map { _ in
            (rng.uniform() + 0.5) * (rng.uniform() < 0.5 ? -1 : 1)
        })
        try y.backward(seed: weights)

        func loss(_ xs: [Tensor]) throws -> Double {
            let out = try Tensor.withoutGrad { try f(xs) }
            return zip(out.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }

        var problems: [String] = []
        for (k, input) in inputs.enumerated() {
            let analytic = leaves[k].grad?.scalars ?? [Float](repeating: 0, count: input.count)
            for i in 0..<input.count {
                var plus = inputs, minus = inputs
                plus[k].scalars[i] += step
                minus[k].scalars[i] -= step
                let numeric = (try loss(plus) - loss(minus)) / (2 * Double(step))
                let a = Double(analytic[i])
                if !(abs(a - numeric) <= absoluteTolerance + relativeTolerance * abs(numeric)) {
                    problems.append("input \(k) element \(i): analytic \(a), numeric \(numeric)")
                }
            }
        }
        return problems
    }
}

/// Asserts that f's gradients match central differences at the given inputs.
func expectGradients(_ inputs: [Tensor], seed: UInt64 = 7, sourceLocation: SourceLocation = #_sourceLocation,
                     _ f: ([Tensor]) throws -> Tensor) throws {
    let problems = try GradientCheck.mismatches(inputs, seed: seed, f)
    #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))", sourceLocation: sourceLocation)
}

/// Deterministic test data: values in ±[0.2, 1.2) — away from 0, where relu, abs and
/// friends have their kinks.
func sample(_ shape: [Int], seed: UInt64, positive: Bool = false) -> Tensor {
    var rng = SplitMix64(seed: seed)
    let n = shape.reduce(1, *)
    let values = (0..<n).map { _ -> Float in
        let magnitude = 0.2 + rng.uniform()
        return positive || rng.uniform() < 0.5 ? magnitude : -magnitude
    }
    return try! Tensor(shape: shape, scalars: values)
}

/// The description of the error `body` throws, or nil when it throws none.
func errorMessage(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return "\(error)"
    }
}
