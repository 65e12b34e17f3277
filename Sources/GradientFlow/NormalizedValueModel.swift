// E2: the value model V n(a) under square or logistic loss, for each normalization n (docs/spec.md §3 E2).
//
//   square:   r = Vα − β, ℓ = ½‖r‖², ∇_V = r αᵀ, g = Vᵀr
//   logistic: s = βᵀVα, ℓ = log(1 + e^{−s}) (branch-stable), gₛ = −(1 − expit(s)), ∇_V = gₛ β αᵀ, g = gₛ Vᵀβ
// then ∇_a = n.backward(g). `step` records α and ℓ at the pre-update point (the authors' convention).

import Randomness
import SIMDCore

public enum ValueLoss: String, Sendable { case square, logistic }

public final class NormalizedValueModel {
    public let dim: Int
    public let normalization: Normalization
    public let lossKind: ValueLoss
    public let learningRate: Double
    public let v: Buffer, a: Buffer, beta: Buffer
    /// α and ℓ of the last step, at its pre-update point.
    public let alpha: Buffer
    public private(set) var lastLoss = 0.0

    private let residual: Buffer, g: Buffer, gradA: Buffer

    /// β from `seed` (42 in the notebook, normalized); then the solver reseeds: V = scaleV·randn(d, d), a = 1 + 0.1·randn(d).
    public init(dim: Int = 10, normalization: Normalization, loss: ValueLoss, learningRate: Double, scaleV: Double, seed: UInt32 = 42) {
        var rng = NumPyRandomState(seed: seed)
        beta = Buffer(numpyNormalized(rng.normals(dim)))
        rng.seed(seed)
        v = Buffer(rng.normals(dim * dim, scale: scaleV))
        a = Buffer(rng.normals(dim).map { 1.0 * (1.0 + $0 * 0.1) })
        self.dim = dim
        self.normalization = normalization
        self.lossKind = loss
        self.learningRate = learningRate
        alpha = Buffer(count: dim); residual = Buffer(count: dim); g = Buffer(count: dim); gradA = Buffer(count: dim)
    }

    public func step() {
        let d = dim
        let norm = normalization.forward(a.pointer, alpha.pointer, d)
        gemv(v.pointer, rows: d, cols: d, alpha.pointer, into: residual.pointer)
        let coefficient: Double   // ∇_V = coefficient-weighted outer product with α
        switch lossKind {
        case .square:
            for i in 0..<d { residual[i] -= beta[i] }
            lastLoss = 0.5 * dot(residual.pointer, residual.pointer, count: d)
            gemvTransposed(v.pointer, rows: d, cols: d, residual.pointer, into: g.pointer)
            coefficient = 1
        case .logistic:
            let score = dot(beta.pointer, residual.pointer, count: d)
            lastLoss = logisticLoss(score)
            let gs = -(1 - expit(score))
            gemvTransposed(v.pointer, rows: d, cols: d, beta.pointer, into: g.pointer)
            for i in 0..<d { g[i] *= gs }
            for i in 0..<d { residual[i] = beta[i] }   // ∇_V = gₛ β αᵀ
            coefficient = gs
        }
        normalization.backward(g.pointer, a.pointer, alpha.pointer, norm: norm, into: gradA.pointer, d)
        rankOneUpdate(v.pointer, rows: d, cols: d, alpha: -learningRate * coefficient, residual.pointer, alpha.pointer)
        axpy(-learningRate, gradA.pointer, a.pointer, count: d)
    }
}
