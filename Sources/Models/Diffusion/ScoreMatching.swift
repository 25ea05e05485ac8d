import Tensor
import Trace

/// How the denoising score-matching loss weighs the noise levels.
///
/// The lecture's loss (Vincent 2011) is E‖s_θ(x_t, t) + (x_t − x_0)/(σ²t)‖². Its target
/// −(x_t − x_0)/(σ²t) = −z/(σ√t) has size 1/(σ√t), so without a weight the smallest t
/// dominate the average and the gradient. Song & Ermon (2019) weigh each t by
/// λ(t) = σ²t, the noise variance, which makes every level count about equally; with
/// s_θ = −ε̂/(σ√t) the weighted loss is exactly E‖ε̂ − z‖², the DDPM loss of Ho et al.
public enum ScoreMatchingWeighting: String, CaseIterable, Sendable {
    /// λ(t) = σ²t: E[σ²t ‖s_θ + (x_t − x_0)/(σ²t)‖²] = E‖ε̂ − z‖² (the default).
    case noiseVariance
    /// λ(t) = 1: the lecture's loss exactly as written.
    case none
}

extension ScoreNetwork {
    /// The denoising score-matching loss of one batch:
    ///
    ///     L = (1/N) Σ_n λ(t_n) ‖s_θ(x_t⁽ⁿ⁾, t_n) + (x_t⁽ⁿ⁾ − x_0⁽ⁿ⁾)/(σ²t_n)‖²,
    ///     x_t⁽ⁿ⁾ = x_0⁽ⁿ⁾ + σ√t_n z⁽ⁿ⁾,
    ///
    /// the squared norm summed over coordinates and averaged over the batch. x0 and z are
    /// (N, d), t has one time per row. It is computed through the noise prediction:
    /// s_θ + (x_t − x_0)/(σ²t) = (z − ε̂)/(σ√t), so λ‖…‖² = λ‖ε̂ − z‖²/(σ²t).
    public func denoisingLoss(x0: Tensor, t: [Float], z: Tensor,
                              weighting: ScoreMatchingWeighting = .noiseVariance) throws -> Tensor {
        let n = try Points.check(x0, dimension: dimension, op: "denoising_loss")
        guard z.shape == x0.shape else {
            throw TensorError("denoising_loss: noise z has shape \(formatShape(z.shape)) but x0 has \(formatShape(x0.shape)); they must match")
        }
        guard t.count == n else { throw TensorError("denoising_loss: \(t.count) times for \(n) points; give one time per row") }
        let std = try Tensor(shape: [n, 1], scalars: t.map { process.noiseStd(at: $0) })  // σ√t, (N, 1)
        let xt = try x0 + z * std                                                         // (N, d)
        let residual = try epsilon(xt, t: t) - z                                           // ε̂ − z, (N, d)
        let squared = try (residual * residual).sum(axis: 1)                               // ‖ε̂ − z‖², (N,)
        switch weighting {
        case .noiseVariance:
            return try squared.mean()
        case .none:
            let inverseVariance = Tensor(t.map { 1 / process.noiseVariance(at: $0) })       // 1/(σ²t), (N,)
            return try (squared * inverseVariance).mean()
        }
    }

    /// Trains the network by denoising score matching with Adam and returns the loss of
    /// every step taken.
    ///
    /// Each step draws, from a generator seeded with `seed`: `batchSize` data rows (with
    /// replacement), one time per row, log-uniform on [t_min, T] (so the noise scale σ√t
    /// is log-uniform too: every octave of noise gets the same share of training, and the
    /// small scales where the modes are sharp get enough), and z ~ N(0, I); then one Adam
    /// step on `denoisingLoss`, in the shared `TrainingLoop`. Every step emits a `train`
    /// event (formula θ ← θ − η∇θL; index `step`, 1-based, and `lr`; tensors `loss` and
    /// `grad_norm`, the gradient's global L2 norm before clipping, both 0-d); the
    /// network's own events are suspended.
    ///
    /// `progress(step, loss)` is called after each step: return false to stop early
    /// (e.g. on Ctrl-C), or throw to abort. A non-finite loss stops training with an error.
    @discardableResult
    public func train(on data: Tensor, steps: Int = 1000, batchSize: Int = 128, learningRate: Float = 1e-2,
                      tMin: Float = 1e-3, weighting: ScoreMatchingWeighting = .noiseVariance,
                      maxGradNorm: Float? = nil, seed: UInt64 = 0,
                      progress: ((_ step: Int, _ loss: Float) throws -> Bool)? = nil) throws -> [Float] {
        let count = try Points.check(data, dimension: dimension, op: "ScoreNetwork.train")
        guard steps > 0 else { throw TensorError("ScoreNetwork.train: steps must be positive, got \(steps)") }
        guard batchSize > 0, batchSize <= Points.maxValues / dimension else {
            throw TensorError("ScoreNetwork.train: batch size must be between 1 and \(Points.maxValues / dimension), got \(batchSize)")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw TensorError("ScoreNetwork.train: learning rate must be positive, got \(learningRate)")
        }
        guard tMin > 0, tMin < process.T else {
            throw TensorError("ScoreNetwork.train: t_min must lie in (0, T) = (0, \(process.T)), got \(tMin)")
        }
        if let maxGradNorm, !(maxGradNorm > 0) {
            throw TensorError("ScoreNetwork.train: max_grad_norm must be positive, got \(maxGradNorm)")
        }
        let optimizer = Adam(parameters, learningRate: learningRate)
        var rng = SplitMix64(seed: seed)
        let logRange = Real64.log(Double(process.T) / Double(tMin))  // ln(T/t_min)
        let observer = progress.map { progress in TrainingCallback { try progress($0.step, $0.loss) } }
        return try TrainingLoop.run(steps: steps, formula: "θ ← θ − η∇θL", observer: observer, index: { report in
            [(TrainStep.step, .int(report.step)), (TrainStep.lr, .number(Double(learningRate)))]
        }) { step in
            let rows = (0..<batchSize).map { _ in rng.int(below: count) }
            let x0 = try data.detached().take(rows)                                     // (B, d)
            let t = (0..<batchSize).map { _ in Float(Double(tMin) * Real64.exp(logRange * Double(rng.uniform()))) }
            let z = try Tensor.randomNormal([batchSize, dimension], using: &rng)        // (B, d)
            optimizer.zeroGrad()
            let loss = try denoisingLoss(x0: x0, t: t, z: z, weighting: weighting)
            let value = try loss.item()
            guard value.isFinite else {  // stop before a NaN reaches the weights
                throw TensorError("ScoreNetwork.train: the loss became \(value) at step \(step); try a smaller learning rate or max_grad_norm")
            }
            try loss.backward()
            let norm = clipGradNorm(parameters, maxNorm: maxGradNorm ?? .infinity)
            optimizer.step()
            return TrainingLoop.Outcome(loss: value, gradNorm: norm)
        }
    }
}
