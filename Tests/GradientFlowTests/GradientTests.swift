// The hand-written gradients of every model agree with central finite differences of its loss.
//
// The gradient a step applied is read back as (θ_before − θ_after)/lr; the loss at a perturbed
// point is evaluated by the model itself. Agreement to ~1e-6 relative checks every formula of
// docs/spec.md §3 independently of the NumPy replay.

import GradientFlow
import SIMDCore
import Testing

/// Compares the step's gradient on `parameters` with central differences of `loss`.
private func checkGradient(parameters: [Buffer], learningRate: Double, step: () -> Void, loss: () -> Double,
                           _ label: String) {
    let before = parameters.map(\.array)
    step()
    let applied = zip(before, parameters).map { old, buffer in zip(old, buffer.array).map { ($0 - $1) / learningRate } }
    zip(before, parameters).forEach { old, buffer in buffer.copy(from: Buffer(old)) }
    let h = 1e-6
    var worst = 0.0
    for (p, buffer) in parameters.enumerated() {
        for i in stride(from: 0, to: buffer.count, by: max(1, buffer.count / 25)) {
            let x = buffer[i]
            buffer[i] = x + h; let up = loss()
            buffer[i] = x - h; let down = loss()
            buffer[i] = x
            let numeric = (up - down) / (2 * h)
            worst = max(worst, abs(numeric - applied[p][i]) / max(1e-3, abs(numeric)))
        }
    }
    #expect(worst < 2e-5, "\(label): worst relative gradient error \(worst)")
}

@Suite struct GradientTests {
    @Test func logistic() {
        let m = LogisticValueSoftmax(dim: 8, learningRate: 1e-3)
        for _ in 0..<50 { m.step() }   // leave the symmetric start (a = 0)
        checkGradient(parameters: [m.w, m.a], learningRate: 1e-3, step: { m.step() }, loss: m.loss, "E1")
    }

    @Test(arguments: Normalization.allCases, [ValueLoss.square, .logistic])
    func normalization(_ n: Normalization, _ loss: ValueLoss) {
        let m = NormalizedValueModel(normalization: n, loss: loss, learningRate: 1e-3, scaleV: 0.1)
        let probe = NormalizedValueModel(normalization: n, loss: loss, learningRate: 0, scaleV: 0.1)
        func lossAt() -> Double { probe.v.copy(from: m.v); probe.a.copy(from: m.a); probe.step(); return probe.lastLoss }
        checkGradient(parameters: [m.v, m.a], learningRate: 1e-3, step: { m.step() }, loss: lossAt, "E2 \(n) \(loss)")
    }

    @Test func tied() {
        let m = TiedValueSoftmax(dim: 10, learningRate: 1e-3)
        let probe = TiedValueSoftmax(dim: 10, learningRate: 0)
        func lossAt() -> Double { probe.u.copy(from: m.u); probe.a.copy(from: m.a); probe.step(); return probe.lastLoss }
        checkGradient(parameters: [m.u, m.a], learningRate: 1e-3, step: { m.step() }, loss: lossAt, "E3")
    }

    @Test func conditioning() {
        let m = ConditionedRegression(conditionNumber: 3, learningRate: 1e-3)
        m.w.copy(from: Buffer(m.w.array.map { $0 * 1e4 }))   // away from W ≈ 0, where ∇_a vanishes
        checkGradient(parameters: [m.w, m.a], learningRate: 1e-3, step: { m.step() }, loss: m.loss, "E4")
    }

    @Test func kl() {
        let m = CrossEntropyTarget(learningRate: 1e-3)
        for _ in 0..<50 { m.step() }
        checkGradient(parameters: [m.v, m.a], learningRate: 1e-3, step: { m.step() }, loss: m.loss, "E5")
    }
}
