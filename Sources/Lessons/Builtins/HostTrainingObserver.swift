import Language
import Models
import Tensor

/// Training as the student sees it, the same for every trainer (GPT, BERT, word2vec, the
/// score network, `train(...)`): progress through the language's `Host` after each step,
/// and Ctrl-C stopping training between steps with one message, the model keeping what it
/// learned.
///
/// Wrap the training call in `train { … }` and hand the observer to the trainer, as a
/// `TrainingObserver` or through `callback` for trainers that take a progress closure.
final class HostTrainingObserver: TrainingObserver {
    private let host: any Host
    let total: Int
    let unit: TrainingUnit
    /// The last step reported: where training stands if it stops now.
    private(set) var last: TrainingReport?
    /// Why the host asked to stop (Ctrl-C, or the time limit of `huddle test`), once it did.
    private var stop: Error?

    init(_ args: BoundArguments, total: Int, unit: TrainingUnit = .step) {
        host = args.context.host
        self.total = total
        self.unit = unit
    }

    /// The one message for training stopped by Ctrl-C: how far it got, and that nothing
    /// learned is lost.
    static func stoppedMessage(at step: Int, of total: Int, unit: TrainingUnit = .step) -> String {
        "Ctrl-C stopped training at \(unit.rawValue) \(step) of \(total); the model keeps what it learned so far"
    }

    /// Reports the step, then asks the host whether to stop: whatever step the host saw
    /// last is where training stops, for every trainer (the language's `train` also
    /// stops inside a step, when Ctrl-C reaches the student's loss function). After the
    /// last step there is nothing left to stop.
    func didStep(_ report: TrainingReport) throws {
        last = report
        host.reportProgress(progress(report.step, loss: report.loss, finished: report.isLast))
        guard !report.isLast else { return }
        do {
            try host.checkInterrupt()
        } catch {
            stop = error
            throw error
        }
    }

    /// This observer as the progress callback of a trainer with its own step type;
    /// `report` turns that into the loop's report.
    func callback<Step>(_ report: @escaping (Step) -> TrainingReport) -> (Step) throws -> Bool {
        { step in
            try self.didStep(report(step))
            return true
        }
    }

    /// Runs a training call that steps through this observer and returns its losses as a
    /// tensor. The progress bar starts here and, when training stops early, ends with a
    /// finished line for the last step completed. Ctrl-C — noticed between steps, or
    /// inside one (the student's loss function) — becomes the one message, still an
    /// error that stops the cell.
    func train(_ run: () throws -> [Float]) throws -> Value {
        host.reportProgress(ProgressReport(step: 0, total: total, unit: unit.rawValue))
        do {
            return Kit.tensor(Tensor(try run()))
        } catch {
            // Ctrl-C inside a step arrives as that step's error; asking the host again
            // tells it from a real failure.
            if stop == nil {
                do { try host.checkInterrupt() } catch let asked { stop = asked }
            }
            let step = last?.step ?? 0
            if (stop != nil || last != nil) && last?.isLast != true {
                host.reportProgress(progress(step, loss: last?.loss, finished: true))
            }
            guard let stop else { throw error }
            // The time limit is not Ctrl-C: say which stopped it ("Ctrl-C stopped training"
            // was printed for both).
            guard stop is LessonHost.Interrupted else {
                throw RuntimeError("\(stop); training had reached \(unit.rawValue) \(step) of \(total)")
            }
            throw RuntimeError(Self.stoppedMessage(at: step, of: total, unit: unit))
        }
    }

    private func progress(_ step: Int, loss: Float?, finished: Bool) -> ProgressReport {
        ProgressReport(step: step, total: total, value: loss.map { Double($0) }, unit: unit.rawValue, finished: finished)
    }
}
