// exp and erf on SIMD8<Float>, for the Float32 transformer (softmax, sigmoid, elu, exact GELU).
//
// Branch-free: every lane runs the same instructions, out-of-range lanes are fixed with masks,
// so results do not depend on the neighbours in a vector. Accuracy against the correctly rounded
// value (tests): exp < 1 ulp, erf < 2.5 ulp (coefficients from Tests/Reference/fit_erf.py).

public enum VectorMath {
    /// eˣ. Returns 0 below −87.33 (no denormals) and +∞ above 88.72283 (overflow); NaN stays NaN.
    @_transparent
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let log2e: Float = 1.442695041, ln2High: Float = 0.693359375, ln2Low: Float = -2.12194440e-4
        let magic = SIMD8<Float>(repeating: 12582912)  // 1.5·2²³: adding it rounds to an integer
        let input = x
        let x = x.replacing(with: 0, where: .!(x .>= -1e9) .| (x .> 89))  // NaN, ±∞: harmless values
        let t = (x * log2e) + magic
        let n = t - magic
        var r = x.addingProduct(n, SIMD8<Float>(repeating: -ln2High))
        r = r.addingProduct(n, SIMD8<Float>(repeating: -ln2Low))
        // e^r on |r| ≤ ln2/2: Taylor to degree 7 (remainder < 6e-9).
        var p = SIMD8<Float>(repeating: 1.0 / 5040)
        p = SIMD8<Float>(repeating: 1.0 / 720).addingProduct(p, r)
        p = SIMD8<Float>(repeating: 1.0 / 120).addingProduct(p, r)
        p = SIMD8<Float>(repeating: 1.0 / 24).addingProduct(p, r)
        p = SIMD8<Float>(repeating: 1.0 / 6).addingProduct(p, r)
        p = SIMD8<Float>(repeating: 0.5).addingProduct(p, r)
        p = SIMD8<Float>(repeating: 1).addingProduct(p, r)
        p = SIMD8<Float>(repeating: 1).addingProduct(p, r)
        let bits = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self) &+ 127) &<< 23
        var y = p * unsafeBitCast(bits, to: SIMD8<Float>.self)
        y.replace(with: p * 0x1p127 * 2, where: n .== 128)  // 2¹²⁸ has no Float exponent; eˣ may still be finite
        y.replace(with: 0, where: input .< -87.33)
        y.replace(with: .infinity, where: input .> 88.72283)
        y.replace(with: input, where: input .!= input)
        return y
    }

    /// erf(x): x·P(x²) for |x| < 0.875, ±(1 − e^{Q(|x|)}) up to 4, ±1 beyond.
    @_transparent
    public static func erf(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // |x| and the sign bit by bit masks: a lane-wise select here gets scalarized by LLVM.
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        let a = unsafeBitCast(bits & 0x7fff_ffff, to: SIMD8<Float>.self)
        let s = x * x
        var p = SIMD8<Float>(repeating: 8.737620373722166e-05)
        p = SIMD8<Float>(repeating: -0.0008225871715694666).addingProduct(p, s)
        p = SIMD8<Float>(repeating: 0.005208075512200594).addingProduct(p, s)
        p = SIMD8<Float>(repeating: -0.026862144470214844).addingProduct(p, s)
        p = SIMD8<Float>(repeating: 0.11283744126558304).addingProduct(p, s)
        p = SIMD8<Float>(repeating: -0.37612637877464294).addingProduct(p, s)
        p = SIMD8<Float>(repeating: 1.128379225730896).addingProduct(p, s)
        let small = x * p
        var q = SIMD8<Float>(repeating: -3.807809889622149e-07)
        q = SIMD8<Float>(repeating: 7.936991096357815e-06).addingProduct(q, a)
        q = SIMD8<Float>(repeating: -7.17637303750962e-05).addingProduct(q, a)
        q = SIMD8<Float>(repeating: 0.0003503147163428366).addingProduct(q, a)
        q = SIMD8<Float>(repeating: -0.0007862873608246446).addingProduct(q, a)
        q = SIMD8<Float>(repeating: -0.0015039120335131884).addingProduct(q, a)
        q = SIMD8<Float>(repeating: 0.02119019255042076).addingProduct(q, a)
        q = SIMD8<Float>(repeating: -0.10442022979259491).addingProduct(q, a)
        q = SIMD8<Float>(repeating: -0.6357701420783997).addingProduct(q, a)
        q = SIMD8<Float>(repeating: -1.1286357641220093).addingProduct(q, a)
        q = SIMD8<Float>(repeating: 3.4526423405623063e-05).addingProduct(q, a)
        var large = 1 - exp(q)
        large.replace(with: 1, where: a .>= 4)
        large = unsafeBitCast(unsafeBitCast(large, to: SIMD8<UInt32>.self) | (bits & 0x8000_0000), to: SIMD8<Float>.self)
        return small.replacing(with: large, where: a .>= 0.875)
    }
}
