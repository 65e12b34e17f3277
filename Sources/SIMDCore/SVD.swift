// Singular value decomposition of a small square matrix by one-sided Jacobi (Hestenes) rotations.
//
// Contract: for A (n × n, row-major) returns U, S, Vᵀ with A = U diag(S) Vᵀ, S sorted in descending
// order, U and V orthogonal. One-sided Jacobi computes singular values to high relative accuracy,
// so products like U diag(s′) Vᵀ match LAPACK's to rounding (the sign convention of a (uᵢ, vᵢ)
// pair cancels in such products). Deterministic: a fixed cyclic pair order.

public struct SVD: Sendable {
    public let u: [Double]   // n × n, row-major, columns are the left singular vectors
    public let s: [Double]   // n, descending
    public let vt: [Double]  // n × n, row-major, rows are the right singular vectors
    public let n: Int

    public init(_ a: [Double], n: Int) {
        precondition(a.count == n * n)
        // Columns of A and of V, each stored contiguously.
        var col = [Double](repeating: 0, count: n * n)
        var vcol = [Double](repeating: 0, count: n * n)
        for r in 0..<n { for c in 0..<n { col[c * n + r] = a[r * n + c] } }
        for i in 0..<n { vcol[i * n + i] = 1 }
        col.withUnsafeMutableBufferPointer { cp in
            vcol.withUnsafeMutableBufferPointer { vp in
                let cb = cp.baseAddress!, vb = vp.baseAddress!
                for _ in 0..<60 {
                    var rotated = false
                    for p in 0..<(n - 1) {
                        for q in (p + 1)..<n {
                            let ap = cb + p * n, aq = cb + q * n
                            let alpha = dot(ap, ap, count: n), beta = dot(aq, aq, count: n)
                            let gamma = dot(ap, aq, count: n)
                            if gamma == 0 || abs(gamma) <= 1e-15 * (alpha * beta).squareRoot() { continue }
                            rotated = true
                            let zeta = (beta - alpha) / (2 * gamma)
                            let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                            let c = 1 / (1 + t * t).squareRoot(), s = c * t
                            Self.rotate(ap, aq, n, c, s)
                            Self.rotate(vb + p * n, vb + q * n, n, c, s)
                        }
                    }
                    if !rotated { break }
                }
            }
        }
        var sigma = (0..<n).map { j in col.withUnsafeBufferPointer { norm($0.baseAddress! + j * n, count: n) } }
        let order = (0..<n).sorted { sigma[$0] > sigma[$1] || (sigma[$0] == sigma[$1] && $0 < $1) }
        var u = [Double](repeating: 0, count: n * n), vt = [Double](repeating: 0, count: n * n)
        for (k, j) in order.enumerated() {
            for r in 0..<n {
                u[r * n + k] = sigma[j] > 0 ? col[j * n + r] / sigma[j] : 0
                vt[k * n + r] = vcol[j * n + r]
            }
        }
        sigma = order.map { sigma[$0] }
        self.u = u; self.s = sigma; self.vt = vt; self.n = n
    }

    private static func rotate(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                               _ n: Int, _ c: Double, _ s: Double) {
        for i in 0..<n {
            let xi = x[i], yi = y[i]
            x[i] = c * xi - s * yi
            y[i] = s * xi + c * yi
        }
    }

    /// U diag(values) Vᵀ: the matrix with these singular vectors and new singular values.
    public func reconstruct(singularValues values: [Double]) -> [Double] {
        precondition(values.count == n)
        var out = [Double](repeating: 0, count: n * n)
        for r in 0..<n {
            for c in 0..<n {
                var acc = 0.0
                for k in 0..<n { acc += u[r * n + k] * values[k] * vt[k * n + c] }
                out[r * n + c] = acc
            }
        }
        return out
    }
}
