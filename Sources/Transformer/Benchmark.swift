// Training-step benchmark of a model configuration (the cases themselves are the experiments'
// base configurations, in Experiments/BenchmarkCases.swift), and the machine's FMA peak measured
// with a register-only loop, for the "fraction of peak".

import Dispatch
import Foundation
import SIMDCore
import WideKernels

public struct BenchmarkCase: Sendable {
    public let name: String
    public let config: ModelConfig
    public let batch: Int, length: Int
    public let positionWeights: [Float]

    public init(name: String, config: ModelConfig, batch: Int, length: Int, positionWeights: [Float]) {
        self.name = name; self.config = config; self.batch = batch; self.length = length; self.positionWeights = positionWeights
    }

    /// Deterministic tokens and targets inside the vocabulary.
    public func data(step: Int) -> (tokens: [Int32], targets: [Int32]) {
        let n = batch * length
        let tokens = (0..<n).map { Int32(($0 &* 7919 &+ step &* 104729) % config.vocabulary) }
        let targets = (0..<n).map { Int32(($0 &* 6007 &+ step &* 15485863) % config.outputs) }
        return (tokens, targets)
    }
}

public enum TrainingBenchmark {
    /// Median milliseconds per training step (zero_grad, forward, loss, backward, AdamW) over `steps`
    /// steps after two warm-up steps.
    public static func millisecondsPerStep(_ c: BenchmarkCase, threads: Int, steps: Int) -> Double {
        let model = TransformerModel(c.config, seed: 0, threads: threads)
        var times: [Double] = []
        for step in 0..<(steps + 2) {
            let (tokens, targets) = c.data(step: step)
            let start = DispatchTime.now().uptimeNanoseconds
            model.trainStep(tokens: tokens, targets: targets, batch: c.batch, length: c.length, positionWeights: c.positionWeights)
            if step >= 2 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        }
        return times.sorted()[times.count / 2]
    }

    /// Where the time of `steps` steps (after two warm-up steps) goes: milliseconds per step in
    /// each phase and in total, and the parallel regions each step opens.
    public static func profile(_ c: BenchmarkCase, threads: Int, steps: Int)
        -> (total: Double, phases: [StepPhase: Double], regions: Double) {
        let model = TransformerModel(c.config, seed: 0, threads: threads)
        func step(_ i: Int) {
            let (tokens, targets) = c.data(step: i)
            model.trainStep(tokens: tokens, targets: targets, batch: c.batch, length: c.length, positionWeights: c.positionWeights)
        }
        step(0); step(1)
        var total = 0.0
        let (phases, regions) = StepProfile.record {
            let start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<steps { step(i + 2) }
            total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
        let n = Double(steps)
        return (total / n, phases.mapValues { $0 / n }, Double(regions) / n)
    }

    /// Microseconds a parallel region costs on `threads` threads beyond its work, as a step sees
    /// it: after some work on the calling thread alone (so the other threads have been waiting),
    /// a region of `threads` chunks of about 10 µs each, less the time of one chunk. (Back-to-back
    /// empty regions would hide what matters: how late a waiting thread joins.)
    public static func regionCost(threads: Int) -> Double {
        let rounds = 2_000, chunkWork = 4_000, gapWork = 12_000
        let sink = UnsafeMutablePointer<Float>.allocate(capacity: threads)
        defer { sink.deallocate() }
        func work(_ n: Int, _ t: Int) {   // an FMA chain: ~4 cycles per iteration
            var x = SIMD8<Float>(repeating: Float(t))
            for _ in 0..<n { x = x.addingProduct(x, SIMD8(repeating: 0.999)) }
            sink[t] = x.sum()
        }
        var inRegions: UInt64 = 0
        for _ in 0..<rounds {
            work(gapWork, 0)
            let start = DispatchTime.now().uptimeNanoseconds
            Parallel.forEach(threads, threads: threads) { work(chunkWork, $0) }
            inRegions += DispatchTime.now().uptimeNanoseconds - start
        }
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds { work(chunkWork, 0) }
        let alone = DispatchTime.now().uptimeNanoseconds - start
        return max(0, Double(inRegions) - Double(alone)) / 1e3 / Double(rounds)
    }

    public static func flopsPerStep(_ c: BenchmarkCase) -> Double {
        c.config.trainingFLOPs(batch: c.batch, length: c.length, positionWeights: c.positionWeights)
    }

    /// The FMA peak as the best of `trials` short measurements, with every trial: one measurement
    /// wanders with the machine's load (two single runs a minute apart read 149 and 261 GFLOP/s).
    public static func fmaPeak(threads: Int, trials: Int, vectors: GEMM.Vectors) -> (best: Double, trials: [Double]) {
        let all = (0..<trials).map { _ in fmaPeak(threads: threads, iterations: 5_000_000, vectors: vectors) }
        return (all.max()!, all)
    }

    /// GFLOP/s of independent FMA chains (12 per thread, no memory traffic) on `threads` threads,
    /// on 256-bit (SIMD8) or 512-bit (SIMD16, WideKernels) vectors: the peak of the vectors GEMM uses.
    public static func fmaPeak(threads: Int, iterations: Int = 20_000_000, vectors: GEMM.Vectors) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let sink = UnsafeMutablePointer<Float>.allocate(capacity: threads)
        Parallel.forEach(threads, threads: threads) { t in
            sink[t] = vectors == .avx512 ? WideKernel.fmaChains(iterations: iterations, seed: Float(t))
                                         : fmaChains(iterations: iterations, seed: Float(t))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        sink.deallocate()
        let lanes = vectors == .avx512 ? 16 : 8
        return Double(threads) * Double(iterations) * 12 * 2 * Double(lanes) / seconds / 1e9
    }

    /// 12 independent SIMD8 FMA chains, `iterations` long; returns a value to keep.
    static func fmaChains(iterations: Int, seed: Float) -> Float {
        let x = SIMD8<Float>(repeating: 0.999999), y = SIMD8<Float>(repeating: 1e-7)
        var (a0, a1, a2, a3) = (SIMD8<Float>(repeating: seed), SIMD8<Float>(repeating: seed + 1), SIMD8<Float>(repeating: seed + 2), SIMD8<Float>(repeating: seed + 3))
        var (a4, a5, a6, a7) = (a0 + 4, a1 + 4, a2 + 4, a3 + 4)
        var (a8, a9, a10, a11) = (a0 + 8, a1 + 8, a2 + 8, a3 + 8)
        for _ in 0..<iterations {
            a0 = y.addingProduct(a0, x); a1 = y.addingProduct(a1, x); a2 = y.addingProduct(a2, x)
            a3 = y.addingProduct(a3, x); a4 = y.addingProduct(a4, x); a5 = y.addingProduct(a5, x)
            a6 = y.addingProduct(a6, x); a7 = y.addingProduct(a7, x); a8 = y.addingProduct(a8, x)
            a9 = y.addingProduct(a9, x); a10 = y.addingProduct(a10, x); a11 = y.addingProduct(a11, x)
        }
        return ((a0 + a1 + a2 + a3) + (a4 + a5 + a6 + a7) + (a8 + a9 + a10 + a11)).sum()
    }

    /// Peak resident memory of this process so far (VmHWM), in MB; nil where /proc is missing.
    public static func peakResidentMegabytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kb / 1024
    }
}
