// E3 (→ F4): tied value-softmax σ(Ua), D ∈ {10, 20, 50, 100}, 10⁴ steps, lr 0.05 (docs/spec.md §3 E3).
//
// Per step: α and ℓ before the update; the plotted norm is ‖U[:, m]‖₂ of the updated U for
// m = argmax of that α (computed on the fly: the authors keep every U, 800 MB at D = 100).
// History subsampled at the scheme-A indices, as in E2.

import GradientFlow
import SIMDCore
import Records

public struct TiedExperiment: SingleRunExperiment {
    public let name = "tied"
    public let title = "E3 tied value-softmax σ(Ua): one column of U grows (massive activations)"
    public let section = "Sec. 3 (appendix)"
    public let figures = ["massive_activations_2"]
    public let nanosecondsPerIteration = 2_080.0

    public init() {}

    public func iterations(_ config: JSON) throws -> Int {
        let c = try ToyConfig(name, config)
        return c.iterations * (try c.read.ints("dims", in: 1...4096)).count
    }

    public func run(_ config: JSON, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let c = try ToyConfig(name, config)
        let n = c.iterations, dims = try c.read.ints("dims", in: 1...4096)
        let schedule = HistorySchedule.schemeA(iterations: n, samples: c.historySamples)
        var summary: [(key: String, value: JSON)] = []
        var history: [(key: String, value: JSON)] = [("iteration", .array(schedule.map { .int($0) }))]
        for d in dims {
            let model = TiedValueSoftmax(dim: d, learningRate: c.learningRate, seed: c.seed)
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
        return ExperimentOutput(summary: .object(summary), history: .object(history), iterations: n * dims.count)
    }
}
