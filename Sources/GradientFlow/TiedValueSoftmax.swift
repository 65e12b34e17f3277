// E3: the tied value-softmax model ℓ(U, a) = log(1 + exp(−β*ᵀ U σ(U a))) (docs/spec.md §3 E3).
//
// Backward, with z = Ua, α = σ(z), b = Uα, gₛ = −(1 − expit(β*ᵀb)), g_b = gₛ β*:
//   g_α = Uᵀg_b,  g_z = α ⊙ (g_α − Σ g_α ⊙ α),  ∇_U = g_b αᵀ + g_z aᵀ,  ∇_a = Uᵀg_z.
// α and ℓ are recorded at the pre-update point, U and a after the update.

import Randomness
import SIMDCore

public final class TiedValueSoftmax {
    public let dim: Int
    public let learningRate: Double
    public let u: Buffer, a: Buffer, beta: Buffer
    /// α and ℓ of the last step (pre-update).
    public let alpha: Buffer
    public private(set) var lastLoss = 0.0

    private let z: Buffer, b: Buffer, gB: Buffer, gAlpha: Buffer, gZ: Buffer, gradA: Buffer

    /// β from `seed` (42 in the notebook, normalized); reseed: randn(D, D) discarded, a = 1 + 0.1·randn(D); U = I.
    public init(dim: Int, learningRate: Double, seed: UInt32 = 42) {
        var rng = NumPyRandomState(seed: seed)
        beta = Buffer(numpyNormalized(rng.normals(dim)))
        rng.seed(seed)
        _ = rng.normals(dim * dim)
        a = Buffer(rng.normals(dim).map { 1.0 * (1.0 + $0 * 0.1) })
        u = Buffer(count: dim * dim)
        for i in 0..<dim { u[i * dim + i] = 1.0 }
        self.dim = dim
        self.learningRate = learningRate
        alpha = Buffer(count: dim)
        z = Buffer(count: dim); b = Buffer(count: dim); gB = Buffer(count: dim)
        gAlpha = Buffer(count: dim); gZ = Buffer(count: dim); gradA = Buffer(count: dim)
    }

    public func step() {
        let d = dim
        gemv(u.pointer, rows: d, cols: d, a.pointer, into: z.pointer)
        softmax(z.pointer, count: d, into: alpha.pointer)
        gemv(u.pointer, rows: d, cols: d, alpha.pointer, into: b.pointer)
        let score = dot(beta.pointer, b.pointer, count: d)
        lastLoss = logisticLoss(score)
        let gs = -(1 - expit(score))
        for i in 0..<d { gB[i] = gs * beta[i] }
        gemvTransposed(u.pointer, rows: d, cols: d, gB.pointer, into: gAlpha.pointer)
        let baseline = dot(gAlpha.pointer, alpha.pointer, count: d)
        for i in 0..<d { gZ[i] = alpha[i] * (gAlpha[i] - baseline) }
        gemvTransposed(u.pointer, rows: d, cols: d, gZ.pointer, into: gradA.pointer)
        rankTwoUpdate(u.pointer, rows: d, cols: d, alpha: -learningRate, gB.pointer, alpha.pointer, gZ.pointer, a.pointer)
        axpy(-learningRate, gradA.pointer, a.pointer, count: d)
    }

    /// ‖U[:, m]‖₂ for the column of the dominant token m = argmax α (the F4 "‖U^(m)‖_F").
    public func columnNorm(_ m: Int) -> Double {
        var acc = 0.0
        for r in 0..<dim { let x = u[r * dim + m]; acc += x * x }
        return acc.squareRoot()
    }
}
