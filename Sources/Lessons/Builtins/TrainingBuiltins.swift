import Language
import Models
import Tensor

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
            return .builtin(Kit.builtin("step", [], "θ ← θ − η∇θL for every weight, from the gradients now stored") { _ in
                self.optimizer.step()
                return .none
            })
        case "zero_grad":
            return .builtin(Kit.builtin("zero_grad", [], "forget the stored gradients (they add up otherwise)") { _ in
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

/// Optimisers and `train(model, loss, …)`: the shared training loop over a loss function
/// the student wrote, with progress, Ctrl-C and one `train` event per step.
enum TrainingBuiltins {
    static var all: [Builtin] {
        ["SGD", "Adam", "AdamW"].map { kind in
            Kit.builtin(kind, [Kit.p("model"), Kit.p("lr", kind == "SGD" ? 0.1 : 0.01)],
                        "an optimiser for the model's weights; opt.zero_grad(), loss.backward(), opt.step()") { args in
                let model = try args.host("model", as: ModelValue.self, described: "a model")
                return .host(OptimizerValue(kind: kind, model: model, learningRate: Float(try args.number("lr"))))
            }
        } + [train]
    }

    static var train: Builtin {
        Kit.builtin("train", [Kit.p("model"), Kit.p("loss"), Kit.p("steps", 100), Kit.p("lr", 0.01), Kit.p("optimizer", "adam")],
                    "calls loss() and improves the weights, steps times; returns the losses") { args in
            let model = try args.host("model", as: ModelValue.self, described: "a model")
            let lossFunction = args["loss"]
            let steps = try args.integer("steps")
            guard steps > 0 else { throw RuntimeError("train() needs steps ≥ 1, got \(steps)") }
            let kind = try args.string("optimizer").lowercased()
            let names = ["adam": "Adam", "adamw": "AdamW", "sgd": "SGD"]
            guard let name = names[kind] else { throw RuntimeError("optimizer must be \"adam\", \"adamw\" or \"sgd\", got \"\(kind)\"") }
            let optimizer = OptimizerValue.make(name, model.model.parameters, Float(try args.number("lr")))
            let observer = HostTrainingObserver(args, total: steps)
            return try observer.train {
                try TrainingLoop.run(steps: steps, formula: "θ ← θ − η∇θL", observer: observer) { _ in
                    optimizer.zeroGrad()
                    let loss = try args.context.call(lossFunction, Arguments())
                    let lossTensor = try Conversions.tensor(loss, what: "the loss function's result")
                    guard lossTensor.count == 1 else {
                        throw RuntimeError("the loss function must return a single number, got a tensor of shape \(formatShape(lossTensor.shape))")
                    }
                    try lossTensor.backward()
                    let gradNorm = gradientNorm(model.model.parameters)
                    optimizer.step()
                    return TrainingLoop.Outcome(loss: lossTensor.scalars[0], gradNorm: gradNorm)
                }
            }
        }
    }
}
