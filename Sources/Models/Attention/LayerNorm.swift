import Tensor

/// Layer normalisation (Ba, Kiros & Hinton 2016): before speaking at the meeting (or
/// thinking alone), each person rescales their own vector — centred to mean 0 and
/// scaled to variance 1 over its d features — then stretches and shifts it:
///
///     LN(h_m) = γ ⊙ (h_m − mean(h_m)) / √(var(h_m) + ε) + β
///
/// Parameters `gamma` (γ, starts at 1) and `beta` (β, starts at 0), both (d,); made with
/// `bias: false` there is no β (nanoGPT's LayerNorm with bias=False). Works on the last
/// axis of any input (…, d); every row is normalised on its own.
public final class LayerNorm: Model {
    public let dim: Int
    public let epsilon: Float
    public let gamma: Parameter, beta: Parameter?

    public init(dim: Int, epsilon: Float = 1e-5, bias: Bool = true) throws {
        guard dim > 0 else { throw TensorError("LayerNorm: d must be positive, got \(dim)") }
        guard epsilon >= 0, epsilon.isFinite else {
            throw TensorError("LayerNorm: ε must be a non-negative number, got \(epsilon)")
        }
        self.dim = dim
        self.epsilon = epsilon
        gamma = Parameter("gamma", try Tensor.ones([dim]))
        beta = bias ? Parameter("beta", try Tensor.zeros([dim])) : nil
    }

    public var summary: String { "LayerNorm d=\(dim)" + (beta == nil ? ", no β" : "") }
    public var ownParameters: [Parameter] { [gamma] + (beta.map { [$0] } ?? []) }

    /// x (…, d) → same shape.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.rank >= 1, x.shape[x.rank - 1] == dim else {
            throw TensorError("\(summary): input rows have width \(x.shape.last.map(String.init) ?? "none") (shape \(formatShape(x.shape))), expected d = \(dim)")
        }
        return try x.layerNorm(gamma: gamma.value, beta: beta?.value, epsilon: epsilon)
    }
}
