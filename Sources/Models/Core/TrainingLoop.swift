import Tensor
import Trace

/// What one step of a training loop is: an optimiser step, or (word2vec) a whole pass
/// over the corpus. Progress bars count in it.
public enum TrainingUnit: String, Sendable {
    case step
    case epoch
}

/// What a training loop reports after each step, once the model is consistent again
/// (the update applied), so whoever is told may stop training right there.
public struct TrainingReport: Sendable, Equatable {
    /// 1-based, counted within this run.
    public let step: Int
    /// How many steps this run was asked for.
    public let total: Int
    /// The step's loss before its update (word2vec: the epoch's mean loss per update).
    public let loss: Float
    /// The gradient's global L2 norm before clipping, for trainers that compute one.
    public let gradNorm: Float?
    /// The learning rate the step ended with, for trainers whose rate changes (word2vec).
    public let learningRate: Float?
    public let unit: TrainingUnit

    public init(step: Int, total: Int, loss: Float, gradNorm: Float? = nil, learningRate: Float? = nil,
                unit: TrainingUnit = .step) {
        self.step = step
        self.total = total
        self.loss = loss
        self.gradNorm = gradNorm
        self.learningRate = learningRate
        self.unit = unit
    }

    /// Whether this is the run's last step.
    public var isLast: Bool { step == total }
}

/// Who watches a training loop: a progress bar and Ctrl-C, or a test.
public protocol TrainingObserver {
    /// Called after every step. Throwing stops training there: the loop passes the error
    /// on, and the model keeps every step taken so far. Throw `StopTraining` to end
    /// without an error instead.
    func didStep(_ report: TrainingReport) throws
}

/// Thrown by an observer to end training after the current step quietly: the loop
/// returns the losses so far (what a progress callback returning false asks for).
public struct StopTraining: Error, Sendable {
    public init() {}
}

/// A progress callback as an observer; returning false ends training quietly.
struct TrainingCallback: TrainingObserver {
    let callback: (TrainingReport) throws -> Bool

    func didStep(_ report: TrainingReport) throws {
        if try !callback(report) { throw StopTraining() }
    }
}

/// The one training loop every trainer runs (GPT, BERT, word2vec, the score network and
/// the language's `train`), so all of them record, trace and stop in the same way.
///
/// Each step runs the trainer's body with the body's own events suspended, keeps its
/// loss, emits exactly one `train` event (tensors `loss` and whichever of `grad_norm` and
/// `learning_rate` the body measured), then tells the observer.
public enum TrainingLoop {
    /// What one step's body measured.
    public struct Outcome: Sendable {
        public var loss: Float
        public var gradNorm: Float?
        public var learningRate: Float?

        public init(loss: Float, gradNorm: Float? = nil, learningRate: Float? = nil) {
            self.loss = loss
            self.gradNorm = gradNorm
            self.learningRate = learningRate
        }
    }

    /// The `train` event's usual index: the step's number.
    public static func stepIndex(_ report: TrainingReport) -> [(IndexKey<TrainStep>, IndexValue)] {
        [(TrainStep.step, .int(report.step))]
    }

    /// Runs `body(step)` for step = 1 … `steps` and returns every step's loss.
    ///
    /// `index` gives each step's event its index entries (by default `step`; word2vec
    /// counts its epochs and SGD updates over every run instead). If the body throws, the
    /// loop stops with that error; if the observer throws, the loop stops after the step
    /// just reported and passes the error on — except `StopTraining`, which returns the
    /// losses so far. Either way the model keeps the steps completed.
    public static func run(steps: Int, formula: String, unit: TrainingUnit = .step,
                           observer: (any TrainingObserver)?,
                           index: (TrainingReport) -> [(IndexKey<TrainStep>, IndexValue)] = TrainingLoop.stepIndex,
                           _ body: (_ step: Int) throws -> Outcome) throws -> [Float] {
        var losses: [Float] = []
        guard steps > 0 else { return losses }
        losses.reserveCapacity(min(steps, 100_000))  // a huge `steps` is stopped by Ctrl-C, not by memory
        for step in 1...steps {
            let outcome = try Tracing.suspended { try body(step) }
            losses.append(outcome.loss)
            let report = TrainingReport(step: step, total: steps, loss: outcome.loss, gradNorm: outcome.gradNorm,
                                        learningRate: outcome.learningRate, unit: unit)
            Tracing.emit(TrainStep.self, formula, index: index(report)) {
                var tensors = [(TrainStep.loss, Tensor(outcome.loss))]
                if let norm = outcome.gradNorm { tensors.append((TrainStep.gradNorm, Tensor(norm))) }
                if let rate = outcome.learningRate { tensors.append((TrainStep.learningRate, Tensor(rate))) }
                return tensors
            }
            do {
                try observer?.didStep(report)
            } catch is StopTraining {
                break
            }
        }
        return losses
    }
}
