// E1 (→ F1): logistic value-softmax, 8×8, lr 0.1, 10⁶ steps, seed 123 (docs/spec.md §3 E1): the
// values of sweeps/base/logistic.yaml; every one of them is read from the run's configuration.
//
// Recording (scheme A, 1423 indices at N = 10⁶): after the update of iteration i, the loss and the
// parameters at the new point, with the gradient norms of step i (taken at its pre-update point).

import GradientFlow
import SIMDCore
import Records

public struct LogisticExperiment: SingleRunExperiment {
    public let name = "logistic"
    public let title = "E1 logistic loss, value-softmax W σ(a): σ(a) polarizes"
    public let section = "Sec. 3"
    public let figures = ["softmax_and_u_evolution_icml_2col"]

    public let nanosecondsPerIteration = 122.0

    public init() {}

    public func iterations(_ config: JSON) throws -> Int { try ToyConfig(name, config).iterations }

    public func run(_ config: JSON, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let c = try ToyConfig(name, config)
        let n = c.iterations
        let model = LogisticValueSoftmax(dim: try c.read.int("dim", in: 1...4096), learningRate: c.learningRate, seed: c.seed)
        let initialLoss = model.loss()
        let schedule = HistorySchedule.schemeA(iterations: n, samples: c.historySamples)
        var recorded = (iteration: [JSON](), loss: [JSON](), a: [JSON](), u: [JSON](),
                        gradW: [JSON](), gradA: [JSON](), alignment: [JSON](), predictorNorm: [JSON]())
        runSteps(n, recordingAt: schedule, progress: progress, step: { model.step(measure: $0) }) { i in
            let p = model.predictor()
            let pNorm = p.withUnsafeBufferPointer { norm($0.baseAddress!, count: p.count) }
            let alignment = p.withUnsafeBufferPointer { dot(model.beta.pointer, $0.baseAddress!, count: p.count) } / (pNorm + 1e-8)
            recorded.iteration.append(.int(i))
            recorded.loss.append(.number(model.loss()))
            recorded.a.append(.doubles(model.a.array))
            recorded.u.append(.doubles(model.u()))
            recorded.gradW.append(.number(model.gradWNorm))
            recorded.gradA.append(.number(model.gradANorm))
            recorded.alignment.append(.number(alignment))
            recorded.predictorNorm.append(.number(pNorm))
        }
        let sigma = softmax(model.a.array)
        let summary = JSON.object([
            ("initial_loss", .number(initialLoss)),
            ("final_loss", .number(model.loss())),
            ("final_sigma", .doubles(sigma)),
            ("final_u", .doubles(model.u())),
            ("argmax_sigma", .int(argmax(sigma))),
            ("final_alignment", recorded.alignment.last!),
        ])
        let history = JSON.object([
            ("iteration", .array(recorded.iteration)), ("loss", .array(recorded.loss)),
            ("a", .array(recorded.a)), ("u", .array(recorded.u)),
            ("grad_W_norm", .array(recorded.gradW)), ("grad_a_norm", .array(recorded.gradA)),
            ("alignment", .array(recorded.alignment)), ("predictor_norm", .array(recorded.predictorNorm)),
        ])
        return ExperimentOutput(summary: summary, history: history, iterations: n)
    }
}
