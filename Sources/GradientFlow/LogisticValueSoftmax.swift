// E1: the logistic value-softmax model ℓ(W, a) = log(1 + exp(−βᵀ W σ(a))) (docs/spec.md §3 E1).
//
// Gradients at (W, a), with σ = softmax(a), z = βᵀWσ, s = expit(−z):
//   ∇_W ℓ = −s β σᵀ,   v = −s Wᵀβ,   ∇_a ℓ = σ ⊙ v − σ (σᵀv).
// `step` applies both at once (simultaneous gradient descent), as the authors' loop does.

import Randomness
import SIMDCore

public final class LogisticValueSoftmax {
    public let dim: Int
    public let learningRate: Double
    public let w: Buffer      // dim × dim
    public let a: Buffer      // dim
    public let beta: Buffer   // dim, ‖β‖ = 1
    /// Gradient norms of the last step (at its pre-update point).
    public private(set) var gradWNorm = 0.0, gradANorm = 0.0

    private let sigma: Buffer, wtBeta: Buffer, gradA: Buffer, scratch: Buffer

    /// `np.random.seed(seed)`; W = 0.1·randn(d, d); a = 0·randn(d); β = randn(d)/‖β‖.
    public init(dim: Int = 8, learningRate: Double, seed: UInt32 = 123) {
        var rng = NumPyRandomState(seed: seed)
        self.dim = dim
        self.learningRate = learningRate
        w = Buffer(rng.normals(dim * dim, scale: 0.1))
        a = Buffer(rng.normals(dim, scale: 0))
        beta = Buffer(numpyNormalized(rng.normals(dim)))
        sigma = Buffer(count: dim); wtBeta = Buffer(count: dim); gradA = Buffer(count: dim); scratch = Buffer(count: dim)
    }

    /// ℓ at the current point.
    public func loss() -> Double {
        softmax(a.pointer, count: dim, into: sigma.pointer)
        gemv(w.pointer, rows: dim, cols: dim, sigma.pointer, into: scratch.pointer)
        return logOnePlusExpNeg(dot(beta.pointer, scratch.pointer, count: dim))
    }

    /// One gradient-descent step; with `measure`, also the gradient norms of this step.
    public func step(measure: Bool = false) {
        let d = dim
        softmax(a.pointer, count: d, into: sigma.pointer)
        gemv(w.pointer, rows: d, cols: d, sigma.pointer, into: scratch.pointer)
        let z = dot(beta.pointer, scratch.pointer, count: d)
        let s = expit(-z)
        // v = −s Wᵀβ at the pre-update W; ∇_a = σ⊙v − σ(σᵀv).
        gemvTransposed(w.pointer, rows: d, cols: d, beta.pointer, into: wtBeta.pointer)
        for i in 0..<d { scratch[i] = -s * wtBeta[i] }
        let sv = dot(sigma.pointer, scratch.pointer, count: d)
        for i in 0..<d { gradA[i] = sigma[i] * scratch[i] - sigma[i] * sv }
        if measure {
            for i in 0..<d { wtBeta[i] = -s * beta[i] }
            gradWNorm = outerProductNorm(wtBeta.pointer, rows: d, sigma.pointer, cols: d)
            gradANorm = norm(gradA.pointer, count: d)
        }
        // W −= lr ∇_W = W + lr·s β σᵀ;  a −= lr ∇_a.
        rankOneUpdate(w.pointer, rows: d, cols: d, alpha: learningRate * s, beta.pointer, sigma.pointer)
        axpy(-learningRate, gradA.pointer, a.pointer, count: d)
    }

    /// u = Wᵀβ.
    public func u() -> [Double] {
        gemvTransposed(w.pointer, rows: dim, cols: dim, beta.pointer, into: scratch.pointer)
        return scratch.array
    }

    /// p = W σ(a), the predictor.
    public func predictor() -> [Double] {
        softmax(a.pointer, count: dim, into: sigma.pointer)
        gemv(w.pointer, rows: dim, cols: dim, sigma.pointer, into: scratch.pointer)
        return scratch.array
    }
}
