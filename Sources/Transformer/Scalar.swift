// The engine's number type: Float for training (as PyTorch does), Double for gradient checks.
//
// Every layer is written once, generic over `EngineScalar`, on SIMD8 vectors. The two types
// differ only in the primitives below: Float uses the SIMD core's vector exp/erf and packed GEMM,
// Double uses libm per lane and a plain triple loop (speed does not matter there).

import Foundation
import SIMDCore
import WideKernels

public protocol EngineScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable {
    static func exp(_ x: SIMD8<Self>) -> SIMD8<Self>
    static func erf(_ x: SIMD8<Self>) -> SIMD8<Self>
    /// C[m×n] (+)= op(A)[m×k]·op(B)[k×n]; op(X) = Xᵀ when `transX`; row strides lda, ldb, ldc.
    /// With `bias` (n values; not with `accumulate`): C = bias + op(A)·op(B), the bias added as
    /// if it had been copied into C first. `depthBlocks`: the blocks over K that the sums are
    /// taken in (GEMM.multiply); nil for the default. `epilogue` runs on finished blocks of C.
    static func gemm(m: Int, n: Int, k: Int,
                     _ a: UnsafePointer<Self>, lda: Int, transA: Bool,
                     _ b: UnsafePointer<Self>, ldb: Int, transB: Bool,
                     _ c: UnsafeMutablePointer<Self>, ldc: Int, accumulate: Bool, bias: UnsafePointer<Self>?, threads: Int,
                     depthBlocks: [Range<Int>]?, epilogue: GEMM.Epilogue?)

    // Row kernels. Generic SIMD8<S> arithmetic is lowered lane by lane even after specialization,
    // so Float implements these with concrete SIMD8<Float> code (AVX2), with the same arithmetic
    // as the generic defaults below, which Double uses.
    static func dot(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ n: Int) -> Self
    static func sum(_ x: UnsafePointer<Self>, _ n: Int) -> Self
    /// The largest of x[0..<n] as `m = x[0]; m = x[i] > m ? x[i] : m` finds it (NaN after x[0] skipped).
    static func maximum(_ x: UnsafePointer<Self>, _ n: Int) -> Self
    static func axpy(_ alpha: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    /// y[c] += x[r, c] for r = 0, 1, … in order, c < n (row stride `stride`): a bias gradient.
    static func addRows(_ x: UnsafePointer<Self>, rows: Int, stride: Int, into y: UnsafeMutablePointer<Self>, _ n: Int)
    /// dγ[c] += dy[r, c]·(x[r, c] − mean[r])·rstd[r] (one FMA), dβ[c] += dy[r, c], rows in order, c < n:
    /// LayerNorm's parameter gradients.
    static func addNormGradients(_ dy: UnsafePointer<Self>, _ x: UnsafePointer<Self>, mean: UnsafePointer<Self>,
                                 rstd: UnsafePointer<Self>, rows: Int, stride: Int,
                                 dGamma: UnsafeMutablePointer<Self>, dBeta: UnsafeMutablePointer<Self>, _ n: Int)
    /// y = x·Φ(x), cdf = Φ(x) = (1 + erf(x/√2))/2.
    static func gelu(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ cdf: UnsafeMutablePointer<Self>, _ n: Int)
    /// dx = dy·(Φ(x) + x·e^{−x²/2}/√(2π)).
    static func geluBackward(_ dy: UnsafePointer<Self>, _ x: UnsafePointer<Self>, _ cdf: UnsafePointer<Self>,
                             _ dx: UnsafeMutablePointer<Self>, _ n: Int)
    /// y = f(x − shift) elementwise (y may be x).
    static func map(_ f: ElementFunction, _ x: UnsafePointer<Self>, shift: Self, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    /// One AdamW step on elements 0..<n of the parameters p, gradients g and moments m, v
    /// (AdamW.swift gives the formula and the order of its operations).
    static func adamW(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ m: UnsafeMutablePointer<Self>,
                      _ v: UnsafeMutablePointer<Self>, _ n: Int, _ k: AdamWStep<Self>)

    // Attention's per-head products (HeadKernels.swift).
    static func rowDots(_ x: UnsafePointer<Self>, rows: Int, _ y: UnsafePointer<Self>, stride: Int, width: Int,
                        count: (Int) -> Int, into s: UnsafeMutablePointer<Self>, lds: Int)
    static func chainProduct(rows: Int, width: Int, _ x: UnsafePointer<Self>, rowStride: Int, depthStride: Int,
                             _ y: UnsafePointer<Self>, stride: Int, span: (Int) -> Range<Int>,
                             into c: UnsafeMutablePointer<Self>, ldc: Int)
}

public enum ElementFunction: Sendable { case exp, sigmoid, eluPlusOne }

extension EngineScalar {
    public static func dot(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ n: Int) -> Self {
        var acc = SIMD8<Self>()
        var i = 0
        while i + 8 <= n { acc = acc.addingProduct(load8(x + i), load8(y + i)); i += 8 }
        var s = lanes(acc)
        while i < n { s = s.addingProduct(x[i], y[i]); i += 1 }
        return s
    }

    public static func sum(_ x: UnsafePointer<Self>, _ n: Int) -> Self {
        var acc = SIMD8<Self>()
        var i = 0
        while i + 8 <= n { acc += load8(x + i); i += 8 }
        var s = lanes(acc)
        while i < n { s += x[i]; i += 1 }
        return s
    }

    public static func maximum(_ x: UnsafePointer<Self>, _ n: Int) -> Self {
        var m = x[0]
        for i in 1..<n where x[i] > m { m = x[i] }
        return m
    }

    public static func axpy(_ alpha: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int) {
        for i in 0..<n { y[i] = y[i].addingProduct(alpha, x[i]) }
    }

    public static func addRows(_ x: UnsafePointer<Self>, rows: Int, stride: Int, into y: UnsafeMutablePointer<Self>, _ n: Int) {
        for r in 0..<rows { axpy(1, x + r * stride, y, n) }
    }

    public static func addNormGradients(_ dy: UnsafePointer<Self>, _ x: UnsafePointer<Self>, mean: UnsafePointer<Self>,
                                        rstd: UnsafePointer<Self>, rows: Int, stride: Int,
                                        dGamma: UnsafeMutablePointer<Self>, dBeta: UnsafeMutablePointer<Self>, _ n: Int) {
        for r in 0..<rows {
            let xr = x + r * stride, dyr = dy + r * stride
            for i in 0..<n {
                dGamma[i] = dGamma[i].addingProduct(dyr[i], (xr[i] - mean[r]) * rstd[r])
                dBeta[i] += dyr[i]
            }
        }
    }

    public static func gelu(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ cdf: UnsafeMutablePointer<Self>, _ n: Int) {
        map8(n) { (i: Int, m: Int) in
            let v: SIMD8<Self> = load8(x + i, count: m)
            let phi = (1 + erf(v * Self(0.5.squareRoot()))) * 0.5
            store8(v * phi, y + i, count: m)
            store8(phi, cdf + i, count: m)
        }
    }

    public static func geluBackward(_ dy: UnsafePointer<Self>, _ x: UnsafePointer<Self>, _ cdf: UnsafePointer<Self>,
                                    _ dx: UnsafeMutablePointer<Self>, _ n: Int) {
        map8(n) { (i: Int, m: Int) in
            let v: SIMD8<Self> = load8(x + i, count: m)
            let pdf = exp(v * v * -0.5) * Self(1 / (2 * Double.pi).squareRoot())
            let c: SIMD8<Self> = load8(cdf + i, count: m)
            store8(load8(dy + i, count: m) * c.addingProduct(v, pdf), dx + i, count: m)
        }
    }

    public static func adamW(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ m: UnsafeMutablePointer<Self>,
                             _ v: UnsafeMutablePointer<Self>, _ n: Int, _ k: AdamWStep<Self>) {
        for i in 0..<n {
            p[i] *= k.decay
            m[i] += k.oneMinusBeta1 * (g[i] - m[i])
            v[i] = v[i] * k.beta2 + k.oneMinusBeta2 * g[i] * g[i]
            p[i] += (-k.stepSize * m[i]) / (v[i].squareRoot() / k.correction2 + k.epsilon)
        }
    }

    public static func map(_ f: ElementFunction, _ x: UnsafePointer<Self>, shift: Self, _ y: UnsafeMutablePointer<Self>, _ n: Int) {
        map8(n) { (i: Int, m: Int) in
            let v = load8(x + i, count: m) - shift
            switch f {
            case .exp: store8(exp(v), y + i, count: m)
            case .sigmoid: store8(1 / (1 + exp(-v)), y + i, count: m)
            case .eluPlusOne: store8(exp(v).replacing(with: v + 1, where: v .> 0), y + i, count: m)
            }
        }
    }
}

extension Float: EngineScalar {
    @inline(__always) public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> { VectorMath.exp(x) }
    @inline(__always) public static func erf(_ x: SIMD8<Float>) -> SIMD8<Float> { VectorMath.erf(x) }
    public static func gemm(m: Int, n: Int, k: Int,
                            _ a: UnsafePointer<Float>, lda: Int, transA: Bool,
                            _ b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                            _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, bias: UnsafePointer<Float>?, threads: Int,
                            depthBlocks: [Range<Int>]?, epilogue: GEMM.Epilogue?) {
        GEMM.multiply(m: m, n: n, k: k, MatrixOperand(a, rowStride: lda, transposed: transA),
                      MatrixOperand(b, rowStride: ldb, transposed: transB),
                      into: c, ldc: ldc, accumulate: accumulate, bias: bias, threads: threads,
                      depthBlocks: depthBlocks, epilogue: epilogue)
    }
}

extension Float {
    @inline(__always) public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= n { acc = acc.addingProduct(vload(x + i), vload(y + i)); i += 8 }
        var s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
        while i < n { s = s.addingProduct(x[i], y[i]); i += 1 }
        return s
    }

    @inline(__always) public static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= n { acc += vload(x + i); i += 8 }
        var s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
        while i < n { s += x[i]; i += 1 }
        return s
    }

    /// Eight running maxima, then the lanes and the tail in order. A maximum does not depend on
    /// the order it is taken in, except which of +0 and −0 wins a tie at the top; the engine uses
    /// it as the shift of exp(x − m) and adds it to log Σ exp(x − m) ≥ +0, the same bits for either.
    @inline(__always) public static func maximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: x[0])
        var i = 0
        while i + 8 <= n { let v = vload(x + i); lanes.replace(with: v, where: v .> lanes); i += 8 }
        var m = lanes[0]
        for l in 1..<8 where lanes[l] > m { m = lanes[l] }
        while i < n { if x[i] > m { m = x[i] }; i += 1 }
        return m
    }

    @inline(__always) public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = SIMD8<Float>(repeating: alpha)
        var i = 0
        while i + 8 <= n { vstore(vload(y + i).addingProduct(a, vload(x + i)), y + i); i += 8 }
        while i < n { y[i] = y[i].addingProduct(alpha, x[i]); i += 1 }
    }

    /// The sums stay in registers across the rows, eight columns at a time: each is the same
    /// sequence of FMAs (1·x + y) as `axpy` row after row, without storing y in between.
    public static func addRows(_ x: UnsafePointer<Float>, rows: Int, stride: Int, into y: UnsafeMutablePointer<Float>, _ n: Int) {
        let one = SIMD8<Float>(repeating: 1)
        var c = 0
        while c + 32 <= n {   // four vectors per row: each cache line read once
            var (a0, a1, a2, a3) = (vload(y + c), vload(y + c + 8), vload(y + c + 16), vload(y + c + 24))
            var p = x + c
            for _ in 0..<rows {
                a0 = a0.addingProduct(one, vload(p)); a1 = a1.addingProduct(one, vload(p + 8))
                a2 = a2.addingProduct(one, vload(p + 16)); a3 = a3.addingProduct(one, vload(p + 24))
                p += stride
            }
            vstore(a0, y + c); vstore(a1, y + c + 8); vstore(a2, y + c + 16); vstore(a3, y + c + 24)
            c += 32
        }
        while c + 8 <= n {
            var acc = vload(y + c)
            var p = x + c
            for _ in 0..<rows { acc = acc.addingProduct(one, vload(p)); p += stride }
            vstore(acc, y + c)
            c += 8
        }
        while c < n {
            var acc = y[c]
            for r in 0..<rows { acc = acc.addingProduct(1, x[r * stride + c]) }
            y[c] = acc
            c += 1
        }
    }

    /// As the generic version, eight columns at a time with dγ and dβ in registers across the rows.
    public static func addNormGradients(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                        rstd: UnsafePointer<Float>, rows: Int, stride: Int,
                                        dGamma: UnsafeMutablePointer<Float>, dBeta: UnsafeMutablePointer<Float>, _ n: Int) {
        var c = 0
        while c + 16 <= n {   // two vectors per row
            var (g0, g1, b0, b1) = (vload(dGamma + c), vload(dGamma + c + 8), vload(dBeta + c), vload(dBeta + c + 8))
            for r in 0..<rows {
                let (m, s) = (SIMD8<Float>(repeating: mean[r]), SIMD8<Float>(repeating: rstd[r]))
                let row = r * stride + c
                let (d0, d1) = (vload(dy + row), vload(dy + row + 8))
                g0 = g0.addingProduct(d0, (vload(x + row) - m) * s)
                g1 = g1.addingProduct(d1, (vload(x + row + 8) - m) * s)
                b0 += d0
                b1 += d1
            }
            vstore(g0, dGamma + c); vstore(g1, dGamma + c + 8); vstore(b0, dBeta + c); vstore(b1, dBeta + c + 8)
            c += 16
        }
        while c + 8 <= n {
            var g = vload(dGamma + c), b = vload(dBeta + c)
            for r in 0..<rows {
                let d = vload(dy + r * stride + c)
                g = g.addingProduct(d, (vload(x + r * stride + c) - SIMD8(repeating: mean[r])) * SIMD8(repeating: rstd[r]))
                b += d
            }
            vstore(g, dGamma + c)
            vstore(b, dBeta + c)
            c += 8
        }
        while c < n {
            for r in 0..<rows {
                let d = dy[r * stride + c]
                dGamma[c] = dGamma[c].addingProduct(d, (x[r * stride + c] - mean[r]) * rstd[r])
                dBeta[c] += d
            }
            c += 1
        }
    }

    /// On 512-bit vectors where GEMM uses them (WideMath: the same bits), the tail on 256-bit.
    public static func gelu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ cdf: UnsafeMutablePointer<Float>, _ n: Int) {
        @inline(__always) func phi(_ v: SIMD8<Float>) -> SIMD8<Float> { (1 + VectorMath.erf(v * MathConstants.squareRootOfHalf)) * 0.5 }
        var i = GEMM.vectors == .avx512 ? WideMath.gelu(x, y, cdf, n) : 0
        while i + 8 <= n {
            let v = vload(x + i), p = phi(v)
            vstore(v * p, y + i)
            vstore(p, cdf + i)
            i += 8
        }
        if i < n {
            let v = vload(x + i, count: n - i), p = phi(v)
            vstore(v * p, y + i, count: n - i)
            vstore(p, cdf + i, count: n - i)
        }
    }

    /// The generic loop's operations on eight lanes at a time (the tail zero-padded).
    public static func adamW(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                             _ v: UnsafeMutablePointer<Float>, _ n: Int, _ k: AdamWStep<Float>) {
        typealias V = SIMD8<Float>
        @inline(__always) func step(_ p: V, _ g: V, _ m: V, _ v: V) -> (p: V, m: V, v: V) {
            let m1 = m + k.oneMinusBeta1 * (g - m)
            let v1 = v * k.beta2 + k.oneMinusBeta2 * g * g
            return (p * k.decay + (-k.stepSize * m1) / (VectorMath.squareRoot(v1) / k.correction2 + k.epsilon), m1, v1)
        }
        var i = 0
        while i + 8 <= n {
            let r = step(vload(p + i), vload(g + i), vload(m + i), vload(v + i))
            vstore(r.p, p + i); vstore(r.m, m + i); vstore(r.v, v + i)
            i += 8
        }
        if i < n {
            let c = n - i
            let r = step(vload(p + i, count: c), vload(g + i, count: c), vload(m + i, count: c), vload(v + i, count: c))
            vstore(r.p, p + i, count: c); vstore(r.m, m + i, count: c); vstore(r.v, v + i, count: c)
        }
    }

    public static func geluBackward(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ cdf: UnsafePointer<Float>,
                                    _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        @inline(__always) func slope(_ v: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
            c.addingProduct(v, VectorMath.exp(v * v * -0.5) * MathConstants.inverseSquareRootOf2Pi)
        }
        var i = GEMM.vectors == .avx512 ? WideMath.geluBackward(dy, x, cdf, dx, n) : 0
        while i + 8 <= n {
            vstore(vload(dy + i) * slope(vload(x + i), vload(cdf + i)), dx + i)
            i += 8
        }
        if i < n {
            let m = n - i
            vstore(vload(dy + i, count: m) * slope(vload(x + i, count: m), vload(cdf + i, count: m)), dx + i, count: m)
        }
    }

    public static func map(_ f: ElementFunction, _ x: UnsafePointer<Float>, shift: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        @inline(__always) func apply(_ v: SIMD8<Float>) -> SIMD8<Float> {
            switch f {
            case .exp: VectorMath.exp(v)
            case .sigmoid: 1 / (1 + VectorMath.exp(-v))
            case .eluPlusOne: VectorMath.exp(v).replacing(with: v + 1, where: v .> 0)
            }
        }
        var i = 0
        while i + 8 <= n { vstore(apply(vload(x + i) - shift), y + i); i += 8 }
        if i < n { vstore(apply(vload(x + i, count: n - i) - shift), y + i, count: n - i) }
    }

    @inline(__always) static func vload(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) static func vstore(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// The first `count` lanes from memory, the rest 0: a separate, never-inlined path for tails
    /// (inlined, its lane-by-lane code made LLVM split the whole vector loop into halves).
    @inline(never) static func vload(_ p: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
        var v = SIMD8<Float>()
        for l in 0..<count { v[l] = p[l] }
        return v
    }

    @inline(never) static func vstore(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
        for l in 0..<count { p[l] = v[l] }
    }
}

extension Double: EngineScalar {
    public static func exp(_ x: SIMD8<Double>) -> SIMD8<Double> {
        var y = x
        for l in 0..<8 { y[l] = Foundation.exp(x[l]) }
        return y
    }
    public static func erf(_ x: SIMD8<Double>) -> SIMD8<Double> {
        var y = x
        for l in 0..<8 { y[l] = Foundation.erf(x[l]) }
        return y
    }
    public static func gemm(m: Int, n: Int, k: Int,
                            _ a: UnsafePointer<Double>, lda: Int, transA: Bool,
                            _ b: UnsafePointer<Double>, ldb: Int, transB: Bool,
                            _ c: UnsafeMutablePointer<Double>, ldc: Int, accumulate: Bool, bias: UnsafePointer<Double>?, threads: Int,
                            depthBlocks: [Range<Int>]?, epilogue: GEMM.Epilogue?) {
        // One running sum over all of K: the same bits for any blocks that would only skip zeros.
        for i in 0..<m {
            for j in 0..<n {
                var s: Double = bias?[j] ?? (accumulate ? c[i * ldc + j] : 0)
                for p in 0..<k {
                    s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j])
                }
                c[i * ldc + j] = s
            }
        }
        epilogue?(0 ..< m, 0 ..< n)
    }
}

// MARK: Row kernels (fixed order: eight lanes over full blocks, lanes summed pairwise, tail left to right)

@inline(__always) func load8<S: EngineScalar>(_ p: UnsafePointer<S>) -> SIMD8<S> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<S>.self)
}

@inline(__always) func store8<S: EngineScalar>(_ v: SIMD8<S>, _ p: UnsafeMutablePointer<S>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<S>.self)
}

@inline(__always) func lanes<S: EngineScalar>(_ v: SIMD8<S>) -> S {
    ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
}

@inline(__always) func dot<S: EngineScalar>(_ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ n: Int) -> S { S.dot(x, y, n) }
@inline(__always) func sum<S: EngineScalar>(_ x: UnsafePointer<S>, _ n: Int) -> S { S.sum(x, n) }
@inline(__always) func axpy<S: EngineScalar>(_ a: S, _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ n: Int) {
    S.axpy(a, x, y, n)
}

/// y[i] = f(x[i]) over SIMD8 blocks; the tail goes through one zero-padded vector, so every
/// element gets the same arithmetic wherever it sits.
@inline(__always) func map8(_ n: Int, _ body: (Int, Int) -> Void) {
    var i = 0
    while i + 8 <= n { body(i, 8); i += 8 }
    if i < n { body(i, n - i) }
}

@inline(__always) func load8<S: EngineScalar>(_ p: UnsafePointer<S>, count: Int) -> SIMD8<S> {
    if count == 8 { return load8(p) }
    var v = SIMD8<S>()
    for l in 0..<count { v[l] = p[l] }
    return v
}

@inline(__always) func store8<S: EngineScalar>(_ v: SIMD8<S>, _ p: UnsafeMutablePointer<S>, count: Int) {
    if count == 8 { store8(v, p); return }
    for l in 0..<count { p[l] = v[l] }
}
