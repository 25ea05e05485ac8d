import Foundation
import Language
@testable import Lessons
import Models
import Testing
import Trace

/// Every way the language trains — GPT, BERT, word2vec, the score network and
/// `train(model, loss, …)` with each optimiser — through the one training loop: one
/// declared `train` event and one progress report per step, and Ctrl-C stopping at the
/// step the host saw last with one message, the model keeping exactly those steps.
@Suite struct TrainingLoopBindingTests {
    /// A trainer as a lesson writes it: `setup` makes a model `m`, `call(n)` trains it n steps.
    struct Trainer: Sendable, CustomTestStringConvertible {
        let name: String
        let setup: String
        let call: @Sendable (Int) -> String
        var unit: TrainingUnit = .step

        var testDescription: String { name }
    }

    static let text = "I love machine learning. You love the party. We love machine learning and the party."
    static let sentences = "the cat sleeps all day. the dog sleeps all night. the cat eats fish. the dog eats meat."

    static let trainers: [Trainer] = [
        Trainer(name: "GPT", setup: "m = GPT(\"\(text)\", dim: 8, layers: 1, heads: 2, block_size: 8, seed: 1)") {
            "m.train(steps: \($0), batch_size: 2, seed: 1)"
        },
        Trainer(name: "BERT", setup: "m = BERT(\"\(text)\", dim: 8, layers: 1, heads: 2, block_size: 8, seed: 1)") {
            "m.train(steps: \($0), batch_size: 2, seed: 1)"
        },
        Trainer(name: "word2vec", setup: "text = \"\(sentences)\"\nm = Word2Vec(Vocabulary(text), dim: 8, seed: 1)",
                call: { "m.train(text, epochs: \($0))" }, unit: .epoch),
        Trainer(name: "score network", setup: "data = eight_gaussians(100, seed: 1)\nm = ScoreNetwork(hidden: [8], seed: 2)") {
            "m.train(data, steps: \($0), batch: 16)"
        },
    ] + ["sgd", "adam", "adamw"].map { optimizer in
        Trainer(name: "train(…, optimizer: \"\(optimizer)\")", setup: """
            m = MLP([2, 3, 2], seed: 1)
            def loss():
                return cross_entropy(m([[1, 2], [0, 1]]), [1, 0])
            """) { "train(m, loss, steps: \($0), lr: 0.1, optimizer: \"\(optimizer)\")" }
    }

    /// A session in which `m` has just been made.
    func start(_ trainer: Trainer) throws -> LessonSession {
        let s = try session(trainer.setup)
        let made = s.run(cell: 0)
        #expect(made.error == nil, "\(made.error ?? "")")
        return s
    }

    func weights(_ s: LessonSession) throws -> [[Float]] {
        let model = try #require(s.environment.resolve("m")?.hostObject(ModelValue.self)?.model)
        return model.parameters.map(\.value.scalars)
    }

    func losses(_ s: LessonSession) throws -> [Float] {
        try #require(s.environment.resolve("losses")?.tensorValue?.tensor.scalars)
    }

    @Test(arguments: trainers)
    func everyStepIsOneDeclaredTrainEventAndOneReport(_ trainer: Trainer) throws {
        let s = try start(trainer)
        var reports: [TrainingProgress] = []
        s.progress = { reports.append($0) }
        let result = s.evaluate("losses = trace " + trainer.call(4))
        #expect(result.error == nil, "\(result.error ?? "")")

        let events = result.events
        #expect(events.count == 4 && events.allSatisfy { $0.kind == .train }, "\(events.map(\.kind))")
        #expect(events.allSatisfy { $0.undeclaredNames.isEmpty }, "\(events.map(\.undeclaredNames))")
        let number = trainer.unit == .epoch ? TrainStep.epoch : TrainStep.step
        #expect(events.map { $0.integer(number) } == [1, 2, 3, 4])
        let losses = try losses(s)
        #expect(events.map { $0[TrainStep.loss]?.data } == losses.map { [$0] })

        #expect(reports.map(\.step) == [1, 2, 3, 4])
        #expect(reports.allSatisfy { $0.total == 4 && $0.unit == trainer.unit.rawValue })
        #expect(reports.map(\.loss) == losses.map { Optional($0) })
        #expect(reports.map(\.finished) == [false, false, false, true])
        // One clock for the whole run: seconds only grow.
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.seconds <= $1.seconds && $0.seconds >= 0 })
    }

    @Test(arguments: trainers)
    func ctrlCStopsAtTheStepTheHostSawAndKeepsWhatWasLearned(_ trainer: Trainer) throws {
        // Uninterrupted, noting the weights after step 2.
        let whole = try start(trainer)
        var afterTwo: [[Float]]?
        whole.progress = { report in if report.step == 2 { afterTwo = try? weights(whole) } }
        #expect(whole.evaluate("losses = " + trainer.call(5)).error == nil)
        let reference = try #require(afterTwo)
        #expect(try reference != weights(whole), "training moves the weights")

        // Ctrl-C once the host has seen step 2.
        let s = try start(trainer)
        var reports: [TrainingProgress] = []
        s.progress = { reports.append($0) }
        s.interruptRequested = { reports.count >= 2 }
        let result = s.evaluate("losses = " + trainer.call(5))
        #expect(result.error?.contains(HostTrainingObserver.stoppedMessage(at: 2, of: 5, unit: trainer.unit)) == true,
                "\(result.error ?? "no error")")
        #expect(result.error?.contains("the model keeps what it learned so far") == true)
        #expect(result.wasInterrupted)
        // Each step once, then the bar's finished line where training stopped.
        #expect(reports.map(\.step) == [1, 2, 2] && reports.map(\.finished) == [false, false, true])
        #expect(reports.allSatisfy { $0.total == 5 })
        s.interruptRequested = { false }
        #expect(try weights(s) == reference)
    }

    @Test(arguments: ["sgd", "adam", "adamw"])
    func ctrlCInsideTheLossFunctionKeepsTheStepsBeforeIt(_ optimizer: String) throws {
        let trainer = Self.trainers.first { $0.name.contains("\"\(optimizer)\"") }!
        let whole = try start(trainer)
        #expect(whole.evaluate("losses = " + trainer.call(2)).error == nil)

        // The host says nothing at step 2's report, then stops inside step 3's loss().
        let s = try start(trainer)
        var reports: [TrainingProgress] = []
        var asked = 0
        s.progress = { reports.append($0) }
        s.interruptRequested = {
            guard reports.count >= 2 else { return false }
            asked += 1
            return asked > 1
        }
        let result = s.evaluate("losses = " + trainer.call(5))
        #expect(result.error?.contains(HostTrainingObserver.stoppedMessage(at: 2, of: 5)) == true, "\(result.error ?? "no error")")
        #expect(reports.map(\.step) == [1, 2, 2] && reports.last?.finished == true)
        s.interruptRequested = { false }
        #expect(try weights(s) == weights(whole))
    }

    @Test func aFailingStepEndsTheBarAndKeepsItsOwnError() throws {
        // The loss is fine until the weights have moved, then not a single number.
        let s = try session("""
            m = MLP([2, 2], seed: 1)
            start = m.W1
            def loss():
                y = m([[1, 2]])
                if not (m.W1 ≈ start):
                    return y
                return sum(y)
            """)
        #expect(s.run(cell: 0).error == nil)
        var reports: [TrainingProgress] = []
        s.progress = { reports.append($0) }
        let result = s.evaluate("losses = train(m, loss, steps: 5, lr: 0.5)")
        #expect(result.error?.contains("must return a single number") == true, "\(result.error ?? "no error")")
        #expect(result.wasInterrupted == false)
        #expect(reports.map(\.step) == [1, 1] && reports.map(\.finished) == [false, true])
    }
}
