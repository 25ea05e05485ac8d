import Language
import Models
import Render
import Tensor
import Trace

/// An optimiser in the language: `opt = Adam(model, lr: 0.01)`, then `opt.zero_grad()`,
/// `loss.backward()`, `opt.step()` — θ ← θ − η∇θL, by hand.
final class OptimizerValue: HostValue {
    let kind: String
    let model: ModelValue
    let learningRate: Float
    let optimizer: any Optimizer

    init(kind: String, model: ModelValue, learningRate: Float) {
        self.kind = kind
        self.model = model
        self.learningRate = learningRate
        optimizer = OptimizerValue.make(kind, model.model.parameters, learningRate)
    }

    static func make(_ kind: String, _ parameters: [Weight], _ lr: Float) -> any Optimizer {
        switch kind {
        case "SGD": SGD(parameters, learningRate: lr)
        case "AdamW": Adam.adamW(parameters, learningRate: lr)
        default: Adam(parameters, learningRate: lr)
        }
    }

    var typeName: String { kind }
    var description: String { "\(kind) (lr \(learningRate)) for \(model.model.summary)" }
    var memberNames: [String] { ["step", "zero_grad", "lr"] }

    func member(named name: String) throws -> Value? {
        switch name {
        case "step":
            return .builtin(Kit.builtin("step", [], "step(): θ ← θ − η∇θL for every weight, from the gradients now stored") { _ in
                self.optimizer.step()
                return .none
            })
        case "zero_grad":
            return .builtin(Kit.builtin("zero_grad", [], "zero_grad(): forget the stored gradients (they add up otherwise)") { _ in
                self.optimizer.zeroGrad()
                return .none
            })
        case "lr": return .number(Double(learningRate))
        default: return nil
        }
    }

    /// A copy drives the copy of its model (its momentum starts again from zero).
    func copy(using copier: Copier) -> any HostValue {
        OptimizerValue(kind: kind, model: copier.copy(model), learningRate: learningRate)
    }
}

/// Optimisers and the `train` loop with progress, Ctrl-C and one `train` event per step.
enum TrainingBuiltins {
    static var all: [Builtin] {
        ["SGD", "Adam", "AdamW"].map { kind in
            Kit.builtin(kind, [Kit.p("model"), Kit.p("lr", kind == "SGD" ? 0.1 : 0.01)],
                        "\(kind)(model, lr): an optimiser for the model's weights; opt.zero_grad(), loss.backward(), opt.step()") { args in
                let model = try args.host("model", as: ModelValue.self, described: "a model")
                return .host(OptimizerValue(kind: kind, model: model, learningRate: Float(try args.number("lr"))))
            }
        } + [train]
    }

    static var train: Builtin {
        Kit.builtin("train", [Kit.p("model"), Kit.p("loss"), Kit.p("steps", 100), Kit.p("lr", 0.01), Kit.p("optimizer", "adam")],
                    "train(model, loss, steps=100, lr=0.01, optimizer=\"adam\"): calls loss() and improves the weights, steps times; returns the losses") { args in
            let model = try args.host("model", as: ModelValue.self, described: "a model")
            let lossFunction = args["loss"]
            let steps = try args.integer("steps")
            guard steps > 0 else { throw RuntimeError("train() needs steps ≥ 1, got \(steps)") }
            let kind = try args.string("optimizer").lowercased()
            let names = ["adam": "Adam", "adamw": "AdamW", "sgd": "SGD"]
            guard let name = names[kind] else { throw RuntimeError("optimizer must be \"adam\", \"adamw\" or \"sgd\", got \"\(kind)\"") }
            let optimizer = OptimizerValue.make(name, model.model.parameters, Float(try args.number("lr")))
            let host = args.context.host as? LessonHost
            var losses: [Float] = []
            let clock = ContinuousClock()
            let start = clock.now
            func interrupted(at step: Int) -> Error {
                let elapsed = clock.now - start
                host?.progress?(TrainingProgress(step: step - 1, total: steps, loss: losses.last,
                                                 seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                                                 finished: true))
                return RuntimeError("interrupted at step \(step - 1) of \(steps); the model keeps what it learned so far")
            }
            for step in 1...steps {
                do {
                    try args.context.host.checkInterrupt()
                } catch {
                    throw interrupted(at: step)
                }
                optimizer.zeroGrad()
                let loss: Value
                do {
                    loss = try Tracing.suspended { try args.context.call(lossFunction, Arguments()) }
                } catch {
                    // Ctrl-C noticed inside the student's loss function.
                    if host?.interruptRequested() == true { throw interrupted(at: step) }
                    throw error
                }
                let lossTensor = try Conversions.tensor(loss, what: "the loss function's result")
                guard lossTensor.count == 1 else {
                    throw RuntimeError("the loss function must return a single number, got a tensor of shape \(formatShape(lossTensor.shape))")
                }
                try lossTensor.backward()
                let gradNorm = clipGradNorm(model.model.parameters, maxNorm: .infinity)
                optimizer.step()
                let value = lossTensor.scalars[0]
                losses.append(value)
                Tracing.emit {
                    TraceEvent(kind: .train, formula: "θ ← θ − η∇θL", index: [("step", .int(step))],
                               tensors: [("loss", Snapshot(scalar: value)), ("grad_norm", Snapshot(scalar: gradNorm))])
                }
                let elapsed = clock.now - start
                host?.progress?(TrainingProgress(step: step, total: steps, loss: value,
                                                 seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                                                 finished: step == steps))
            }
            return Kit.tensor(Tensor(losses))
        }
    }
}

/// What a training loop reports after each step, for a progress bar.
public struct TrainingProgress: Sendable {
    public let step: Int
    public let total: Int
    public let loss: Float?
    public let seconds: Double
    /// The last report of this loop (finished or interrupted).
    public let finished: Bool
    /// What one step is: "step", or "epoch" for word2vec's passes over a corpus.
    public var unit: String = "step"
}
