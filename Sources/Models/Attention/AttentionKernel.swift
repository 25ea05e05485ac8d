import Tensor
import Trace

/// The arithmetic shared by `SelfAttention` and `MultiHeadAttention`: every head of every
/// sequence at once, as batched matrix products, so training a GPT pays for a few large
/// products instead of one small product per head.
///
/// Shapes (B sequences, T tokens, H heads, d = model width, d_k = query/key width per
/// head, d_v = value width per head):
///
///     q = x W_qᵀ   (B, H, T, d_k)          one row per person: "what do you want to know?"
///     k = x W_kᵀ   (B, H, T, d_k)          "can you answer?"
///     v = x W_vᵀ   (B, H, T, d_v)          "what is your context?"
///     A = softmax_t(q kᵀ / √d_k)  (B, H, T, T)   A[m, t] = A_{m→t}; row m sums to 1
///     Δ = A v      (B, H, T, d_v)
///     update = concat_heads(Δ) Wᵀ  (B, T, d)     the message W·Δ_m for every m
///
/// With biases (PyTorch's nn.MultiheadAttention and GPT-2 have them; the lecture does
/// not), q = W_q h + b_q and so on, and the update is W·Δ_m + b.
enum AttentionKernel {
    /// The weights of one attention layer: Wq, Wk (H, d_k, d); Wv (H, d_v, d);
    /// W (d, H·d_v); and, when the layer has biases, bq, bk (H, d_k), bv (H, d_v), b (d).
    struct Projections {
        let Wq: Tensor, Wk: Tensor, Wv: Tensor, W: Tensor
        var bq: Tensor? = nil, bk: Tensor? = nil, bv: Tensor? = nil, b: Tensor? = nil
    }

    struct Pass {
        let q: Tensor, k: Tensor, v: Tensor  // (B, H, T, d_k | d_v)
        let A: Tensor  // (B, H, T, T)
        let delta: Tensor  // (B, H, T, d_v)
        let update: Tensor  // (B, T, d)
    }

    /// Brings h to (B, T, d): a single sequence (T, d) becomes a batch of one. Throws a
    /// clear error on any other rank or on the wrong width.
    static func batched(_ h: Tensor, width d: Int, model: String) throws -> (Tensor, isBatched: Bool) {
        guard h.rank == 2 || h.rank == 3 else {
            throw TensorError("\(model): input must be (T, d) — one row per token — or batched (B, T, d), got shape \(formatShape(h.shape))")
        }
        guard h.shape[h.rank - 1] == d else {
            throw TensorError("\(model): input rows have width \(h.shape[h.rank - 1]) (shape \(formatShape(h.shape))), expected d = \(d)")
        }
        guard h.shape[h.rank - 2] > 0, h.rank == 2 || h.shape[0] > 0 else {
            throw TensorError("\(model): input has no tokens (shape \(formatShape(h.shape)))")
        }
        return h.rank == 3 ? (h, true) : (try h.reshaped([1] + h.shape), false)
    }

    /// Undoes `batched`: a batch of one goes back to (T, ·).
    static func unbatched(_ y: Tensor, isBatched: Bool) throws -> Tensor {
        isBatched ? y : try y.reshaped(Array(y.shape.dropFirst()))
    }

    /// Checks that labels name every token, when given.
    static func checkLabels(_ labels: [String]?, tokens: Int, model: String) throws {
        if let labels, labels.count != tokens {
            throw TensorError("\(model): \(labels.count) labels for \(tokens) tokens; give one label per row")
        }
    }

    /// x (B, T, d) through one projection per head: W (H, out, d), bias (H, out) →
    /// (B, H, T, out).
    static func project(_ x: Tensor, _ weights: Tensor, bias: Tensor?) throws -> Tensor {
        let (B, T) = (x.shape[0], x.shape[1])
        let (H, out, d) = (weights.shape[0], weights.shape[1], weights.shape[2])
        let flat = try weights.reshaped([H * out, d])  // (H·out, d)
        let y = try x.linear(weight: flat, bias: bias?.reshaped([H * out]))  // (B, T, H·out)
        return try y.reshaped([B, T, H, out]).permuted([0, 2, 1, 3])
    }

    /// One attention layer's messages. x (B, T, d). `layer` and `isBatched` say which
    /// steps these are, for patches of A and Δ (applied before Δ = A v and before W·Δ
    /// read them).
    static func run(_ x: Tensor, _ p: Projections, causal: Bool, layer: Int = 1, isBatched: Bool = false) throws -> Pass {
        let (B, T) = (x.shape[0], x.shape[1])
        let dk = p.Wq.shape[1]
        let q = try project(x, p.Wq, bias: p.bq), k = try project(x, p.Wk, bias: p.bk), v = try project(x, p.Wv, bias: p.bv)
        let scores = try q.matmul(transposed: k)  // (B, H, T, T), divided by √d_k in the softmax
        typealias S = AttentionStep
        func step(_ b: Int, _ j: Int) -> [(IndexKey<S>, IndexValue)] {
            [(S.layer, .int(layer)), (S.head, .int(j + 1))] + (isBatched ? [(S.sequence, .int(b + 1))] : [])
        }
        let A = Patching.point(S.A, blocksOf: try scores.scaledSoftmax(scale: 1 / Float(dk).squareRoot(), causal: causal),
                               index: step)
        let delta = Patching.point(S.delta, blocksOf: try A.matmul(v), index: step)  // (B, H, T, d_v)
        let heads = try delta.permuted([0, 2, 1, 3]).reshaped([B, T, -1])  // (B, T, H·d_v): heads side by side
        var update = try heads.matmul(transposed: p.W)  // (B, T, d)
        if let b = p.b { update = try update + b }
        return Pass(q: q, k: k, v: v, A: A, delta: delta, update: update)
    }

    static let formula = "A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d); Δ_m = Σ_t A_{m→t} v_t; h_m ← h_m + W·Δ_m"
    static let biasFormula = "q_m = W_q h_m + b_q (k, v alike); A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d); Δ_m = Σ_t A_{m→t} v_t; h_m ← h_m + W·Δ_m + b"

    static func formula(causal: Bool, bias: Bool) -> String {
        (bias ? biasFormula : formula) + (causal ? "; A_{m→t} = 0 for t > m" : "")
    }

    /// One `attention` event per head (and per sequence of a batch), emitted only when a
    /// recorder listens. Head j's `update` is its share of W·Δ, Δ_j W[:, slice_j]ᵀ, and the
    /// heads' shares are added to the residual stream in turn: head j's `h_after` is head
    /// j+1's `h_before`, and the last `h_after` is the layer's output.
    ///
    /// `residual` (B, T, d) is the stream being updated; `input` is what q, k, v were
    /// computed from when that differs (LN(h) in a pre-LN block), shown as tensor `x`.
    /// From the second head on, `x` is shown either way: those heads still read the
    /// layer's input, not the `h_before` their picture starts from. The index carries
    /// `d`, the width of q and k that the scores are divided by (√d). The output bias b,
    /// when there is one, is added with head 1's share.
    static func emit(_ pass: Pass, residual: Tensor, input: Tensor?, _ p: Projections, layer: Int,
                     causal: Bool, isBatched: Bool, labels: [String]?) throws {
        let W = p.W
        guard Tracing.isActive else { return }
        try Tensor.withoutGrad {
            let (B, H) = (pass.A.shape[0], pass.A.shape[1])
            let (dk, dv) = (pass.q.shape[3], pass.delta.shape[3])
            for b in 0..<B {
                var h = try residual.select(axis: 0, index: b).detached()  // (T, d)
                let x = try (input ?? residual).select(axis: 0, index: b).detached()  // what every head reads
                for j in 0..<H {
                    func head(_ t: Tensor) throws -> Tensor { try t.select(axis: 0, index: b).select(axis: 0, index: j) }
                    let delta = try head(pass.delta)  // (T, d_v)
                    let share = try W.slice(axis: 1, start: j * dv, end: (j + 1) * dv)  // (d, d_v)
                    var update = try delta.matmul(transposed: share)  // (T, d)
                    if j == 0, let b = p.b { update = try update + b }
                    let before = h
                    h = try before + update
                    typealias S = AttentionStep
                    var index: [(IndexKey<S>, IndexValue)] = [(S.layer, .int(layer)), (S.head, .int(j + 1)), (S.d, .int(dk))]
                    if isBatched { index.append((S.sequence, .int(b + 1))) }
                    if causal { index.append((S.causal, .bool(true))) }
                    let after = h
                    try Tracing.emit(S.self, formula(causal: causal, bias: p.bq != nil || p.b != nil), index: index, labels: labels) {
                        var tensors: [(TensorKey<S>, Tensor)] = input != nil || j > 0 ? [(S.x, x)] : []
                        tensors += [(S.q, try head(pass.q)), (S.k, try head(pass.k)), (S.v, try head(pass.v)),
                                    (S.A, try head(pass.A)), (S.delta, delta), (S.update, update),
                                    (S.hBefore, before), (S.hAfter, after)]
                        return tensors
                    }
                }
            }
        }
    }
}
