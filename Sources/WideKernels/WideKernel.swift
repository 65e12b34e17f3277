// GEMM's micro-kernel on 512-bit vectors (AVX-512F): a 6×32 block of C, twice the columns of the
// 6×16 AVX2 kernel (SIMDCore/GEMM.swift) per instruction.
//
// This module alone is compiled for skylake-avx512 (Package.swift), so its code may use AVX-512;
// nothing in it may run unless `WideKernel.available` says the processor and the OS support it.
// Every element of C sees exactly the arithmetic of the AVX2 kernel (one FMA per product, p in
// order, then the same store), so the results are the same bits whichever kernel runs. The code
// mirrors its 256-bit twins (GEMM.kernel, TrainingBenchmark.fmaChains) on SIMD16: Swift lowers
// SIMD code written generically over the width lane by lane (8 GFLOP/s instead of 136), so
// each width keeps its own copy.

import Foundation

public enum WideKernel {
    /// The CPU feature flags the OS reports (the `flags` line of /proc/cpuinfo); nil where
    /// there is no such file (macOS).
    public static let processorFlags: Set<String>? = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        return Set(line.split(separator: " ").map(String.init))
    }()

    /// True where the processor has the AVX-512 subsets this module is compiled for (F, CD, BW,
    /// DQ, VL) and the OS saves their registers (Linux lists the flags in /proc/cpuinfo only
    /// then). False elsewhere, macOS included.
    public static let available: Bool = {
        #if arch(x86_64) && os(Linux)
        guard let flags = processorFlags else { return false }
        return ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
        #else
        return false
        #endif
    }()

    /// C[6×32] (+)= six rows of A · [B panel 0 | B panel 1] over kc, with `bias` (32 values at
    /// this block's columns): C = bias + product. Row r of A, element p, is at
    /// a[r·lineStride + p·depthStep]; row p of B panel q at b_q + p·bStep. As GEMM.kernel for a
    /// full block, on two panels at once. Only where `available`.
    public static func multiply(_ kc: Int, _ a: UnsafePointer<Float>, lineStride: Int, depthStep: Int,
                                _ b0: UnsafePointer<Float>, _ b1: UnsafePointer<Float>, bStep: Int,
                                _ c: UnsafeMutablePointer<Float>, _ ldc: Int, accumulate: Bool, bias: UnsafePointer<Float>?) {
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
        let (l1, l2, l3, l4, l5) = (lineStride, 2 * lineStride, 3 * lineStride, 4 * lineStride, 5 * lineStride)
        var pa = a, p0 = b0, p1 = b1
        for _ in 0..<kc {
            let x0 = load16(p0), x1 = load16(p1)
            var x = SIMD16<Float>(repeating: pa[0])
            c00 = c00.addingProduct(x, x0); c01 = c01.addingProduct(x, x1)
            x = SIMD16<Float>(repeating: pa[l1])
            c10 = c10.addingProduct(x, x0); c11 = c11.addingProduct(x, x1)
            x = SIMD16<Float>(repeating: pa[l2])
            c20 = c20.addingProduct(x, x0); c21 = c21.addingProduct(x, x1)
            x = SIMD16<Float>(repeating: pa[l3])
            c30 = c30.addingProduct(x, x0); c31 = c31.addingProduct(x, x1)
            x = SIMD16<Float>(repeating: pa[l4])
            c40 = c40.addingProduct(x, x0); c41 = c41.addingProduct(x, x1)
            x = SIMD16<Float>(repeating: pa[l5])
            c50 = c50.addingProduct(x, x0); c51 = c51.addingProduct(x, x1)
            pa += depthStep
            p0 += bStep
            p1 += bStep
        }
        @inline(__always) func finish(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>, _ row: UnsafeMutablePointer<Float>) {
            if let bias {
                store16(load16(bias) + lo, row); store16(load16(bias + 16) + hi, row + 16)
            } else if accumulate {
                store16(load16(row) + lo, row); store16(load16(row + 16) + hi, row + 16)
            } else {
                store16(lo, row); store16(hi, row + 16)
            }
        }
        finish(c00, c01, c); finish(c10, c11, c + ldc); finish(c20, c21, c + 2 * ldc)
        finish(c30, c31, c + 3 * ldc); finish(c40, c41, c + 4 * ldc); finish(c50, c51, c + 5 * ldc)
    }

    /// One thread's share of the 512-bit FMA peak: 12 independent SIMD16 FMA chains, `iterations`
    /// long, no memory traffic (24·16 flops per iteration). Returns a value to keep.
    public static func fmaChains(iterations: Int, seed: Float) -> Float {
        precondition(available, "the AVX-512 peak measured on a processor without AVX-512F")
        let x = SIMD16<Float>(repeating: 0.999999), y = SIMD16<Float>(repeating: 1e-7)
        var (a0, a1, a2, a3) = (SIMD16<Float>(repeating: seed), SIMD16<Float>(repeating: seed + 1), SIMD16<Float>(repeating: seed + 2), SIMD16<Float>(repeating: seed + 3))
        var (a4, a5, a6, a7) = (a0 + 4, a1 + 4, a2 + 4, a3 + 4)
        var (a8, a9, a10, a11) = (a0 + 8, a1 + 8, a2 + 8, a3 + 8)
        for _ in 0..<iterations {
            a0 = y.addingProduct(a0, x); a1 = y.addingProduct(a1, x); a2 = y.addingProduct(a2, x)
            a3 = y.addingProduct(a3, x); a4 = y.addingProduct(a4, x); a5 = y.addingProduct(a5, x)
            a6 = y.addingProduct(a6, x); a7 = y.addingProduct(a7, x); a8 = y.addingProduct(a8, x)
            a9 = y.addingProduct(a9, x); a10 = y.addingProduct(a10, x); a11 = y.addingProduct(a11, x)
        }
        return ((a0 + a1 + a2 + a3) + (a4 + a5 + a6 + a7) + (a8 + a9 + a10 + a11)).sum()
    }
}

@inline(__always) func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always) func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}
