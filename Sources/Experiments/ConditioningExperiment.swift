// E4 (→ F5, F6): regression ‖β − XWσ(a)‖² with cond(X) = κ ∈ {1..5}, 3·10⁵ steps, lr 1e-3
// (docs/spec.md §3 E4). Recording (scheme B, 1936 indices): after the update of iteration i, the loss
// at the new point, a, the largest singular value of W, and the gradient norms of step i.

import GradientFlow
import SIMDCore
import Records

public struct ConditioningExperiment: SingleRunExperiment {
    public let name = "conditioning"
    public let title = "E4 square loss with ill-conditioned X, κ = 1..5: slower polarization"
    public let section = "Sec. 3"
    public let figures = ["condition_numbers", "condition_numbers_small"]
    public let nanosecondsPerIteration = 685.0

    public init() {}

    public func iterations(_ config: JSON) throws -> Int {
        let c = try ToyConfig(name, config)
        return c.iterations * (try c.read.ints("kappas", in: 1...1_000_000)).count
    }

    public func run(_ config: JSON, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let c = try ToyConfig(name, config)
        let n = c.iterations, dim = try c.read.int("dim", in: 1...4096), kappas = try c.read.ints("kappas", in: 1...1_000_000)
        let schedule = HistorySchedule.schemeB(iterations: n, samples: c.historySamples)
        var summary: [(key: String, value: JSON)] = []
        var history: [(key: String, value: JSON)] = [("iteration", .array(schedule.map { .int($0) }))]
        for kappa in kappas {
            let model = ConditionedRegression(dim: dim, conditionNumber: Double(kappa), learningRate: c.learningRate, seed: c.seed)
            let initialLoss = model.loss()
            var losses: [JSON] = [], gradW: [JSON] = [], gradA: [JSON] = [], values: [JSON] = [], sigmaMax: [JSON] = []
            runSteps(n, recordingAt: schedule, progress: progress, step: { model.step(measure: $0) }) { _ in
                losses.append(.number(model.loss()))
                gradW.append(.number(model.gradWNorm))
                gradA.append(.number(model.gradANorm))
                values.append(.doubles(model.a.array))
                sigmaMax.append(.number(model.singularValuesOfW()[0]))
            }
            summary.append(("kappa\(kappa)", .object([
                ("initial_loss", .number(initialLoss)),
                ("final_loss", .number(model.loss())),
                ("final_sigma_max", .number(model.singularValuesOfW()[0])),
                ("final_a", .doubles(model.a.array)),
            ])))
            history.append(("kappa\(kappa)", .object([
                ("loss", .array(losses)), ("grad_W_norm", .array(gradW)), ("grad_a_norm", .array(gradA)),
                ("a", .array(values)), ("w_sigma_max", .array(sigmaMax)),
            ])))
        }
        return ExperimentOutput(summary: .object(summary), history: .object(history), iterations: n * kappas.count)
    }
}
