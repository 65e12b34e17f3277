// AdamW exactly as torch.optim.AdamW's single-tensor path (β = 0.9/0.999, ε = 1e-8, decay 0.01):
//   p ← p·(1 − lr·wd);  m ← m + (1 − β₁)(g − m);  v ← β₂v + (1 − β₂)g²;
//   p ← p − (lr/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε).
// The bias corrections are computed in Float64 (Python floats), the element updates in S.
// Like PyTorch, parameters that never receive a gradient (grad is None: q_proj and k_proj under
// uniform attention) are skipped entirely, weight decay included.

import Foundation
import SIMDCore

struct AdamW<S: EngineScalar> {
    var learningRate: Double
    var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0.01
    private(set) var step = 0
    let m: Storage<S>, v: Storage<S>
    /// The index ranges that are updated.
    let active: [Range<Int>]

    init(count: Int, learningRate: Double, frozen: [Range<Int>] = []) {
        self.learningRate = learningRate
        var active: [Range<Int>] = [], start = 0
        for range in frozen.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > start { active.append(start ..< range.lowerBound) }
            start = max(start, range.upperBound)
        }
        if start < count { active.append(start ..< count) }
        self.active = active
        m = Storage(count)
        v = Storage(count)
    }

    /// Elementwise, so chunks over threads give the same bits.
    mutating func update(_ parameters: Storage<S>, _ gradients: Storage<S>, threads: Int = 1) {
        StepProfile.measure(.optimizer) {
            step += 1
            let decay = S(1 - learningRate * weightDecay)
            let stepSize = S(learningRate / (1 - Foundation.pow(beta1, Double(step))))
            let correction2 = S((1 - Foundation.pow(beta2, Double(step))).squareRoot())
            let (b1, b2, oneMinusB2, eps) = (S(1 - beta1), S(beta2), S(1 - beta2), S(epsilon))
            let (p, g, m, v) = (parameters.pointer, gradients.pointer, self.m.pointer, self.v.pointer)
            let chunk = 16384
            for range in active {
                Parallel.forEach(Parallel.chunkCount(range.count, chunk), threads: threads) { c in
                    let part = Parallel.range(c, chunk, range.count)
                    for i in range.lowerBound + part.lowerBound ..< range.lowerBound + part.upperBound {
                        p[i] *= decay
                        m[i] += b1 * (g[i] - m[i])
                        v[i] = v[i] * b2 + oneMinusB2 * g[i] * g[i]  // mul_, then addcmul_
                        p[i] += (-stepSize * m[i]) / (v[i].squareRoot() / correction2 + eps)  // addcdiv's order
                    }
                }
            }
        }
    }
}
