/// Layer normalisation (Ba, Kiros & Hinton 2016) over the last axis: each agent's vector
/// is centred and scaled to unit variance, then stretched by γ and shifted by β.
/// Built from gradient-checked primitives, so its gradient needs no code of its own.
extension Tensor {
    /// (x − mean) / √(var + ε) · γ + β along the last axis; γ and β have the last axis's
    /// size (or are omitted: 1 and 0).
    public func layerNorm(gamma: Tensor? = nil, beta: Tensor? = nil, epsilon: Float = 1e-5) throws -> Tensor {
        guard rank >= 1 else { throw TensorError("layer_norm: needs at least one axis, got a scalar") }
        let d = shape[rank - 1]
        for (name, p) in [("gamma", gamma), ("beta", beta)] {
            if let p, p.shape != [d] {
                throw TensorError.shapes("layer_norm", shape, p.shape, "\(name) must have shape (\(d),), the size of the last axis")
            }
        }
        let mu = try mean(axis: -1, keepDims: true)
        let variance = try variance(axis: -1, keepDims: true)
        var y = try (self - mu) / (variance + Tensor(epsilon)).sqrt()
        if let gamma { y = try y * gamma }
        if let beta { y = try y + beta }
        return y
    }
}

extension Tensor {
    // Scalar conveniences, so model code reads like the formulas: `h * 0.5`, `x - 1`.
    public static func + (a: Tensor, b: Float) throws -> Tensor { try a + Tensor(b) }
    public static func - (a: Tensor, b: Float) throws -> Tensor { try a - Tensor(b) }
    public static func * (a: Tensor, b: Float) throws -> Tensor { try a * Tensor(b) }
    public static func / (a: Tensor, b: Float) throws -> Tensor { try a / Tensor(b) }
    public static func + (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) + b }
    public static func - (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) - b }
    public static func * (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) * b }
    public static func / (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) / b }
}
