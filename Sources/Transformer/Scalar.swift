// The engine's number type: Float for training (as PyTorch does), Double for gradient checks.
//
// Every layer is written once, generic over `EngineScalar`, on SIMD8 vectors. The two types
// differ only in the primitives below: Float uses the SIMD core's vector exp/erf and packed GEMM,
// Double uses libm per lane and a plain triple loop (speed does not matter there).

import Foundation
import SIMDCore

public protocol EngineScalar: BinaryFloatingPoint, SIMDScalar, Sendable {
    static func exp(_ x: SIMD8<Self>) -> SIMD8<Self>
    static func erf(_ x: SIMD8<Self>) -> SIMD8<Self>
    /// C[m×n] (+)= op(A)[m×k]·op(B)[k×n]; op(X) = Xᵀ when `transX`; row strides lda, ldb, ldc.
    static func gemm(m: Int, n: Int, k: Int,
                     _ a: UnsafePointer<Self>, lda: Int, transA: Bool,
                     _ b: UnsafePointer<Self>, ldb: Int, transB: Bool,
                     _ c: UnsafeMutablePointer<Self>, ldc: Int, accumulate: Bool, threads: Int)
}

extension Float: EngineScalar {
    @inline(__always) public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> { VectorMath.exp(x) }
    @inline(__always) public static func erf(_ x: SIMD8<Float>) -> SIMD8<Float> { VectorMath.erf(x) }
    public static func gemm(m: Int, n: Int, k: Int,
                            _ a: UnsafePointer<Float>, lda: Int, transA: Bool,
                            _ b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                            _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int) {
        GEMM.multiply(m: m, n: n, k: k, MatrixOperand(a, rowStride: lda, transposed: transA),
                      MatrixOperand(b, rowStride: ldb, transposed: transB),
                      into: c, ldc: ldc, accumulate: accumulate, threads: threads)
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
                            _ c: UnsafeMutablePointer<Double>, ldc: Int, accumulate: Bool, threads: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var s: Double = accumulate ? c[i * ldc + j] : 0
                for p in 0..<k {
                    s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j])
                }
                c[i * ldc + j] = s
            }
        }
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

/// Σᵢ xᵢyᵢ.
@inline(__always) func dot<S: EngineScalar>(_ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ n: Int) -> S {
    var acc = SIMD8<S>()
    var i = 0
    while i + 8 <= n { acc = acc.addingProduct(load8(x + i), load8(y + i)); i += 8 }
    var s = lanes(acc)
    while i < n { s = s.addingProduct(x[i], y[i]); i += 1 }
    return s
}

/// Σᵢ xᵢ.
@inline(__always) func sum<S: EngineScalar>(_ x: UnsafePointer<S>, _ n: Int) -> S {
    var acc = SIMD8<S>()
    var i = 0
    while i + 8 <= n { acc += load8(x + i); i += 8 }
    var s = lanes(acc)
    while i < n { s += x[i]; i += 1 }
    return s
}

/// y += αx.
@inline(__always) func axpy<S: EngineScalar>(_ alpha: S, _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ n: Int) {
    var i = 0
    let a = SIMD8<S>(repeating: alpha)
    while i + 8 <= n { store8(load8(y + i).addingProduct(a, load8(x + i)), y + i); i += 8 }
    while i < n { y[i] = y[i].addingProduct(alpha, x[i]); i += 1 }
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
