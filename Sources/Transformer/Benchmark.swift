// Training-step benchmark of the two base configurations of the paper's transformer experiments,
// and the machine's FMA peak measured with a register-only loop, for the "fraction of peak".

import Dispatch
import Foundation
import SIMDCore

public struct BenchmarkCase: Sendable {
    public let name: String
    public let config: ModelConfig
    public let batch: Int, length: Int
    public let positionWeights: [Float]

    /// Induction base (docs/spec.md §5.2): shift on (vocabulary 100), concat positions, causal, softmax;
    /// loss 0.2·CE(first 11 positions) + CE(position 11).
    public static let induction = BenchmarkCase(
        name: "induction", config: ModelConfig(vocabulary: 100, outputs: 100), batch: 256, length: 12,
        positionWeights: (0..<12).map { $0 < 11 ? 0.2 / Float(256 * 11) : 1 / Float(256) })

    /// Classification base (§6.2): vocabulary 41, 4 labels, no positions, bidirectional; CE at the CLS (last) position.
    public static let classification = BenchmarkCase(
        name: "classification",
        config: ModelConfig(vocabulary: 41, outputs: 4, causal: false, positional: .no), batch: 256, length: 11,
        positionWeights: (0..<11).map { $0 == 10 ? 1 / Float(256) : 0 })

    /// The Fig. 7 substitute's language models (issue 9): characters (84), 4 layers × 8 heads,
    /// width 128, learned positions added, context 128, batch 32; CE at every position.
    public static let languageModel = BenchmarkCase(
        name: "language-model",
        config: ModelConfig(vocabulary: 84, outputs: 84, layers: 4, heads: 8, positional: .add, maxSequence: 128),
        batch: 32, length: 128, positionWeights: Array(repeating: 1 / Float(32 * 128), count: 128))

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

    public static func flopsPerStep(_ c: BenchmarkCase) -> Double {
        TransformerModel(c.config, seed: 0).trainingFLOPs(batch: c.batch, length: c.length)
    }

    /// GFLOP/s of independent SIMD8 FMA chains (12 per thread, no memory traffic) on `threads` threads.
    public static func fmaPeak(threads: Int) -> Double {
        let iterations = 20_000_000
        let start = DispatchTime.now().uptimeNanoseconds
        let sink = UnsafeMutablePointer<Float>.allocate(capacity: threads)
        Parallel.forEach(threads, threads: threads) { t in
            var acc = (0..<12).map { SIMD8<Float>(repeating: Float($0)) }
            let x = SIMD8<Float>(repeating: 0.999999), y = SIMD8<Float>(repeating: 1e-7)
            var (a0, a1, a2, a3, a4, a5) = (acc[0], acc[1], acc[2], acc[3], acc[4], acc[5])
            var (a6, a7, a8, a9, a10, a11) = (acc[6], acc[7], acc[8], acc[9], acc[10], acc[11])
            for _ in 0..<iterations {
                a0 = y.addingProduct(a0, x); a1 = y.addingProduct(a1, x)
                a2 = y.addingProduct(a2, x); a3 = y.addingProduct(a3, x); a4 = y.addingProduct(a4, x)
                a5 = y.addingProduct(a5, x); a6 = y.addingProduct(a6, x); a7 = y.addingProduct(a7, x)
                a8 = y.addingProduct(a8, x); a9 = y.addingProduct(a9, x); a10 = y.addingProduct(a10, x)
                a11 = y.addingProduct(a11, x)
            }
            acc = [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]
            sink[t] = acc.reduce(SIMD8<Float>(), +).sum()
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        sink.deallocate()
        return Double(threads) * Double(iterations) * 12 * 16 / seconds / 1e9
    }

    /// Peak resident memory of this process so far (VmHWM), in MB; nil where /proc is missing.
    public static func peakResidentMegabytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kb / 1024
    }
}
