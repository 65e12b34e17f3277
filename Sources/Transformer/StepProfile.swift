// Where a training step's time goes, by kind of work (`paper-repro bench-transformer --profile`).
// Off by default: then each timed operation costs one branch. The phases are timed on the calling
// thread around whole operations (their parallel regions included), so they add up to the step;
// what no phase covers is reported as "other". Timing never touches the arithmetic.

import Dispatch
import SIMDCore

public enum StepPhase: Int, CaseIterable, Sendable {
    /// Packed matrix products (the linear layers, forward and backward), with the GELU and the
    /// residual additions their epilogue applies.
    case gemm
    /// Attention weights, their backward, and the feature maps of the linear kinds.
    case attention
    /// LayerNorm, embeddings, the loss.
    case elementwise
    /// Σ over rows of dY for the bias gradients.
    case columnSums
    /// AdamW.
    case optimizer

    public var name: String {
        switch self {
        case .gemm: return "GEMM"
        case .attention: return "attention"
        case .elementwise: return "elementwise"
        case .columnSums: return "bias column sums"
        case .optimizer: return "optimizer"
        }
    }
}

public enum StepProfile {
    nonisolated(unsafe) static var enabled = false
    nonisolated(unsafe) static var nanoseconds = [UInt64](repeating: 0, count: StepPhase.allCases.count)

    @inline(__always)
    static func measure<T>(_ phase: StepPhase, _ body: () -> T) -> T {
        guard enabled else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { nanoseconds[phase.rawValue] &+= DispatchTime.now().uptimeNanoseconds - start }
        return body()
    }

    /// Milliseconds per phase of `body`, and the parallel regions it opened (regions that ran on
    /// more than one thread). Not reentrant; the bench is the only caller.
    public static func record(_ body: () -> Void) -> (milliseconds: [StepPhase: Double], regions: Int) {
        nanoseconds = nanoseconds.map { _ in 0 }
        let regions = Parallel.regionCount.load(ordering: .relaxed)
        enabled = true
        body()
        enabled = false
        let phases = Dictionary(uniqueKeysWithValues: StepPhase.allCases.map { ($0, Double(nanoseconds[$0.rawValue]) / 1e6) })
        return (phases, Parallel.regionCount.load(ordering: .relaxed) - regions)
    }
}
