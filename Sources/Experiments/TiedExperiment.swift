// E3 (→ F4): tied value-softmax σ(Ua), D ∈ {10, 20, 50, 100}, 10⁴ steps, lr 0.05 (PAPER.md §3 E3).
//
// Per step: α and ℓ before the update; the plotted norm is ‖U[:, m]‖₂ of the updated U for
// m = argmax of that α (computed on the fly: the authors keep every U, 800 MB at D = 100).
// History subsampled at the scheme-A indices, as in E2.

import GradientFlow
import SIMDCore

public struct TiedExperiment: SingleRunExperiment {
    public let name = "tied"
    public let title = "E3 tied value-softmax σ(Ua): one column of U grows (massive activations)"
    public let section = "Sec. 3 (appendix)"
    public let figures = ["massive_activations_2"]
    static let dims = [10, 20, 50, 100]

    public let nanosecondsPerIteration = 4_200.0

    public init() {}

    func steps(_ scale: Scale) -> Int { scale == .smoke ? 500 : 10_000 }
    public func iterations(_ scale: Scale) -> Int { steps(scale) * Self.dims.count }

    public func configuration(_ scale: Scale) -> JSON {
        .object([("dims", .array(Self.dims.map { .int($0) })), ("learning_rate", .number(0.05)),
                 ("iterations", .int(steps(scale))), ("seed", .int(42)),
                 ("history", .string("scheme A subsample of every-step records, 2000 samples"))])
    }

    public func run(_ scale: Scale, progress: @escaping ProgressTick) -> ExperimentOutput {
        let n = steps(scale)
        let schedule = HistorySchedule.schemeA(iterations: n, samples: 2000)
        var summary: [(key: String, value: JSON)] = []
        var history: [(key: String, value: JSON)] = [("iteration", .array(schedule.map { .int($0) }))]
        for d in Self.dims {
            let model = TiedValueSoftmax(dim: d, learningRate: 0.05)
            var losses: [JSON] = [], alphas: [JSON] = [], norms: [JSON] = []
            var lastNorm = 0.0
            runSteps(n, recordingAt: schedule, progress: progress, step: { _ in
                model.step()
                lastNorm = model.columnNorm(argmax(model.alpha.array))
            }) { _ in
                losses.append(.number(model.lastLoss))
                alphas.append(.doubles(model.alpha.array))
                norms.append(.number(lastNorm))
            }
            let alpha = model.alpha.array
            summary.append(("D\(d)", .object([
                ("initial_loss", losses[0]),   // the schedule starts at step 0
                ("final_loss", .number(model.lastLoss)),
                ("initial_column_norm", norms[0]),
                ("final_column_norm", .number(lastNorm)),
                ("final_alpha_max", .number(alpha.max()!)),
                ("final_alpha_argmax", .int(argmax(alpha))),
            ])))
            history.append(("D\(d)", .object([("loss", .array(losses)), ("alpha", .array(alphas)),
                                             ("column_norm", .array(norms))])))
        }
        return ExperimentOutput(summary: .object(summary), history: .object(history), iterations: iterations(scale))
    }
}
