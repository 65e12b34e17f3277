// AdamW exactly as torch.optim.AdamW's single-tensor path (β = 0.9/0.999, ε = 1e-8, decay 0.01):
//   p ← p·(1 − lr·wd);  m ← m + (1 − β₁)(g − m);  v ← β₂v + (1 − β₂)g²;
//   p ← p − (lr/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε),
// each element in torch's order of operations (mul_, then addcmul_; addcdiv), in S.adamW.
// The bias corrections are computed in Float64 (Python floats), the element updates in S.
// Like PyTorch, parameters that never receive a gradient (grad is None: q_proj and k_proj under
// uniform attention) are skipped entirely, weight decay included.

import Foundation
import SIMDCore

/// One step's constants: decay = 1 − lr·wd, stepSize = lr/(1 − β₁ᵗ), correction2 = √(1 − β₂ᵗ).
public struct AdamWStep<S: EngineScalar>: Sendable {
    public let decay, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, correction2, epsilon: S

    public init(decay: S, oneMinusBeta1: S, beta2: S, oneMinusBeta2: S, stepSize: S, correction2: S, epsilon: S) {
        self.decay = decay; self.oneMinusBeta1 = oneMinusBeta1; self.beta2 = beta2; self.oneMinusBeta2 = oneMinusBeta2
        self.stepSize = stepSize; self.correction2 = correction2; self.epsilon = epsilon
    }
}

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
            let k = AdamWStep(decay: S(1 - learningRate * weightDecay), oneMinusBeta1: S(1 - beta1), beta2: S(beta2),
                              oneMinusBeta2: S(1 - beta2),
                              stepSize: S(learningRate / (1 - Foundation.pow(beta1, Double(step)))),
                              correction2: S((1 - Foundation.pow(beta2, Double(step))).squareRoot()), epsilon: S(epsilon))
            let (p, g, m, v) = (parameters.pointer, gradients.pointer, self.m.pointer, self.v.pointer)
            let chunk = 16384
            for range in active {
                Parallel.forEach(Parallel.chunkCount(range.count, chunk), threads: threads) { c in
                    let i = range.lowerBound + Parallel.range(c, chunk, range.count).lowerBound
                    S.adamW(p + i, g + i, m + i, v + i, min(chunk, range.upperBound - i), k)
                }
            }
        }
    }
}
