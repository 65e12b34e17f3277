// NumPy's legacy `RandomState` (numpy.random.seed / rand / randn), bit for bit.
//
// Contract (docs/spec.md §8.1): `seed(s)` is MT19937 `init_genrand(s)` and clears the cached Gaussian;
// `randomSample()` is the 53-bit double ((a >> 5)·2²⁶ + (b >> 6)) / 2⁵³; `standardNormal()` is the
// Marsaglia polar method that returns f·x₂ and caches f·x₁ for the next call. Arrays are filled
// in row-major (C) order, one draw per element.

import Foundation

public struct NumPyRandomState: Sendable {
    private var mt: MT19937
    private var cachedGaussian: Double?

    public init(seed: UInt32) {
        mt = MT19937(seed: seed)
        cachedGaussian = nil
    }

    /// `np.random.seed(s)`: a fresh stream, with no cached Gaussian.
    public mutating func seed(_ seed: UInt32) {
        self = NumPyRandomState(seed: seed)
    }

    /// One raw 32-bit output of the underlying MT19937.
    public mutating func nextUInt32() -> UInt32 { mt.next() }

    /// `random_sample()`: uniform on [0, 1) with 53 random bits.
    public mutating func randomSample() -> Double {
        let a = Double(mt.next() >> 5)
        let b = Double(mt.next() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `standard_normal()` / `randn()`: the legacy polar method with its cached second value.
    public mutating func standardNormal() -> Double {
        if let cached = cachedGaussian {
            cachedGaussian = nil
            return cached
        }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2.0 * randomSample() - 1.0
            x2 = 2.0 * randomSample() - 1.0
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1.0 || r2 == 0.0
        let f = (-2.0 * log(r2) / r2).squareRoot()
        cachedGaussian = f * x1
        return f * x2
    }

    /// `scale * randn(count)`, row-major. The product is taken per element, as NumPy does.
    public mutating func normals(_ count: Int, scale: Double = 1) -> [Double] {
        (0..<count).map { _ in scale * standardNormal() }
    }

    /// `rand(count)`.
    public mutating func uniforms(_ count: Int) -> [Double] {
        (0..<count).map { _ in randomSample() }
    }
}
