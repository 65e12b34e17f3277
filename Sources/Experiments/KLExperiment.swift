// E5 (→ F7): cross-entropy of softmax(Vᵀσ(a)) to p* = softmax(10·rand(10)), 10⁷ steps, lr 0.1
// (PAPER.md §3 E5). Recording (scheme B, 806 indices): after the update of iteration i, the loss
// at the new point and a, with the gradient norms of step i.

import GradientFlow
import SIMDCore

public struct KLExperiment: SingleRunExperiment {
    public let name = "kl"
    public let title = "E5 cross-entropy to a target distribution (\"KL\"): σ(a) still polarizes"
    public let section = "Sec. 3 (appendix)"
    public let figures = ["kl"]

    public let nanosecondsPerIteration = 340.0

    public init() {}

    public func iterations(_ scale: Scale) -> Int { scale == .smoke ? 10_000 : 10_000_000 }

    public func configuration(_ scale: Scale) -> JSON {
        .object([("dim", .int(10)), ("classes", .int(10)), ("learning_rate", .number(0.1)),
                 ("iterations", .int(iterations(scale))), ("seed", .int(123)),
                 ("history", .string("scheme B, 1000 samples"))])
    }

    public func run(_ scale: Scale, progress: @escaping ProgressTick) -> ExperimentOutput {
        let n = iterations(scale)
        let model = CrossEntropyTarget(dim: 10, classes: 10, learningRate: 0.1)
        let initialLoss = model.loss()
        let schedule = HistorySchedule.schemeB(iterations: n, samples: 1000)
        var iteration: [JSON] = [], losses: [JSON] = [], gradV: [JSON] = [], gradA: [JSON] = [], values: [JSON] = []
        runSteps(n, recordingAt: schedule, progress: progress, step: { model.step(measure: $0) }) { i in
            iteration.append(.int(i))
            losses.append(.number(model.loss()))
            gradV.append(.number(model.gradVNorm))
            gradA.append(.number(model.gradANorm))
            values.append(.doubles(model.a.array))
        }
        let summary = JSON.object([
            ("initial_loss", .number(initialLoss)),
            ("final_loss", .number(model.loss())),
            ("entropy_target", .number(model.targetEntropy())),
            ("final_a", .doubles(model.a.array)),
            ("final_sigma_max", .number(model.sigma.max()!)),
        ])
        let history = JSON.object([
            ("iteration", .array(iteration)), ("loss", .array(losses)), ("grad_V_norm", .array(gradV)),
            ("grad_a_norm", .array(gradA)), ("a", .array(values)),
        ])
        return ExperimentOutput(summary: summary, history: history, iterations: n)
    }
}
