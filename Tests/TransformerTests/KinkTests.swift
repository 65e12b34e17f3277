// The non-differentiable points, checked where they are hit exactly (finite differences straddling
// a kink say nothing, so each side is compared with the convention instead).

@testable import Transformer
import Testing

/// One head of width 1, two causal positions: row 1 sees keys 0 and 1, S_1j = q₁·k_j.
private func row1(_ kind: AttentionKind, q1: Double, k: (Double, Double), v: (Double, Double))
    -> (out: Double, dKey0: Double) {
    let shape = AttentionShape(batch: 1, length: 2, heads: 1, headWidth: 1, causal: true)
    var q = [1.0, q1], keys = [k.0, k.1], values = [v.0, v.1]
    var a = [Double](repeating: 0, count: 4), kernel = a, z = [0.0, 0.0], out = [0.0, 0.0]
    var dOut = [0.0, 1.0], dq = [0.0, 0.0], dk = [0.0, 0.0], dv = [0.0, 0.0]
    Attention.forward(kind, shape, queries: &q, keys: &keys, values: &values, weights: &a, kernel: &kernel,
                      normalizers: &z, out: &out, threads: 1)
    Attention.backward(kind, shape, queries: &q, keys: &keys, values: &values, weights: &a, kernel: &kernel,
                       normalizers: &z, dOut: &dOut, dQueries: &dq, dKeys: &dk, dValues: &dv, threads: 1)
    return (out[1], dk[0])
}

@Suite struct KinkTests {
    /// raw_dotproduct_norm divides by max(|Σⱼ S|, 1). At Σ = 1 exactly (0.25 + 0.75) the gradient
    /// is the branch where the normalizer is active (torch.clamp(min: 1) passes the gradient at
    /// equality): it equals the derivative from above (2.25) and not the one from below (2).
    @Test func clampedNormalizerAtExactlyOne() {
        let at = row1(.rawDotProductNorm, q1: 1, k: (0.25, 0.75), v: (2, -1))
        let h = 1e-7
        let above = (row1(.rawDotProductNorm, q1: 1, k: (0.25 + h, 0.75), v: (2, -1)).out - at.out) / h
        let below = (at.out - row1(.rawDotProductNorm, q1: 1, k: (0.25 - h, 0.75), v: (2, -1)).out) / h
        #expect(abs(at.dKey0 - 2.25) < 1e-12)
        #expect(abs(above - 2.25) < 1e-5 && abs(below - 2) < 1e-5)
    }

    /// Below the kink (Σ = 0.5, and Σ = 0) the normalizer is the constant 1.
    @Test func clampedNormalizerBelowOneAndAtZero() {
        #expect(abs(row1(.rawDotProductNorm, q1: 1, k: (0.25, 0.25), v: (2, -1)).dKey0 - 2) < 1e-12)
        #expect(abs(row1(.rawDotProductNorm, q1: 1, k: (0.5, -0.5), v: (2, -1)).dKey0 - 2) < 1e-12)
    }

    /// elu(S) + 1 at S = 0: both one-sided derivatives are 1 (eˢ and 1), so the gradient is 1·q₁·v₀.
    @Test func eluPlusOneAtZero() {
        let at = row1(.coupledLinearUnnorm, q1: 1, k: (0, 3), v: (2, -1))
        let h = 1e-7
        let above = (row1(.coupledLinearUnnorm, q1: 1, k: (h, 3), v: (2, -1)).out - at.out) / h
        let below = (at.out - row1(.coupledLinearUnnorm, q1: 1, k: (-h, 3), v: (2, -1)).out) / h
        #expect(abs(at.dKey0 - 2) < 1e-12 && abs(above - 2) < 1e-5 && abs(below - 2) < 1e-5)
    }

    /// Softmax subtracts the row maximum before exp; with tied maxima the result and gradient are
    /// those of the smooth function (the shift cancels), e.g. S = (1, 1): A = (½, ½), dA/dk₀ = q·(v₀ − v₁)/4.
    @Test func softmaxWithTiedMaximum() {
        let at = row1(.softmax, q1: 1, k: (1, 1), v: (2, -1))
        #expect(abs(at.out - 0.5) < 1e-15 && abs(at.dKey0 - 0.75) < 1e-12)
    }
}
