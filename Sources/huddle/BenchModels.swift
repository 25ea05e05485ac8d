import Models
import Tensor

/// The lessons' models as benchmarks, in configurations a reference script
/// (scripts/bench_reference.py) repeats in PyTorch and NumPy, so `scripts/bench` can
/// print the ratios of one run on one machine. Each returns the median of `runs` timed
/// steps after warm-up, in milliseconds.
enum ModelBenchmarks {
    /// A character GPT's training step in nanoGPT's small configuration: V = 65, 2
    /// layers, 4 heads, d = 64, context 32, batch 16, pre-LN, tanh-GELU, tied decoder;
    /// forward, cross-entropy, backward, clip to norm 1, AdamW (lr 1e-3).
    static func gptStep(runs: Int) throws -> Double {
        let (V, T, B) = (65, 32, 16)
        let gpt = try GPT(vocabularySize: V, dim: 64, layers: 2, heads: 4, blockSize: T, seed: 1)
        let optimizer = Adam.adamW(gpt.parameters, learningRate: 1e-3)
        var rng = SplitMix64(seed: 2)
        let text = (0..<4096).map { _ in rng.int(below: V) }
        func step() throws {
            var inputs: [[Int]] = [], targets: [Int] = []
            for _ in 0..<B {
                let start = rng.int(below: text.count - T)
                inputs.append(Array(text[start..<(start + T)]))
                targets += text[(start + 1)...(start + T)]
            }
            gpt.zeroGrad()
            try gpt.logits(batch: inputs).reshaped([B * T, V]).crossEntropy(targets: targets).backward()
            clipGradNorm(gpt.parameters, maxNorm: 1)
            optimizer.step()
        }
        return try medianMilliseconds(runs: runs, warmUp: 5, step)
    }

    /// An LSTM forward through T = 32 steps of a batch of 16 (input 32, hidden 64), the
    /// loss Σ h, and backward through time.
    static func lstmForwardBackward(runs: Int) throws -> Double {
        let lstm = try LSTM(inputSize: 32, hiddenSize: 64, seed: 1)
        let x = try Tensor.randomNormal([16, 32, 32], seed: 2)
        func step() throws {
            lstm.zeroGrad()
            try lstm(x).sum().backward()
        }
        return try medianMilliseconds(runs: runs, warmUp: 5, step)
    }

    /// A denoising network's training step: an MLP 3→128→128→2 (tanh-GELU) on a batch of
    /// 256, mean squared error against a target, backward, Adam (lr 1e-3).
    static func diffusionStep(runs: Int) throws -> Double {
        let mlp = try MLP(sizes: [3, 128, 128, 2], activation: .gelu, seed: 1)
        let optimizer = Adam(mlp.parameters, learningRate: 1e-3)
        let x = try Tensor.randomNormal([256, 3], seed: 2), target = try Tensor.randomNormal([256, 2], seed: 3)
        func step() throws {
            optimizer.zeroGrad()
            let error = try mlp(x) - target
            try (error * error).mean().backward()
            optimizer.step()
        }
        return try medianMilliseconds(runs: runs, warmUp: 10, step)
    }

    static func medianMilliseconds(runs: Int, warmUp: Int, _ step: () throws -> Void) throws -> Double {
        for _ in 0..<warmUp { try step() }
        return median(try (0..<runs).map { _ in try time(step) }) * 1000
    }
}
