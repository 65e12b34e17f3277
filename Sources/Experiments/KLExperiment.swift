// E5 (→ F7): cross-entropy of softmax(Vᵀσ(a)) to p* = softmax(10·rand(10)), 10⁷ steps, lr 0.1
// (docs/spec.md §3 E5). Recording (scheme B, 806 indices): after the update of iteration i, the loss
// at the new point and a, with the gradient norms of step i.

import GradientFlow
import SIMDCore
import Records

public struct KLExperiment: SingleRunExperiment {
    public let name = "kl"
    public let title = "E5 cross-entropy to a target distribution (\"KL\"): σ(a) still polarizes"
    public let section = "Sec. 3 (appendix)"
    public let figures = ["kl"]

    public let nanosecondsPerIteration = 174.0

    public init() {}

    public func iterations(_ config: JSON) throws -> Int { try ToyConfig(name, config).iterations }

    public func run(_ config: JSON, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let c = try ToyConfig(name, config)
        let n = c.iterations
        let model = CrossEntropyTarget(dim: try c.read.int("dim", in: 1...4096), classes: try c.read.int("classes", in: 1...4096),
                                       learningRate: c.learningRate, seed: c.seed)
        let initialLoss = model.loss()
        let schedule = HistorySchedule.schemeB(iterations: n, samples: c.historySamples)
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
