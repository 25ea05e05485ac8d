import Tensor

/// The nonlinearity σ of a layer.
public enum Activation: String, CaseIterable, Sendable {
    case identity, tanh, relu, sigmoid, gelu

    public func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: x
        case .tanh: x.tanh()
        case .relu: x.relu()
        case .sigmoid: x.sigmoid()
        case .gelu: x.gelu()
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
        }
    }
}
