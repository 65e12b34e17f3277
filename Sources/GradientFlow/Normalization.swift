// The six maps a ↦ α = n(a) of E2 and their vector-Jacobian products (docs/spec.md §3 E2).
//
// With g = ∂ℓ/∂α, b = Σ g ⊙ α and `norm` the normalizer of the same forward pass:
//   L1       |a| / (Σ|a| + 1e-10)            (g − b) ⊙ sign(a) / norm
//   Sum      a / (Σa + 1e-10)                (g − b) / norm
//   L2       a² / (Σa² + 1e-10)              (2a / norm) ⊙ (g − b)
//   Softmax  exp(a − max a) / Σ              α ⊙ (g − b)
//   Relu     max(0, a) / (Σmax(0, a) + 1e-10) (g − b) ⊙ [a > 0] / norm
//   Sigmoid  expit(a) (not normalized)       expit(a)(1 − expit(a)) ⊙ g
// Each backward is the exact VJP of its forward, the 1e-10 included.

import Foundation
import SIMDCore

public enum Normalization: String, CaseIterable, Sendable {
    case l1, sum, l2, softmax, relu, sigmoid

    /// The label used in the paper's figures.
    public var title: String {
        switch self {
        case .l1: "L1"
        case .sum: "Sum"
        case .l2: "L2"
        case .softmax: "Softmax"
        case .relu: "Relu"
        case .sigmoid: "Sigmoid"
        }
    }

    /// α = n(a); returns the normalizer (1 where none is used).
    func forward(_ a: UnsafePointer<Double>, _ alpha: UnsafeMutablePointer<Double>, _ n: Int) -> Double {
        switch self {
        case .l1:
            for i in 0..<n { alpha[i] = abs(a[i]) }
        case .sum:
            for i in 0..<n { alpha[i] = a[i] }
        case .l2:
            for i in 0..<n { alpha[i] = a[i] * a[i] }
        case .relu:
            for i in 0..<n { alpha[i] = max(0, a[i]) }
        case .softmax:
            SIMDCore.softmax(a, count: n, into: alpha)
            return 1
        case .sigmoid:
            for i in 0..<n { alpha[i] = expit(a[i]) }
            return 1
        }
        let norm = SIMDCore.sum(alpha, count: n) + 1e-10
        for i in 0..<n { alpha[i] /= norm }
        return norm
    }

    /// ∂ℓ/∂a from g = ∂ℓ/∂α, at the point (a, α, norm) of the same forward pass.
    func backward(_ g: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ alpha: UnsafePointer<Double>,
                  norm: Double, into out: UnsafeMutablePointer<Double>, _ n: Int) {
        let b = dot(g, alpha, count: n)
        switch self {
        case .l1:
            for i in 0..<n {
                let sign: Double = a[i] > 0 ? 1 : (a[i] < 0 ? -1 : 0)
                out[i] = (g[i] - b) * (sign / norm)
            }
        case .sum:
            for i in 0..<n { out[i] = (g[i] - b) / norm }
        case .l2:
            for i in 0..<n { out[i] = (2 * a[i] / norm) * (g[i] - b) }
        case .softmax:
            for i in 0..<n { out[i] = alpha[i] * (g[i] - b) }
        case .relu:
            for i in 0..<n { out[i] = a[i] > 0 ? (g[i] - b) / norm : 0 }
        case .sigmoid:
            for i in 0..<n { let e = expit(a[i]); out[i] = e * (1 - e) * g[i] }
        }
    }
}
