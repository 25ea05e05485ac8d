import Foundation
import Subprocess
import SystemPackage

/// The `huddle` executable that `swift build` made beside these tests, run as a shell
/// runs it.
///
/// Children are started with swift-subprocess, not Foundation's `Process`: on Linux
/// `Process` notices a child's exit through a socket it leaks into the child, so when
/// that child leaves a process behind (tmux's server) `waitUntilExit()` never returns.
enum HuddleBinary {
    /// The huddle built beside the running test executable, in whichever build folder
    /// that is (scripts/test builds in its own, so opening a lesson and running the tests
    /// do not rebuild each other's work).
    static var path: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("huddle").path
    }

    struct Outcome {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs huddle to the end with `input` on its standard input, collecting both outputs.
    static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) async throws -> Outcome {
        let result = try await Subprocess.run(
            .path(FilePath(path)),
            arguments: Arguments(arguments),
            environment: .inherit.updating(environment.reduce(into: [:]) { $0[Environment.Key(stringLiteral: $1.key)] = $1.value }),
            input: .string(input),
            output: .string(limit: 1 << 24),
            error: .string(limit: 1 << 24)
        )
        return Outcome(status: result.terminationStatus.code, output: result.standardOutput,
                       errors: result.standardError)
    }
}

extension TerminationStatus {
    /// The shell's number for it: the exit code, or 128 + the signal that ended it.
    var code: Int32 {
        switch self {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }
}
