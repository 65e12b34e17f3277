// swift-tools-version:6.0
// softmax-repro: a deterministic reproduction of arXiv 2603.06248 (see README.md).
import PackageDescription

// AVX2 + FMA on x86_64: without it SIMD `addingProduct` becomes a libm call per lane.
// Never -ffast-math: the results must not depend on the optimizer's reassociation.
#if arch(x86_64)
let cpuFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let cpuFlags: [SwiftSetting] = []
#endif

let package = Package(
    name: "softmax-repro",
    products: [
        .executable(name: "paper-repro", targets: ["paper-repro"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CCairoPango", pkgConfig: "pangocairo",
                       providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        .target(name: "Plot", dependencies: ["CCairoPango"], swiftSettings: cpuFlags),
        .target(name: "SIMDCore", swiftSettings: cpuFlags),
        .target(name: "Randomness", swiftSettings: cpuFlags),
        .target(name: "GradientFlow", dependencies: ["SIMDCore", "Randomness"], swiftSettings: cpuFlags),
        .target(name: "Transformer", dependencies: ["SIMDCore", "Randomness"], swiftSettings: cpuFlags),
        .target(name: "Experiments", dependencies: ["GradientFlow", "Transformer", "SIMDCore", "Randomness", "Plot"], swiftSettings: cpuFlags),
        .target(name: "Pipeline", dependencies: ["Experiments", .product(name: "Yams", package: "Yams")], swiftSettings: cpuFlags),
        .executableTarget(
            name: "paper-repro",
            dependencies: ["Pipeline", "Transformer", "Plot", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: cpuFlags),
        .target(name: "TestSupport", dependencies: ["Experiments"], path: "Tests/TestSupport"),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness", "Experiments", "TestSupport"]),
        .testTarget(name: "SIMDCoreTests", dependencies: ["SIMDCore", "Randomness", "Experiments", "TestSupport"]),
        .testTarget(name: "GradientFlowTests", dependencies: ["GradientFlow", "Experiments", "SIMDCore", "TestSupport"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot"]),
        .testTarget(name: "TransformerTests", dependencies: ["Transformer", "SIMDCore", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Pipeline", "Transformer", "Plot", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Experiments", "paper-repro"]),
    ]
)
