import ArgumentParser
import Lessons
import Models
import REPL
import Tensor
import Trace

/// `huddle bench`: the engine's speed, one JSON object per line.
///
/// - `matmul_N`: an N×N by N×N float32 product through `Tensor.matmul` (allocation
///   included, as a user sees it), one thread unless `--threads 2`, in GFLOP/s (2N³ flops per product);
///   the best of several timed repetitions after warm-up.
/// - `mlp_step`: one training step of an MLP 2→128→128→2 (ReLU) on a batch of 256:
///   forward, cross-entropy, backward and an Adam update; the median of the runs, in ms.
/// - `mlp_step_traced`: the same step while a trace recorder listens (each layer's event
///   snapshots its tensors) — the price of watching; without a recorder it is `mlp_step`.
/// - `gpt_step`, `lstm_fwd_bwd`, `diffusion_step`: the lessons' models (see
///   `ModelBenchmarks`), median ms; scripts/bench_reference.py does the same in PyTorch.
///
/// Only a release build gives meaningful numbers (`swift build -c release`).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure matmul GFLOP/s and the lessons' training steps (release builds only).")

    @Option(help: "Timed runs per benchmark (at least 20).")
    var runs = 30

    @Option(help: "Cores for large matrix products (1 or 2). The targets are for one; the numbers are the same bits either way.")
    var threads = 1

    @Argument(help: "Benchmarks to run (default: all): matmul_64 … matmul_512, mlp_step, mlp_step_traced, gpt_step, lstm_fwd_bwd, diffusion_step.")
    var names: [String] = []

    /// Every benchmark: its name, its unit and how to measure it.
    var benchmarks: [(name: String, unit: String, measure: (Int) throws -> Double)] {
        [64, 128, 256, 512].map { n in ("matmul_\(n)", "gflops", { try matmulGFLOPS(n: n, runs: $0) }) } + [
            ("mlp_step", "ms", { try mlpStepMilliseconds(runs: $0) }),
            ("mlp_step_traced", "ms", { runs in try Tracing.recording(into: TraceRecorder(limit: 100)) { try mlpStepMilliseconds(runs: runs) } }),
            ("gpt_step", "ms", ModelBenchmarks.gptStep),
            ("lstm_fwd_bwd", "ms", ModelBenchmarks.lstmForwardBackward),
            ("diffusion_step", "ms", ModelBenchmarks.diffusionStep),
        ]
    }

    func validate() throws {
        let known = Set(benchmarks.map(\.name))
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw ValidationError("no benchmark '\(unknown)'; there are: \(benchmarks.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        #if DEBUG
        Terminal.writeError("warning: this is a debug build; build with `swift build -c release` for meaningful numbers\n")
        #endif
        let runs = max(runs, 20)
        Tensor.matmulThreads = threads
        for bench in benchmarks where names.isEmpty || names.contains(bench.name) {
            let value = try bench.measure(runs)
            print(#"{"name": "\#(bench.name)", "\#(bench.unit)": \#(rounded(value, places: bench.unit == "ms" ? 3 : 1))}"#)
        }
    }

    func matmulGFLOPS(n: Int, runs: Int) throws -> Double {
        let a = try Tensor.randomNormal([n, n], seed: 1), b = try Tensor.randomNormal([n, n], seed: 2)
        // Enough products per timing that each lasts a few milliseconds even at n = 64.
        let repeats = max(1, 50_000_000 / (2 * n * n * n))
        for _ in 0..<3 { _ = try a.matmul(b) }
        let seconds = try (0..<runs).map { _ in
            try time { for _ in 0..<repeats { _ = try a.matmul(b) } } / Double(repeats)
        }
        return 2 * Double(n * n * n) / (seconds.min() ?? 1) / 1e9
    }

    func mlpStepMilliseconds(runs: Int) throws -> Double {
        let mlp = try MLP(sizes: [2, 128, 128, 2], activation: .relu, seed: 1)
        let adam = Adam(mlp.parameters, learningRate: 1e-3)
        let x = try Tensor.randomNormal([256, 2], seed: 3)
        let targets = x.scalars.enumerated().filter { $0.offset % 2 == 0 }.map { $0.element > 0 ? 1 : 0 }
        func step() throws {
            adam.zeroGrad()
            try mlp(x).crossEntropy(targets: targets).backward()
            adam.step()
        }
        for _ in 0..<10 { try step() }
        let times = try (0..<runs).map { _ in try time(step) }
        return median(times) * 1000
    }
}

/// Wall-clock seconds taken by `body`.
func time(_ body: () throws -> Void) rethrows -> Double {
    let stopwatch = Stopwatch()
    try body()
    return stopwatch.seconds
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func rounded(_ value: Double, places: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return String((value * scale).rounded() / scale)
}
