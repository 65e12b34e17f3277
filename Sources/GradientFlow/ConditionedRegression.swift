// E4: square-loss regression L(W, a) = ‖β − X W σ(a)‖² (no ½) with cond(X) = κ (docs/spec.md §3 E4).
//
// With σ = softmax(a), r = β − XWσ, x = Xᵀr:  ∇_W L = −2 x σᵀ,  v = −2 Wᵀx,  ∇_a L = σ⊙v − σ(σᵀv).
// X = U diag(linspace(1, 1/κ, n)) Vᵀ from the SVD of a Gaussian X_raw, so its singular values are
// exactly those of the linspace and the result does not depend on the SVD's sign convention.

import Randomness
import SIMDCore

public final class ConditionedRegression {
    public let dim: Int
    public let learningRate: Double
    public let w: Buffer, a: Buffer, x: Buffer, beta: Buffer
    /// The Gaussian matrix X was built from (for the bit-exactness tests).
    public let xRaw: [Double]
    public private(set) var gradWNorm = 0.0, gradANorm = 0.0

    private let sigma: Buffer, p: Buffer, r: Buffer, xr: Buffer, v: Buffer, gradA: Buffer

    /// seed 123: W = 1e-5·randn(n, n); a = 1e-3·randn(n); X_raw = randn(n, n); β = randn(n).
    public init(dim: Int = 20, conditionNumber kappa: Double, learningRate: Double, seed: UInt32 = 123) {
        var rng = NumPyRandomState(seed: seed)
        w = Buffer(rng.normals(dim * dim, scale: 0.00001))
        a = Buffer(rng.normals(dim, scale: 0.001))
        xRaw = rng.normals(dim * dim)
        x = Buffer(SVD(xRaw, n: dim).reconstruct(singularValues: linspace(1, 1 / kappa, count: dim)))
        beta = Buffer(rng.normals(dim))
        self.dim = dim
        self.learningRate = learningRate
        sigma = Buffer(count: dim); p = Buffer(count: dim); r = Buffer(count: dim)
        xr = Buffer(count: dim); v = Buffer(count: dim); gradA = Buffer(count: dim)
    }

    /// L at the current point.
    public func loss() -> Double {
        residual()
        return dot(r.pointer, r.pointer, count: dim)
    }

    /// r = β − X W σ(a) (σ left in `sigma`).
    private func residual() {
        softmax(a.pointer, count: dim, into: sigma.pointer)
        gemv(w.pointer, rows: dim, cols: dim, sigma.pointer, into: p.pointer)
        gemv(x.pointer, rows: dim, cols: dim, p.pointer, into: r.pointer)
        for i in 0..<dim { r[i] = beta[i] - r[i] }
    }

    public func step(measure: Bool = false) {
        let d = dim
        residual()
        gemvTransposed(x.pointer, rows: d, cols: d, r.pointer, into: xr.pointer)
        gemvTransposed(w.pointer, rows: d, cols: d, xr.pointer, into: v.pointer)
        for i in 0..<d { v[i] *= -2 }
        let sv = dot(sigma.pointer, v.pointer, count: d)
        for i in 0..<d { gradA[i] = sigma[i] * v[i] - sigma[i] * sv }
        if measure {
            gradWNorm = 2 * outerProductNorm(xr.pointer, rows: d, sigma.pointer, cols: d)
            gradANorm = norm(gradA.pointer, count: d)
        }
        rankOneUpdate(w.pointer, rows: d, cols: d, alpha: 2 * learningRate, xr.pointer, sigma.pointer)
        axpy(-learningRate, gradA.pointer, a.pointer, count: d)
    }

    /// The singular values of W, descending.
    public func singularValuesOfW() -> [Double] { SVD(w.array, n: dim).s }
}
