// Softmax and friends, as SciPy computes them: max-shifted, libm exp, one normalizing division.
//
// Properties: outputs are in [0, 1] and sum to 1 up to rounding; softmax(x + c) = softmax(x);
// never overflows (the largest shifted logit is 0).

import Foundation

/// out = softmax(x) = exp(x − max x) / Σ exp(x − max x).
public func softmax(_ x: UnsafePointer<Double>, count n: Int, into out: UnsafeMutablePointer<Double>) {
    var m = x[0]
    for i in 1..<n where x[i] > m { m = x[i] }
    for i in 0..<n { out[i] = exp(x[i] - m) }
    let total = sum(out, count: n)
    for i in 0..<n { out[i] /= total }
}

/// softmax of an array (convenience for summaries and tests).
public func softmax(_ x: [Double]) -> [Double] {
    var out = [Double](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { xp in
        out.withUnsafeMutableBufferPointer { softmax(xp.baseAddress!, count: x.count, into: $0.baseAddress!) }
    }
    return out
}

/// The logistic sigmoid 1 / (1 + e^{−x}) (SciPy's `expit`).
@inline(__always) public func expit(_ x: Double) -> Double { 1.0 / (1.0 + exp(-x)) }

/// log(1 + e^{−z}) without overflow, as `np.logaddexp(0, −z)` computes it.
@inline(__always) public func logOnePlusExpNeg(_ z: Double) -> Double {
    z > 0 ? log1p(exp(-z)) : -z + log1p(exp(z))
}

/// The branch-stable logistic loss of the tied/normalization solvers:
/// log(1 + e^{−s}) for s > 0, else −s + log(1 + e^{s}) (log, not log1p, as the authors wrote it).
@inline(__always) public func logisticLoss(_ score: Double) -> Double {
    score > 0 ? log(1 + exp(-score)) : -score + log(1 + exp(score))
}

/// Index of the first maximum (NumPy's `argmax` tie rule).
public func argmax(_ x: [Double]) -> Int {
    var best = 0
    for i in x.indices where x[i] > x[best] { best = i }
    return best
}
