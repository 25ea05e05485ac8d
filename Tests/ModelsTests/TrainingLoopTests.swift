import Models
import Tensor
import Testing
import Trace

/// The one training loop, run by every trainer of Models: one declared `train` event per
/// step carrying the step's loss, one report per step to the observer, and a stop that
/// keeps exactly the steps taken.
@Suite struct TrainingLoopTests {
    /// A trainer, made fresh for each run so that two runs start from the same weights.
    struct Trainer: Sendable, CustomTestStringConvertible {
        let name: String
        let unit: TrainingUnit
        /// Whether its reports (and events) carry the gradient's norm.
        let reportsGradNorm: Bool
        let make: @Sendable () throws -> Run

        var testDescription: String { name }
    }

    /// A fresh model and its training for `steps` steps, each reported to `report`
    /// through the trainer's own progress callback (throw to stop).
    struct Run {
        let model: any Model
        /// What its `train` events say the step does.
        let formula: String
        let train: (_ steps: Int, _ report: @escaping (TrainingReport) throws -> Void) throws -> [Float]

        var weights: [[Float]] { model.parameters.map(\.value.scalars) }
    }

    static let text = "a party of words, a party of vectors"
    static let sentences = "the cat sleeps all day. the dog sleeps all night. the cat eats fish. the dog eats meat."

    static let trainers: [Trainer] = [
        Trainer(name: "GPT", unit: .step, reportsGradNorm: true) {
            let m = try GPT(corpus: text, dim: 8, layers: 1, heads: 2, blockSize: 8, seed: 3)
            return Run(model: m, formula: "θ ← θ − η∇θ L") { steps, report in
                try m.train(steps: steps, batchSize: 2, learningRate: 1e-2, seed: 4) { try report($0.report); return true }
            }
        },
        Trainer(name: "BERT", unit: .step, reportsGradNorm: true) {
            let m = try BERT(corpus: text, dim: 8, layers: 1, heads: 2, blockSize: 8, seed: 3)
            return Run(model: m, formula: "θ ← θ − η∇θ L") { steps, report in
                try m.train(steps: steps, batchSize: 2, learningRate: 1e-2, seed: 4) { try report($0.report); return true }
            }
        },
        Trainer(name: "word2vec", unit: .epoch, reportsGradNorm: false) {
            let m = try Word2Vec(vocabulary: Vocabulary(corpus: sentences), dimension: 8, seed: 5)
            return Run(model: m, formula: "θ ← θ − η∇θ L,  " + m.lossFormula) { epochs, report in
                try m.train(corpus: sentences, epochs: epochs) { try report($0.report); return true }
            }
        },
        Trainer(name: "score network", unit: .step, reportsGradNorm: false) {
            let m = try ScoreNetwork(hidden: [8], seed: 2)
            let data = try ToyData.eightGaussians(count: 100, seed: 1)
            return Run(model: m, formula: "θ ← θ − η∇θL") { steps, report in
                try m.train(on: data, steps: steps, batchSize: 16, seed: 3) { step, loss in
                    try report(TrainingReport(step: step, total: steps, loss: loss))
                    return true
                }
            }
        },
    ]

    /// The event's step number: its `epoch` for word2vec (whose `step` counts SGD updates).
    static func number(of event: TraceEvent, _ unit: TrainingUnit) -> Int? {
        event.integer(unit == .epoch ? TrainStep.epoch : TrainStep.step)
    }

    @Test(arguments: trainers)
    func everyStepIsOneDeclaredTrainEventAndOneReport(_ trainer: Trainer) throws {
        let run = try trainer.make()
        var reports: [TrainingReport] = []
        let (losses, events) = try recording { try run.train(4) { reports.append($0) } }

        #expect(losses.count == 4)
        #expect(events.count == 4 && events.allSatisfy { $0.kind == .train }, "\(events.map(\.kind))")
        #expect(events.allSatisfy { $0.undeclaredNames.isEmpty }, "\(events.map(\.undeclaredNames))")
        #expect(events.allSatisfy { $0.formula == run.formula })
        #expect(events.map { Self.number(of: $0, trainer.unit) } == [1, 2, 3, 4])
        #expect(events.map { $0[TrainStep.loss]?.data } == losses.map { [$0] })
        #expect(events.allSatisfy { $0[TrainStep.loss]?.shape == [] })

        #expect(reports.map(\.step) == [1, 2, 3, 4])
        #expect(reports.allSatisfy { $0.total == 4 && $0.unit == trainer.unit })
        #expect(reports.map(\.loss) == losses)
        #expect(reports.map(\.isLast) == [false, false, false, true])
        if trainer.reportsGradNorm {
            #expect(reports.allSatisfy { ($0.gradNorm ?? 0) > 0 })
            #expect(events.map { $0[TrainStep.gradNorm]?.data.first } == reports.map(\.gradNorm))
        }
        if trainer.unit == .epoch {
            #expect(events.allSatisfy { ($0[TrainStep.learningRate]?.data.first ?? 0) > 0 })
        }
    }

    struct Stop: Error {}

    @Test(arguments: trainers)
    func anObserverThatThrowsStopsAtThatStepAndTheModelKeepsIt(_ trainer: Trainer) throws {
        // Uninterrupted, noting the weights after step 2.
        let whole = try trainer.make()
        var afterTwo: [[Float]] = []
        var wholeReports: [TrainingReport] = []
        _ = try whole.train(5) { report in
            wholeReports.append(report)
            if report.step == 2 { afterTwo = whole.weights }
        }
        #expect(wholeReports.count == 5)
        #expect(afterTwo != whole.weights, "training moves the weights")

        // Stopped by the observer after step 2.
        let stopped = try trainer.make()
        var reports: [TrainingReport] = []
        let recorder = TraceRecorder()
        #expect(throws: Stop.self) {
            try Tracing.recording(into: recorder) {
                try stopped.train(5) { report in
                    reports.append(report)
                    if report.step == 2 { throw Stop() }
                }
            }
        }
        #expect(reports == Array(wholeReports.prefix(2)))
        #expect(recorder.events.count == 2)
        #expect(stopped.weights == afterTwo)
        if let w2v = stopped.model as? Word2Vec { #expect(w2v.epochsTrained == 2) }
    }

    // MARK: The loop itself

    /// A body with no model: the loss of step n is 1/n.
    static func body(_ step: Int) -> TrainingLoop.Outcome {
        TrainingLoop.Outcome(loss: 1 / Float(step), gradNorm: 2, learningRate: 0.5)
    }

    final class Recorder: TrainingObserver {
        var reports: [TrainingReport] = []
        var stop: (TrainingReport) throws -> Void = { _ in }
        func didStep(_ report: TrainingReport) throws {
            reports.append(report)
            try stop(report)
        }
    }

    @Test func theLoopRecordsEmitsAndReportsEachStep() throws {
        let observer = Recorder()
        let (losses, events) = try recording {
            try TrainingLoop.run(steps: 3, formula: "θ ← θ − η∇θL", observer: observer, Self.body)
        }
        #expect(losses == [1, 0.5, 1 / 3])
        #expect(observer.reports == (1...3).map {
            TrainingReport(step: $0, total: 3, loss: 1 / Float($0), gradNorm: 2, learningRate: 0.5)
        })
        #expect(events.map(\.kind) == [.train, .train, .train])
        #expect(events.allSatisfy { $0.undeclaredNames.isEmpty })
        #expect(events.map { $0.integer(TrainStep.step) } == [1, 2, 3])
        #expect(events.map { $0.tensors.map(\.name) } == Array(repeating: ["loss", "grad_norm", "learning_rate"], count: 3))
        #expect(events.map { $0[TrainStep.loss]?.data } == losses.map { [$0] })
    }

    @Test func theBodysOwnEventsAreSuspended() throws {
        let mlp = try MLP(sizes: [2, 2], seed: 1)
        let (_, events) = try recording {
            try TrainingLoop.run(steps: 2, formula: "θ ← θ − η∇θL", observer: nil) { _ in
                TrainingLoop.Outcome(loss: try mlp(Tensor([[1, 2]])).sum().item())
            }
        }
        #expect(events.map(\.kind) == [.train, .train])
    }

    @Test func stopTrainingEndsQuietlyAndOtherErrorsPassThrough() throws {
        let quiet = Recorder()
        quiet.stop = { if $0.step == 2 { throw StopTraining() } }
        #expect(try TrainingLoop.run(steps: 5, formula: "f", observer: quiet, Self.body) == [1, 0.5])

        let loud = Recorder()
        loud.stop = { if $0.step == 3 { throw Stop() } }
        var ran: [Int] = []
        #expect(throws: Stop.self) {
            try TrainingLoop.run(steps: 5, formula: "f", observer: loud) { step in
                ran.append(step)
                return Self.body(step)
            }
        }
        #expect(ran == [1, 2, 3] && loud.reports.map(\.step) == [1, 2, 3])

        // A failing step is not reported.
        let failing = Recorder()
        #expect(throws: Stop.self) {
            try TrainingLoop.run(steps: 5, formula: "f", observer: failing) { step in
                if step == 2 { throw Stop() }
                return Self.body(step)
            }
        }
        #expect(failing.reports.map(\.step) == [1])

        let (none, events) = try recording { try TrainingLoop.run(steps: 0, formula: "f", observer: quiet, Self.body) }
        #expect(none.isEmpty && events.isEmpty)
    }

    @Test func aTrainerChoosesTheEventsIndexAndUnit() throws {
        let observer = Recorder()
        let (_, events) = try recording {
            try TrainingLoop.run(steps: 2, formula: "f", unit: .epoch, observer: observer, index: { report in
                [(TrainStep.epoch, .int(report.step + 10)), (TrainStep.architecture, .text("CBOW"))]
            }) { _ in TrainingLoop.Outcome(loss: 1, learningRate: 0.1) }
        }
        #expect(events.map { $0.integer(TrainStep.epoch) } == [11, 12])
        #expect(events.allSatisfy { $0[TrainStep.gradNorm] == nil && $0[TrainStep.learningRate] != nil })
        #expect(observer.reports.allSatisfy { $0.unit == .epoch })
    }
}
