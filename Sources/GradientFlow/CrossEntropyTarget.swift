// E5: cross-entropy of softmax(Vᵀσ(a)) to a fixed target p* (the notebook's "KL"; docs/spec.md §3 E5).
//
// s = σ(a), q = softmax(Vᵀs), ℓ = −Σ p*ⱼ log(qⱼ + 1e-15) = KL(p* ‖ q) + H(p*) (up to the 1e-15).
// Gradients: δ = q − p*, ∇_V = s δᵀ, g = Vδ, ∇_a = s⊙g − s(sᵀg).

import Foundation
import Randomness
import SIMDCore

public final class CrossEntropyTarget {
    public let dim: Int, classes: Int
    public let learningRate: Double
    public let v: Buffer, a: Buffer, target: Buffer
    public private(set) var gradVNorm = 0.0, gradANorm = 0.0

    private let s: Buffer, z: Buffer, q: Buffer, delta: Buffer, g: Buffer, gradA: Buffer

    /// seed 123: V = 0.1·randn(d, k); a = 0·randn(d); p* = softmax(10·rand(k)).
    public init(dim: Int = 10, classes: Int = 10, learningRate: Double, seed: UInt32 = 123) {
        var rng = NumPyRandomState(seed: seed)
        v = Buffer(rng.normals(dim * classes, scale: 0.1))
        a = Buffer(rng.normals(dim, scale: 0))
        target = Buffer(SIMDCore.softmax(rng.uniforms(classes).map { 10 * $0 }))
        self.dim = dim
        self.classes = classes
        self.learningRate = learningRate
        s = Buffer(count: dim); z = Buffer(count: classes); q = Buffer(count: classes)
        delta = Buffer(count: classes); g = Buffer(count: dim); gradA = Buffer(count: dim)
    }

    private func forward() {
        softmax(a.pointer, count: dim, into: s.pointer)
        gemvTransposed(v.pointer, rows: dim, cols: classes, s.pointer, into: z.pointer)
        softmax(z.pointer, count: classes, into: q.pointer)
    }

    public func loss() -> Double {
        forward()
        var total = 0.0
        for j in 0..<classes { total += target[j] * log(q[j] + 1e-15) }
        return -total
    }

    /// H(p*) = −Σ p* log p*, so that loss − H(p*) is the KL divergence.
    public func targetEntropy() -> Double {
        var total = 0.0
        for j in 0..<classes { total += target[j] * log(target[j]) }
        return -total
    }

    public func step(measure: Bool = false) {
        forward()
        for j in 0..<classes { delta[j] = q[j] - target[j] }
        gemv(v.pointer, rows: dim, cols: classes, delta.pointer, into: g.pointer)
        let sg = dot(s.pointer, g.pointer, count: dim)
        for i in 0..<dim { gradA[i] = s[i] * g[i] - s[i] * sg }
        if measure {
            gradVNorm = outerProductNorm(s.pointer, rows: dim, delta.pointer, cols: classes)
            gradANorm = norm(gradA.pointer, count: dim)
        }
        rankOneUpdate(v.pointer, rows: dim, cols: classes, alpha: -learningRate, s.pointer, delta.pointer)
        axpy(-learningRate, gradA.pointer, a.pointer, count: dim)
    }

    public var sigma: [Double] { SIMDCore.softmax(a.array) }
}
