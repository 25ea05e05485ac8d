import ArgumentParser

/// The `huddle` command: lessons, their tests and the engine's benchmark.
@main
struct Huddle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huddle",
        abstract: "Step through a neural network's message passing, one step at a time.",
        discussion: """
            Huddle is a terminal companion to Lecture 18, "a neural network is a team of \
            vectors passing messages".
            """,
        version: "0.1.0",
        subcommands: [Run.self, Test.self, Bench.self]
    )
}
