import ArgumentParser
import Lessons
import Tensor

/// How much memory a lesson may make the engine hold (every command that runs one), and
/// for how long it may run without a person (`run` and `test`; in the REPL Ctrl-C stops
/// a cell instead).
struct MemoryOption: ParsableArguments {
    @Option(name: .customLong("max-memory"),
            help: ArgumentHelp("Memory a lesson may use, like 4GB or 512MB (default: a quarter of this machine's, \(MemoryBudget.formatBytes(MemoryBudget.defaultLimit))).",
                               valueName: "size"))
    var maxMemory: String?

    func validate() throws {
        if let maxMemory, MemoryBudget.parseBytes(maxMemory) == nil {
            throw ValidationError("--max-memory takes a size like 4GB, 512MB or 2GiB, got '\(maxMemory)'")
        }
    }

    /// Sets the engine's budget from the option.
    func apply() {
        if let maxMemory, let bytes = MemoryBudget.parseBytes(maxMemory) { MemoryBudget.limit = bytes }
    }
}

struct TimeOption: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds a lesson may run before the cell running stops with an error.",
                               valueName: "seconds"))
    var timeout: Double = LessonTester.defaultTimeout

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout takes a number of seconds above 0, got \(timeout)") }
    }
}
