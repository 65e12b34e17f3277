// E2 (→ F2, F3): six normalizations of the value weights under square or logistic loss
// (PAPER.md §3 E2). Square: 5000 steps, lr 0.1; logistic: 10⁵ steps, lr 0.5; V scale 0.1.
//
// The authors record α and ℓ before and a after every step. The stored history keeps those
// records at the scheme-A indices (every step up to ~150, then 2000 log-spaced): the figures
// use a log x-axis, on which the subsample is indistinguishable from every step; the summary
// holds the exact first and last records.

import GradientFlow
import SIMDCore

public struct NormalizationExperiment: SingleRunExperiment {
    public let loss: ValueLoss

    public init(loss: ValueLoss) { self.loss = loss }

    public var nanosecondsPerIteration: Double { loss == .square ? 360 : 255 }

    public var name: String { "normalization-\(loss.rawValue)" }
    public var title: String { "E2 \(loss.rawValue) loss: L1 / Sum / L2 / Softmax / Relu / Sigmoid weights" }
    public let section = "Sec. 3 (appendix)"
    public var figures: [String] { [loss == .square ? "square_loss_comparison" : "log_loss_comparison"] }

    var learningRate: Double { loss == .square ? 0.1 : 0.5 }

    func steps(_ scale: Scale) -> Int {
        switch (loss, scale) {
        case (.square, .smoke): 500
        case (.square, _): 5_000
        case (.logistic, .smoke): 2_000
        case (.logistic, _): 100_000
        }
    }

    public func iterations(_ scale: Scale) -> Int { steps(scale) * Normalization.allCases.count }

    public func configuration(_ scale: Scale) -> JSON {
        .object([("loss", .string(loss.rawValue)), ("dim", .int(10)), ("learning_rate", .number(learningRate)),
                 ("iterations", .int(steps(scale))), ("scale_V", .number(0.1)), ("seed", .int(42)),
                 ("normalizations", .array(Normalization.allCases.map { .string($0.rawValue) })),
                 ("history", .string("scheme A subsample of every-step records, 2000 samples"))])
    }

    public func run(_ scale: Scale, progress: @escaping ProgressTick) -> ExperimentOutput {
        let n = steps(scale)
        let schedule = HistorySchedule.schemeA(iterations: n, samples: 2000)
        var summary: [(key: String, value: JSON)] = []
        var history: [(key: String, value: JSON)] = [("iteration", .array(schedule.map { .int($0) }))]
        for normalization in Normalization.allCases {
            let model = NormalizedValueModel(dim: 10, normalization: normalization, loss: loss,
                                             learningRate: learningRate, scaleV: 0.1)
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
        return ExperimentOutput(summary: .object(summary), history: .object(history), iterations: iterations(scale))
    }
}
