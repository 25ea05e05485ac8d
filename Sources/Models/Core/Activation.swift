import Tensor

/// The nonlinearity σ of a layer. `gelu` is GELU's tanh form (GPT-2, BERT, and every
/// lesson's numbers); `gelu_erf` the exact x·Φ(x) that PyTorch's `nn.GELU()` computes by
/// default (nanoGPT), needed to reproduce a model trained with it.
public enum Activation: String, CaseIterable, Sendable {
    case identity, tanh, relu, sigmoid, gelu
    case geluErf = "gelu_erf"

    public func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: x
        case .tanh: x.tanh()
        case .relu: x.relu()
        case .sigmoid: x.sigmoid()
        case .gelu: x.gelu()
        case .geluErf: x.geluErf()
        }
    }

    /// How σ is written in a formula.
    public var symbol: String {
        switch self {
        case .identity: ""
        case .tanh: "tanh"
        case .relu: "relu"
        case .sigmoid: "σ"
        case .gelu: "gelu"
        case .geluErf: "gelu_erf"
        }
    }
}
