// E2 (→ F2, F3): six normalizations of the value weights under square or logistic loss
// (docs/spec.md §3 E2). Square: 5000 steps, lr 0.1; logistic: 10⁵ steps, lr 0.5; V scale 0.1
// (sweeps/base/normalization-*.yaml; the loss is the experiment, every other value its config).
//
// The authors record α and ℓ before and a after every step. The stored history keeps those
// records at the scheme-A indices (every step up to ~150, then 2000 log-spaced): the figures
// use a log x-axis, on which the subsample is indistinguishable from every step; the summary
// holds the exact first and last records.

import GradientFlow
import SIMDCore
import Records

public struct NormalizationExperiment: SingleRunExperiment {
    public let loss: ValueLoss

    public init(loss: ValueLoss) { self.loss = loss }

    public var nanosecondsPerIteration: Double { loss == .square ? 200 : 163 }

    public var name: String { "normalization-\(loss.rawValue)" }
    public var title: String { "E2 \(loss.rawValue) loss: L1 / Sum / L2 / Softmax / Relu / Sigmoid weights" }
    public let section = "Sec. 3 (appendix)"
    public var figures: [String] { [loss == .square ? "square_loss_comparison" : "log_loss_comparison"] }

    public func iterations(_ config: JSON) throws -> Int { try ToyConfig(name, config).iterations * Normalization.allCases.count }

    public func run(_ config: JSON, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let c = try ToyConfig(name, config)
        let n = c.iterations, dim = try c.read.int("dim", in: 1...4096), scaleV = try c.read.positive("scale_V")
        let schedule = HistorySchedule.schemeA(iterations: n, samples: c.historySamples)
        var summary: [(key: String, value: JSON)] = []
        var history: [(key: String, value: JSON)] = [("iteration", .array(schedule.map { .int($0) }))]
        for normalization in Normalization.allCases {
            let model = NormalizedValueModel(dim: dim, normalization: normalization, loss: loss,
                                             learningRate: c.learningRate, scaleV: scaleV, seed: c.seed)
            var losses: [JSON] = [], alphas: [JSON] = [], values: [JSON] = []
            runSteps(n, recordingAt: schedule, progress: progress, step: { _ in model.step() }) { _ in
                losses.append(.number(model.lastLoss))
                alphas.append(.doubles(model.alpha.array))
                values.append(.doubles(model.a.array))
            }
            summary.append((normalization.rawValue, .object([
                ("initial_loss", losses[0]),   // the schedule starts at step 0
                ("final_loss", .number(model.lastLoss)),
                ("final_alpha", .doubles(model.alpha.array)),
                ("final_a", .doubles(model.a.array)),
            ])))
            history.append((normalization.rawValue, .object([
                ("loss", .array(losses)), ("alpha", .array(alphas)), ("a", .array(values)),
            ])))
        }
        return ExperimentOutput(summary: .object(summary), history: .object(history), iterations: n * Normalization.allCases.count)
    }
}
