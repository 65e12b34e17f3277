// exp, erf and the exact GELU on 512-bit vectors (SIMD16<Float>), for the GELU that the GEMM
// epilogues apply; and the constants of those approximations, which SIMDCore's VectorMath
// (SIMD8, the definition, documented there) reads from here too.
//
// Every lane sees VectorMath's operations in VectorMath's order, so a lane's result is the same
// bits on either width (WideMathTests). Compiled for AVX-512 like the rest of this module: only
// where `WideKernel.available`. A copy per width, as for the GEMM kernel: Swift lowers SIMD code
// written generically over the width lane by lane.

/// Constants of exp and erf (polynomials highest degree first), one definition for both widths.
public enum MathConstants {
    /// Cody–Waite: n = round(x·log2 e), r = x − n·ln2 with ln 2 split into a high and a low part.
    @inlinable public static var log2e: Float { 1.442695041 }
    @inlinable public static var ln2High: Float { 0.693359375 }
    @inlinable public static var ln2Low: Float { -2.12194440e-4 }
    /// 1.5·2²³: adding it rounds a Float to an integer.
    @inlinable public static var roundingMagic: Float { 12582912 }
    /// e^r on |r| ≤ ln2/2: Taylor to degree 7 (remainder < 6e-9).
    @inlinable public static var expTaylor: (Float, Float, Float, Float, Float, Float, Float, Float) {
        (1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1, 1)
    }
    /// erf(x) = x·P(x²) for |x| < 0.875 (Tests/Reference/fit_erf.py).
    @inlinable public static var erfSmall: (Float, Float, Float, Float, Float, Float, Float) {
        (8.737620373722166e-05, -0.0008225871715694666, 0.005208075512200594, -0.026862144470214844,
         0.11283744126558304, -0.37612637877464294, 1.128379225730896)
    }
    /// erf(x) = ±(1 − e^{Q(|x|)}) for 0.875 ≤ |x| < 4 (Tests/Reference/fit_erf.py).
    @inlinable public static var erfTail: (Float, Float, Float, Float, Float, Float, Float, Float, Float, Float, Float) {
        (-3.807809889622149e-07, 7.936991096357815e-06, -7.17637303750962e-05, 0.0003503147163428366,
         -0.0007862873608246446, -0.0015039120335131884, 0.02119019255042076, -0.10442022979259491,
         -0.6357701420783997, -1.1286357641220093, 3.4526423405623063e-05)
    }
    /// Φ(x) = (1 + erf(x·√½))/2 and φ(x) = e^{−x²/2}/√(2π) of the exact GELU.
    @inlinable public static var squareRootOfHalf: Float { Float(0.5.squareRoot()) }
    @inlinable public static var inverseSquareRootOf2Pi: Float { Float(1 / (2 * Double.pi).squareRoot()) }
}

public enum WideMath {
    typealias V = SIMD16<Float>

    /// GELU over the first n − n % 16 elements (the caller does the rest): y = x·Φ(x), cdf = Φ(x).
    /// Returns the number done.
    public static func gelu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ cdf: UnsafeMutablePointer<Float>,
                            _ n: Int) -> Int {
        precondition(WideKernel.available, "512-bit GELU on a processor without AVX-512F")
        var i = 0
        while i + 16 <= n {
            let v = load16(x + i), p = (1 + erf(v * MathConstants.squareRootOfHalf)) * 0.5
            store16(v * p, y + i)
            store16(p, cdf + i)
            i += 16
        }
        return i
    }

    /// GELU's backward over the first n − n % 16 elements: dx = dy·(Φ(x) + x·φ(x)). Returns the number done.
    public static func geluBackward(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ cdf: UnsafePointer<Float>,
                                    _ dx: UnsafeMutablePointer<Float>, _ n: Int) -> Int {
        precondition(WideKernel.available, "512-bit GELU on a processor without AVX-512F")
        var i = 0
        while i + 16 <= n {
            let v = load16(x + i)
            let slope = load16(cdf + i).addingProduct(v, exp(v * v * -0.5) * MathConstants.inverseSquareRootOf2Pi)
            store16(load16(dy + i) * slope, dx + i)
            i += 16
        }
        return i
    }

    /// VectorMath.exp on sixteen lanes.
    @inline(__always)
    public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        if all((x .>= -87) .& (x .<= 88)) { return expParts(x).value }
        return expOutsideRange(x)
    }

    @inline(__always)
    static func expParts(_ x: V) -> (value: V, p: V, n: V) {
        let k = MathConstants.self, c = MathConstants.expTaylor
        let magic = V(repeating: k.roundingMagic)
        let t = (x * k.log2e) + magic
        let n = t - magic
        var r = x.addingProduct(n, V(repeating: -k.ln2High))
        r = r.addingProduct(n, V(repeating: -k.ln2Low))
        var p = V(repeating: c.0)
        p = V(repeating: c.1).addingProduct(p, r)
        p = V(repeating: c.2).addingProduct(p, r)
        p = V(repeating: c.3).addingProduct(p, r)
        p = V(repeating: c.4).addingProduct(p, r)
        p = V(repeating: c.5).addingProduct(p, r)
        p = V(repeating: c.6).addingProduct(p, r)
        p = V(repeating: c.7).addingProduct(p, r)
        let bits = (unsafeBitCast(t, to: SIMD16<Int32>.self) &- unsafeBitCast(magic, to: SIMD16<Int32>.self) &+ 127) &<< 23
        return (p * unsafeBitCast(bits, to: V.self), p, n)
    }

    @inline(never)
    static func expOutsideRange(_ x: V) -> V {
        let input = x
        let (value, p, n) = expParts(x.replacing(with: 0, where: .!(x .>= -1e9) .| (x .> 89)))
        var y = value
        y.replace(with: p * 0x1p127 * 2, where: n .== 128)
        y.replace(with: 0, where: input .< -87.33)
        y.replace(with: .infinity, where: input .> 88.72283)
        y.replace(with: input, where: input .!= input)
        return y
    }

    /// VectorMath.erf on sixteen lanes.
    @inline(__always)
    public static func erf(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
        let a = unsafeBitCast(bits & 0x7fff_ffff, to: V.self)
        let large = a .>= 0.875
        var small = V()
        if !all(large) {
            let s = x * x, c = MathConstants.erfSmall
            var p = V(repeating: c.0)
            p = V(repeating: c.1).addingProduct(p, s)
            p = V(repeating: c.2).addingProduct(p, s)
            p = V(repeating: c.3).addingProduct(p, s)
            p = V(repeating: c.4).addingProduct(p, s)
            p = V(repeating: c.5).addingProduct(p, s)
            p = V(repeating: c.6).addingProduct(p, s)
            small = x * p
            if !any(large) { return small }
        }
        let c = MathConstants.erfTail
        var q = V(repeating: c.0)
        q = V(repeating: c.1).addingProduct(q, a)
        q = V(repeating: c.2).addingProduct(q, a)
        q = V(repeating: c.3).addingProduct(q, a)
        q = V(repeating: c.4).addingProduct(q, a)
        q = V(repeating: c.5).addingProduct(q, a)
        q = V(repeating: c.6).addingProduct(q, a)
        q = V(repeating: c.7).addingProduct(q, a)
        q = V(repeating: c.8).addingProduct(q, a)
        q = V(repeating: c.9).addingProduct(q, a)
        q = V(repeating: c.10).addingProduct(q, a)
        var tail = 1 - expParts(q.replacing(with: 0, where: .!(a .< 4))).value
        tail.replace(with: 1, where: a .>= 4)
        tail = unsafeBitCast(unsafeBitCast(tail, to: SIMD16<UInt32>.self) | (bits & 0x8000_0000), to: V.self)
        return small.replacing(with: tail, where: large)
    }
}
