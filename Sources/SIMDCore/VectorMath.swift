// exp, erf and √ on SIMD8<Float>, for the Float32 transformer (softmax, sigmoid, elu, exact GELU,
// AdamW).
//
// Every lane's result depends on that lane alone. The arithmetic is branch-free; the only
// branches ask whether all eight lanes can skip a path (exp's range fix-ups, one of erf's two
// polynomials), and a skipped path is one whose lanes would have been masked away, so the
// bits are the same as running every path (VectorMathTests). Accuracy against the correctly
// rounded value (tests): exp < 1 ulp, erf < 2.5 ulp (the constants: WideKernels' MathConstants,
// shared with the 512-bit copy there).

#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif
import WideKernels

public enum VectorMath {
    /// eˣ. Returns 0 below −87.33 (no denormals) and +∞ above 88.72283 (overflow); NaN stays NaN.
    @_transparent
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // On [−87, 88] no fix-up below applies (n ≤ 127, no underflow, no NaN): the common case.
        if all((x .>= -87) .& (x .<= 88)) { return expParts(x).value }
        return expOutsideRange(x)
    }

    /// e^x on [−87, 88] before any fix-up, with the reduced polynomial p and exponent n (eˣ = p·2ⁿ).
    @inlinable @inline(__always)
    static func expParts(_ x: SIMD8<Float>) -> (value: SIMD8<Float>, p: SIMD8<Float>, n: SIMD8<Float>) {
        let k = MathConstants.self, c = MathConstants.expTaylor
        let magic = SIMD8<Float>(repeating: k.roundingMagic)  // adding it rounds to an integer
        let t = (x * k.log2e) + magic
        let n = t - magic
        var r = x.addingProduct(n, SIMD8<Float>(repeating: -k.ln2High))
        r = r.addingProduct(n, SIMD8<Float>(repeating: -k.ln2Low))
        // e^r on |r| ≤ ln2/2: Taylor to degree 7 (remainder < 6e-9).
        var p = SIMD8<Float>(repeating: c.0)
        p = SIMD8<Float>(repeating: c.1).addingProduct(p, r)
        p = SIMD8<Float>(repeating: c.2).addingProduct(p, r)
        p = SIMD8<Float>(repeating: c.3).addingProduct(p, r)
        p = SIMD8<Float>(repeating: c.4).addingProduct(p, r)
        p = SIMD8<Float>(repeating: c.5).addingProduct(p, r)
        p = SIMD8<Float>(repeating: c.6).addingProduct(p, r)
        p = SIMD8<Float>(repeating: c.7).addingProduct(p, r)
        let bits = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self) &+ 127) &<< 23
        return (p * unsafeBitCast(bits, to: SIMD8<Float>.self), p, n)
    }

    /// eˣ where some lane lies outside [−87, 88]: out-of-range lanes are computed on harmless
    /// values and then fixed.
    @inline(never) @usableFromInline
    static func expOutsideRange(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let input = x
        let (value, p, n) = expParts(x.replacing(with: 0, where: .!(x .>= -1e9) .| (x .> 89)))  // NaN, ±∞
        var y = value
        y.replace(with: p * 0x1p127 * 2, where: n .== 128)  // 2¹²⁸ has no Float exponent; eˣ may still be finite
        y.replace(with: 0, where: input .< -87.33)
        y.replace(with: .infinity, where: input .> 88.72283)
        y.replace(with: input, where: input .!= input)
        return y
    }

    /// √x correctly rounded, as Float.squareRoot() gives it lane by lane (vsqrtps: the standard
    /// library's SIMD squareRoot calls the scalar one eight times, through libm's errno check).
    @inlinable @inline(__always)
    public static func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
        #if arch(x86_64)
        _mm256_sqrt_ps(x)
        #else
        x.squareRoot()
        #endif
    }

    /// erf(x): x·P(x²) for |x| < 0.875, ±(1 − e^{Q(|x|)}) up to 4, ±1 beyond.
    @_transparent
    public static func erf(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // |x| and the sign bit by bit masks: a lane-wise select here gets scalarized by LLVM.
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        let a = unsafeBitCast(bits & 0x7fff_ffff, to: SIMD8<Float>.self)
        let large = a .>= 0.875  // false for NaN
        var small = SIMD8<Float>()
        if !all(large) {
            let s = x * x, c = MathConstants.erfSmall
            var p = SIMD8<Float>(repeating: c.0)
            p = SIMD8<Float>(repeating: c.1).addingProduct(p, s)
            p = SIMD8<Float>(repeating: c.2).addingProduct(p, s)
            p = SIMD8<Float>(repeating: c.3).addingProduct(p, s)
            p = SIMD8<Float>(repeating: c.4).addingProduct(p, s)
            p = SIMD8<Float>(repeating: c.5).addingProduct(p, s)
            p = SIMD8<Float>(repeating: c.6).addingProduct(p, s)
            small = x * p
            if !any(large) { return small }
        }
        let c = MathConstants.erfTail
        var q = SIMD8<Float>(repeating: c.0)
        q = SIMD8<Float>(repeating: c.1).addingProduct(q, a)
        q = SIMD8<Float>(repeating: c.2).addingProduct(q, a)
        q = SIMD8<Float>(repeating: c.3).addingProduct(q, a)
        q = SIMD8<Float>(repeating: c.4).addingProduct(q, a)
        q = SIMD8<Float>(repeating: c.5).addingProduct(q, a)
        q = SIMD8<Float>(repeating: c.6).addingProduct(q, a)
        q = SIMD8<Float>(repeating: c.7).addingProduct(q, a)
        q = SIMD8<Float>(repeating: c.8).addingProduct(q, a)
        q = SIMD8<Float>(repeating: c.9).addingProduct(q, a)
        q = SIMD8<Float>(repeating: c.10).addingProduct(q, a)
        // Where 0.875 ≤ a < 4, Q lies in [−18, −1.5], inside exp's plain range; the other lanes
        // (a ≥ 4, NaN, small) are replaced below, so they go in as 0.
        var tail = 1 - expParts(q.replacing(with: 0, where: .!(a .< 4))).value
        tail.replace(with: 1, where: a .>= 4)
        tail = unsafeBitCast(unsafeBitCast(tail, to: SIMD8<UInt32>.self) | (bits & 0x8000_0000), to: SIMD8<Float>.self)
        return small.replacing(with: tail, where: large)
    }
}
