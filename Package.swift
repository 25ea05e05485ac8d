// swift-tools-version: 6.0
// Huddle: a terminal companion to Lecture 18, "a neural network is a team of vectors
// passing messages". Modules follow the pipeline in README.md; imports only go downward.
import PackageDescription

let package = Package(
    name: "Huddle",
    products: [
        .executable(name: "huddle", targets: ["huddle"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "Language", targets: ["Language"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // Hot numeric kernels in C: explicit AVX2/AVX-512 code paths chosen at run time,
        // each summing in the same order so every machine gets the same bits.
        .target(
            name: "CKernels",
            cSettings: [.unsafeFlags(["-O3"])]
        ),
        // n-d Float32 arrays, broadcasting ops, reverse-mode autograd, seeded RNG, optimisers.
        .target(
            name: "Tensor",
            dependencies: [
                "CKernels",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        // Huddle's small language: scanner, parser, interpreter, diagnostics. It knows
        // nothing about machine learning; tensors and models come in through protocols.
        .target(name: "Language"),
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
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
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
