// swift-tools-version: 6.0
// Huddle: a terminal companion to Lecture 18, "a neural network is a team of vectors
// passing messages". Modules follow the pipeline in README.md; imports only go downward.
import PackageDescription

let package = Package(
    name: "Huddle",
    products: [
        .executable(name: "huddle", targets: ["huddle"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "Trace", targets: ["Trace"]),
        .library(name: "Models", targets: ["Models"]),
        .library(name: "Language", targets: ["Language"]),
        .library(name: "Render", targets: ["Render"]),
        .library(name: "Lessons", targets: ["Lessons"]),
        .library(name: "Debugger", targets: ["Debugger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        // Tests only: runs the huddle binary and tmux and waits for them by pidfd, where
        // Foundation's Process can wait forever once tmux's server inherits its socket.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // Reading and writing NumPy's .npz (a zip of .npy files).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // Reading an instructor's own data as CSV.
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    ],
    targets: [
        // Hot numeric kernels in C: explicit AVX2/AVX-512 code paths chosen at run time,
        // each summing in the same order so every machine gets the same bits.
        .target(
            name: "CKernels",
            cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"])]
        ),
        // n-d Float32 arrays, broadcasting ops, reverse-mode autograd, seeded RNG, optimisers.
        .target(
            name: "Tensor",
            dependencies: [
                "CKernels",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        // The message-passing events a student steps through, and their JSON Lines form.
        .target(name: "Trace"),
        // Every model of the lecture, each emitting the events of its message passing.
        .target(
            name: "Models",
            dependencies: ["Tensor", "Trace", .product(name: "RealModule", package: "swift-numerics")]
        ),
        // Checkpoint files as PyTorch and NumPy users write them: safetensors, .npy, .npz.
        // Bytes in, named float arrays out (and back), every offset and size checked.
        .target(name: "Checkpoint", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Huddle's small language: scanner, parser, interpreter, diagnostics. It knows
        // nothing about machine learning; tensors and models come in through protocols.
        .target(name: "Language"),
        // Terminal pictures of tensors and events: heatmaps, strips, plots; colour or shades.
        .target(name: "Render", dependencies: ["Trace"]),
        // Lesson files, the bridge from the language to tensors and models, the runners.
        .target(name: "Lessons", dependencies: ["Language", "Tensor", "Trace", "Models", "Render", "Checkpoint",
                                                .product(name: "SwiftCSV", package: "SwiftCSV")]),
        // The step-through state machine over a lesson's timeline; prints nothing.
        .target(name: "Debugger", dependencies: ["Trace"]),
        // The step-through REPL: commands, pauses, progress; line input behind a protocol.
        .target(name: "REPL", dependencies: ["Lessons", "Debugger", "Render", "Trace"]),
        // libedit, only for the executable: nothing in the core needs a terminal.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .executableTarget(
            name: "huddle",
            dependencies: [
                "Tensor",
                "Trace",
                "Models",
                "Lessons",
                "Render",
                "REPL",
                "CEditLine",
                "CKernels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The checkpoint readers under libFuzzer (scripts/fuzz); built normally, a replayer
        // of inputs, so the seed corpus and every crash found run in the tests.
        .executableTarget(
            name: "FuzzCheckpoint",
            dependencies: ["Checkpoint"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        // The lesson loader, scanner, parser and interpreter under libFuzzer, the same way:
        // each input a lesson file's text, run as `huddle test` runs it, on small budgets.
        .executableTarget(
            name: "FuzzLesson",
            dependencies: ["Lessons", "Language", "Render", "Tensor"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .testTarget(name: "TraceTests", dependencies: ["Trace"]),
        .testTarget(name: "CheckpointTests", dependencies: ["Checkpoint"], exclude: ["Fixtures"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Trace"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Render", "Trace"], exclude: ["Fixtures"]),
        .testTarget(name: "DebuggerTests", dependencies: ["Debugger", "Trace"]),
        .testTarget(
            name: "REPLTests",
            dependencies: [
                "REPL", "Lessons", "Render", "Debugger", "Trace",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .testTarget(
            name: "ModelsTests",
            dependencies: ["Models", "Tensor", "Trace", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .testTarget(
            name: "TensorTests",
            dependencies: ["Tensor", "CKernels", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .testTarget(
            name: "LanguageTests",
            dependencies: ["Language"],
            resources: [.copy("Scripts")]
        ),
    ]
)
