#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif
import Tensor

/// The word2vec updates (Mikolov et al. 2013) on plain arrays: training touches k + 1
/// rows per update, so building an autograd graph over the whole (d, C) matrices for each
/// of ~10⁵ updates would cost far more than the arithmetic. `Word2Vec.loss` computes the
/// same objective with autograd; tests check that one `update` here is exactly one SGD
/// step along that gradient.
///
/// For a hidden vector h (v_{w_I} in skip-gram, the mean of the context vectors in CBOW),
/// a positive word w_O and negatives w_1…w_k the loss is
///
///     L = −log σ(v′_{w_O}ᵀ h) − Σ_i log σ(−v′_{w_i}ᵀ h),
///
/// and with label y = 1 for w_O and 0 for the negatives, g_u = y_u − σ(v′_uᵀ h):
///
///     ∂L/∂v′_u = −g_u h,    ∂L/∂h = −Σ_u g_u v′_u.
///
/// Targets are visited in order (w_O first); each v′_u is updated right after its term,
/// as in the reference implementation, and h's gradient is collected from the values
/// before their update, so with distinct targets one call is one exact SGD step.
struct NegativeSamplingTables {
    /// (C, d): row w is v_w, the input vector (column w of W_in).
    var input: [Float]
    /// (C, d): row w is v′_w, the output vector (row w of W_out).
    var output: [Float]
    let d: Int, c: Int

    /// From W_in (d, C) and W_out (C, d).
    init(W_in: Tensor, W_out: Tensor) {
        d = W_in.shape[0]
        c = W_in.shape[1]
        var rows = [Float](repeating: 0, count: c * d)
        for i in 0..<d { for w in 0..<c { rows[w * d + i] = W_in.scalars[i * c + w] } }
        input = rows
        output = W_out.scalars
    }

    /// W_in (d, C) from the rows.
    func inputMatrix() throws -> Tensor {
        var columns = [Float](repeating: 0, count: c * d)
        for w in 0..<c { for i in 0..<d { columns[i * c + w] = input[w * d + i] } }
        return try Tensor(shape: [d, c], scalars: columns)
    }

    func outputMatrix() throws -> Tensor {
        try Tensor(shape: [c, d], scalars: output)
    }

    /// Scores h against w_O and the negatives, updates their v′ by −η ∂L/∂v′, adds
    /// −∂L/∂h into `hGrad`, and returns L (in Double).
    mutating func score(_ h: [Float], positive: Int, negatives: [Int], learningRate: Float,
                        hGrad: inout [Float]) -> Double {
        var loss = 0.0
        output.withUnsafeMutableBufferPointer { out in
            for (n, u) in ([positive] + negatives).enumerated() {
                let row = u * d
                var f: Float = 0
                for i in 0..<d { f += out[row + i] * h[i] }
                let label: Float = n == 0 ? 1 : 0
                let g = label - WordMath.sigmoid(f)
                // −log σ(f) for the positive, −log σ(−f) for a negative.
                loss += WordMath.softplus(n == 0 ? -Double(f) : Double(f))
                for i in 0..<d {
                    hGrad[i] += g * out[row + i]
                    out[row + i] += learningRate * g * h[i]
                }
            }
        }
        return loss
    }

    /// Skip-gram: h = v_{w_I}.
    mutating func skipGram(input wI: Int, output wO: Int, negatives: [Int], learningRate: Float) -> Double {
        let h = Array(input[(wI * d)..<((wI + 1) * d)])
        var hGrad = [Float](repeating: 0, count: d)
        let loss = score(h, positive: wO, negatives: negatives, learningRate: learningRate, hGrad: &hGrad)
        for i in 0..<d { input[wI * d + i] += learningRate * hGrad[i] }
        return loss
    }

    /// CBOW: h = (1/n) Σ_j v_{w_j} over the n context words; each context vector gets
    /// its share 1/n of h's gradient (the exact gradient of the mean).
    mutating func cbow(context: [Int], target: Int, negatives: [Int], learningRate: Float) -> Double {
        var h = [Float](repeating: 0, count: d)
        for w in context { for i in 0..<d { h[i] += input[w * d + i] } }
        let scale = 1 / Float(context.count)
        for i in 0..<d { h[i] *= scale }
        var hGrad = [Float](repeating: 0, count: d)
        let loss = score(h, positive: target, negatives: negatives, learningRate: learningRate, hGrad: &hGrad)
        for w in context { for i in 0..<d { input[w * d + i] += learningRate * scale * hGrad[i] } }
        return loss
    }
}

/// σ and softplus for the training loop, from the C library (the module has no other
/// source of exp and log).
enum WordMath {
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + cExpf(-x)) : { let e = cExpf(x); return e / (1 + e) }()
    }

    /// log(1 + eˣ) = −log σ(−x), without overflow.
    static func softplus(_ x: Double) -> Double {
        Swift.max(x, 0) + cLog1p(cExp(-Swift.abs(x)))
    }
}

// At file scope these names resolve to the C library's functions.
private func cExpf(_ x: Float) -> Float { expf(x) }
private func cExp(_ x: Double) -> Double { exp(x) }
private func cLog1p(_ x: Double) -> Double { log1p(x) }
