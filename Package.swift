// swift-tools-version:6.0
// softmax-repro: a deterministic reproduction of arXiv 2603.06248 (see README.md).
import PackageDescription

// AVX2 + FMA on x86_64: without it SIMD `addingProduct` becomes a libm call per lane.
// Never -ffast-math: the results must not depend on the optimizer's reassociation.
// WideKernels alone is built for AVX-512 (skylake-avx512: F, CD, BW, DQ, VL) and runs only where the processor has it.
#if arch(x86_64)
let cpuFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
let wideFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
#else
let cpuFlags: [SwiftSetting] = []
let wideFlags: [SwiftSetting] = []
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
        .target(name: "Records", swiftSettings: cpuFlags),
        .target(name: "Plot", dependencies: ["CCairoPango"], swiftSettings: cpuFlags),
        .target(name: "WideKernels", swiftSettings: wideFlags),
        .target(name: "SIMDCore", dependencies: ["WideKernels"], swiftSettings: cpuFlags),
        .target(name: "Randomness", swiftSettings: cpuFlags),
        .target(name: "GradientFlow", dependencies: ["SIMDCore", "Randomness"], swiftSettings: cpuFlags),
        .target(name: "CPrefetch"),
        .target(name: "Transformer", dependencies: ["SIMDCore", "WideKernels", "Randomness", "CPrefetch"], swiftSettings: cpuFlags),
        .target(name: "Pretrained", dependencies: ["Records", "Transformer", "SIMDCore"], swiftSettings: cpuFlags),
        .target(name: "Experiments", dependencies: ["Records", "GradientFlow", "Transformer", "Pretrained", "SIMDCore", "Randomness"], swiftSettings: cpuFlags),
        .target(name: "Figures", dependencies: ["Experiments", "Records", "Plot", "Transformer", "GradientFlow", "SIMDCore", "Randomness"], swiftSettings: cpuFlags),
        .target(name: "Pipeline", dependencies: ["Experiments", "Figures", "Records", "Plot", "SIMDCore", "WideKernels", .product(name: "Yams", package: "Yams")], swiftSettings: cpuFlags),
        .executableTarget(
            name: "paper-repro",
            dependencies: ["Pipeline", "Figures", "Experiments", "Records", "Transformer", "SIMDCore", "Plot", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: cpuFlags),
        .target(name: "TestSupport", dependencies: ["Records"], path: "Tests/TestSupport"),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness", "Records", "TestSupport"]),
        .testTarget(name: "SIMDCoreTests", dependencies: ["SIMDCore", "Randomness", "Records", "TestSupport"]),
        .testTarget(name: "GradientFlowTests", dependencies: ["GradientFlow", "SIMDCore", "Records", "TestSupport"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "CCairoPango"]),
        .testTarget(name: "TransformerTests", dependencies: ["Transformer", "SIMDCore", "WideKernels", "Records", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Pretrained", "Figures", "Records", "Pipeline", "Transformer", "TestSupport"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "Experiments", "Records", "Plot", "Transformer", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Experiments", "Figures", "Records", "paper-repro"]),
    ]
)
