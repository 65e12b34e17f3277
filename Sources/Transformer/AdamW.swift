// AdamW exactly as torch.optim.AdamW's single-tensor path (β = 0.9/0.999, ε = 1e-8, decay 0.01):
//   p ← p·(1 − lr·wd);  m ← m + (1 − β₁)(g − m);  v ← β₂v + (1 − β₂)g²;
//   p ← p − (lr/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε).
// The bias corrections are computed in Float64 (Python floats), the element updates in S.

import Foundation

struct AdamW<S: EngineScalar> {
    var learningRate: Double
    var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0.01
    private(set) var step = 0
    let m: Storage<S>, v: Storage<S>

    init(count: Int, learningRate: Double) {
        self.learningRate = learningRate
        m = Storage(count)
        v = Storage(count)
    }

    mutating func update(_ parameters: Storage<S>, _ gradients: Storage<S>) {
        step += 1
        let decay = S(1 - learningRate * weightDecay)
        let stepSize = S(learningRate / (1 - Foundation.pow(beta1, Double(step))))
        let correction2 = S((1 - Foundation.pow(beta2, Double(step))).squareRoot())
        let (b1, b2, oneMinusB2, eps) = (S(1 - beta1), S(beta2), S(1 - beta2), S(epsilon))
        let (p, g, m, v) = (parameters.pointer, gradients.pointer, m.pointer, v.pointer)
        for i in 0..<parameters.count {
            p[i] *= decay
            m[i] += b1 * (g[i] - m[i])
            v[i] = v[i] * b2 + oneMinusB2 * g[i] * g[i]  // mul_, then addcmul_
            p[i] += (-stepSize * m[i]) / (v[i].squareRoot() / correction2 + eps)  // addcdiv's order
        }
    }
}
