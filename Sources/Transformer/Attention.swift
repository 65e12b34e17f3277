// The twelve attention kinds of docs/spec.md §4.2, forward and backward, one (sequence, head) at a time;
// the products q·kᵀ, A·v and their gradients go through HeadKernels' register-tiled kernels.
//
// Per head, with S = q kᵀ/√hd and j ranging over the keys a query may see (j ≤ i when causal):
//   softmax:  A = softmax_j(S) (masked S = −∞)          uniform: A = 1/(count + 1e-9)
//   sigmoid:  K = σ(S − c)      featureMap: K = φ(q)ᵀφ(k), φ = elu + 1 (no 1/√hd)
//   elu + 1:  K = elu(S) + 1    raw: K = S              mlp: K = m(q)ᵀm(k)/√hd (m = attn_mlp)
// (c = log n for sigmoid_logn_unnorm, else 0); masked K = 0 after the kernel, then A = K/(Σⱼ K + 1e-9), K/max(|Σⱼ K|, 1), or K ("unnorm").
// out_i = Σⱼ A_ij v_j. At the kink |Σⱼ K| = 1 the gradient takes the clamp branch (the
// normalizer's gradient flows, as torch.clamp(min: 1) does); sign(0) = 0 as torch.abs does.
//
// Shapes: q, k, v, out: [B·T × d] with head h in columns h·hd ..< (h+1)·hd; A, K: [B × H × T × T].

import CPrefetch
import Foundation
import SIMDCore

struct AttentionShape {
    let batch: Int, length: Int, heads: Int, headWidth: Int, causal: Bool
    /// c of the sigmoid kernel σ(S − c).
    var sigmoidShift = 0.0
    /// The query rows whose outputs are read, as runs of consecutive positions (a loss-rows
    /// pass's last block, `LossRows`): the others get A = 0 and no output, and their output
    /// gradient must be 0; then every other gradient has the bits of all rows.
    var queryRuns: [Range<Int>]? = nil
    var width: Int { heads * headWidth }
    var runs: [Range<Int>] { queryRuns ?? [0 ..< length] }
    /// The rows outside `queryRuns`.
    var skippedQueries: [Int] {
        guard let queryRuns else { return [] }
        return (0..<length).filter { i in !queryRuns.contains { $0.contains(i) } }
    }
    /// Whether a sequence's rows are few enough (≤ 4096 values, 16 KB of Float, per buffer: T = 12,
    /// not the language model's 128) to be asked for while the one before runs; more evicted what
    /// was in use.
    var prefetches: Bool { length * width <= 4096 }
    /// Keys visible from query i.
    func keys(_ i: Int) -> Int { causal ? i + 1 : length }
    /// Queries that see key j.
    func queries(_ j: Int) -> Range<Int> { causal ? j ..< length : 0 ..< length }
}

enum Attention {
    /// `inputs` are what the scores are made of: (q, k) for most kernels, (φq, φk) or (mq, mk).
    static func forward<S: EngineScalar>(_ kind: AttentionKind, _ sh: AttentionShape,
                                         queries: UnsafePointer<S>, keys: UnsafePointer<S>, values: UnsafePointer<S>,
                                         weights a: UnsafeMutablePointer<S>, kernel kk: UnsafeMutablePointer<S>,
                                         normalizers z: UnsafeMutablePointer<S>,
                                         out: UnsafeMutablePointer<S>, threads: Int) {
        StepProfile.measure(.attention) {
            let t = sh.length, hd = sh.headWidth, d = sh.width
            let scale = S(Double(hd).squareRoot())
            let (runs, skipped) = (sh.runs, sh.skippedQueries)
            let keepsK = kind.keepsKernelMap   // else the scores live in a per-sequence scratch
            // A chunk is a sequence: its heads share rows of q, k, v and out, so no two threads
            // write the same cache line.
            Parallel.forEach(sh.batch, threads: threads) { b in
                if b + 1 < sh.batch && sh.prefetches {
                    prefetch(sequence: b + 1, of: queries, sh); prefetch(sequence: b + 1, of: keys, sh)
                    prefetch(sequence: b + 1, of: values, sh)
                }
                withUnsafeTemporaryAllocation(of: S.self, capacity: keepsK ? 1 : t * t) { scratch in
                    for h in 0..<sh.heads {
                        let head = b * t * d + h * hd   // row 0 of this head's columns
                        let bh = b * sh.heads + h
                        let (ah, kh) = (a + bh * t * t, keepsK ? kk + bh * t * t : scratch.baseAddress!)
                        for run in runs {
                            S.rowDots(queries + head + run.lowerBound * d, rows: run.count, keys + head, stride: d, width: hd,
                                      count: { sh.keys(run.lowerBound + $0) }, into: kh + run.lowerBound * t, lds: t)
                        }
                        for i in skipped { (ah + i * t).update(repeating: 0, count: t) }
                        for i in runs.joined() {
                            let (ar, kr) = (ah + i * t, kh + i * t)
                            let n = sh.keys(i)
                            switch kind.kernel {
                            case .featureMap, .uniform: break
                            default: for j in 0..<n { kr[j] /= scale }
                            }
                            if keepsK { for j in n..<t { kr[j] = 0 } }
                            switch kind.kernel {
                            case .softmax:
                                S.map(.exp, kr, shift: S.maximum(kr, n), ar, n)
                                let total = sum(ar, n)
                                for j in 0..<n { ar[j] /= total }
                            case .uniform: for j in 0..<n { kr[j] = 1 }
                            case .sigmoid: S.map(.sigmoid, kr, shift: S(sh.sigmoidShift), kr, n)
                            case .eluPlusOne: S.map(.eluPlusOne, kr, shift: 0, kr, n)
                            case .featureMap, .raw, .mlp: break
                            }
                            for j in n..<t { ar[j] = 0 }
                            if kind.kernel != .softmax {
                                let total = sum(kr, n)
                                let norm: S
                                switch kind.normalizer {
                                case .none: norm = 1
                                case .sumPlusEpsilon: norm = total + S(1e-9)
                                case .clampedAbsoluteSum: norm = max(abs(total), 1)
                                }
                                z[bh * t + i] = norm
                                for j in 0..<n { ar[j] = kind.normalizer == .none ? kr[j] : kr[j] / norm }
                            }
                        }
                        // out_i = Σ_j A_ij v_j
                        for run in runs {
                            S.chainProduct(rows: run.count, width: hd, ah + run.lowerBound * t, rowStride: t, depthStride: 1,
                                           values + head, stride: d, span: { 0 ..< sh.keys(run.lowerBound + $0) },
                                           into: out + head + run.lowerBound * d, ldc: d)
                        }
                    }
                }
            }
        }
    }

    /// From d(out) to d(inputs) (scores' inputs: q/k, φq/φk or mq/mk) and dv; all written, not added.
    static func backward<S: EngineScalar>(_ kind: AttentionKind, _ sh: AttentionShape,
                                          queries: UnsafePointer<S>, keys: UnsafePointer<S>, values: UnsafePointer<S>,
                                          weights a: UnsafePointer<S>, kernel kk: UnsafePointer<S>,
                                          normalizers z: UnsafePointer<S>, dOut: UnsafePointer<S>,
                                          dQueries: UnsafeMutablePointer<S>, dKeys: UnsafeMutablePointer<S>,
                                          dValues: UnsafeMutablePointer<S>, threads: Int) {
        StepProfile.measure(.attention) {
            let t = sh.length, hd = sh.headWidth, d = sh.width
            let scale = S(Double(hd).squareRoot())
            let (runs, skipped) = (sh.runs, sh.skippedQueries)
            Parallel.forEach(sh.batch, threads: threads) { b in
                if b + 1 < sh.batch && sh.prefetches {
                    prefetch(sequence: b + 1, of: queries, sh); prefetch(sequence: b + 1, of: keys, sh)
                    prefetch(sequence: b + 1, of: values, sh); prefetch(sequence: b + 1, of: dOut, sh)
                    prefetch(mapsOf: b + 1, of: a, sh)
                    if kind.keepsKernelMap { prefetch(mapsOf: b + 1, of: kk, sh) }
                }
                withUnsafeTemporaryAllocation(of: S.self, capacity: t * t) { buffer in
                    let ds = buffer.baseAddress!   // dA, then dK, then dS, row by row
                    for h in 0..<sh.heads {
                        let head = b * t * d + h * hd
                        let bh = b * sh.heads + h
                        let (ah, kh) = (a + bh * t * t, kk + bh * t * t)
                        // dv_j = Σ_i A_ij·dout_i;  dA_ij = dout_i·v_j
                        S.chainProduct(rows: t, width: hd, ah, rowStride: 1, depthStride: t, dOut + head, stride: d,
                                       span: sh.queries, into: dValues + head, ldc: d)
                        if kind.kernel == .uniform {
                            for i in 0..<t {
                                (dQueries + head + i * d).update(repeating: 0, count: hd)
                                (dKeys + head + i * d).update(repeating: 0, count: hd)
                            }
                            continue
                        }
                        for run in runs {
                            S.rowDots(dOut + head + run.lowerBound * d, rows: run.count, values + head, stride: d, width: hd,
                                      count: { sh.keys(run.lowerBound + $0) }, into: ds + run.lowerBound * t, lds: t)
                        }
                        for i in skipped {
                            (ds + i * t).update(repeating: 0, count: t)
                            (dQueries + head + i * d).update(repeating: 0, count: hd)
                        }
                        for i in runs.joined() {
                            let (ar, kr, dsi) = (ah + i * t, kh + i * t, ds + i * t)
                            let n = sh.keys(i)
                            // dA → dK (normalizer) or dS (softmax)
                            let weighted = dot(dsi, ar, n)  // Σ_l dA_il A_il
                            switch kind.normalizer {
                            case _ where kind.kernel == .softmax:
                                for j in 0..<n { dsi[j] = ar[j] * (dsi[j] - weighted) }
                            case .none: break
                            case .sumPlusEpsilon:
                                for j in 0..<n { dsi[j] = (dsi[j] - weighted) / z[bh * t + i] }
                            case .clampedAbsoluteSum:
                                let total = sum(kr, n)
                                let sign: S = abs(total) >= 1 ? (total > 0 ? 1 : total < 0 ? -1 : 0) : 0
                                for j in 0..<n { dsi[j] = (dsi[j] - sign * weighted) / z[bh * t + i] }
                            }
                            // dK → dS (kernel)
                            switch kind.kernel {
                            case .sigmoid: for j in 0..<n { dsi[j] *= kr[j] * (1 - kr[j]) }
                            case .eluPlusOne: for j in 0..<n { dsi[j] *= min(kr[j], 1) }
                            default: break
                            }
                            if kind.kernel != .featureMap { for j in 0..<n { dsi[j] /= scale } }
                        }
                        // S_ij = q_i·k_j (/√hd): dq_i = Σ_j dS_ij k_j, dk_j = Σ_i dS_ij q_i
                        for run in runs {
                            S.chainProduct(rows: run.count, width: hd, ds + run.lowerBound * t, rowStride: t, depthStride: 1,
                                           keys + head, stride: d, span: { 0 ..< sh.keys(run.lowerBound + $0) },
                                           into: dQueries + head + run.lowerBound * d, ldc: d)
                        }
                        S.chainProduct(rows: t, width: hd, ds, rowStride: 1, depthStride: t, queries + head, stride: d,
                                       span: sh.queries, into: dKeys + head, ldc: d)
                    }
                }
            }
        }
    }
}

extension Attention {
    /// Asks the caches for sequence b's rows of a [B·T × d] buffer while the one before runs (a
    /// hint, no value changes): a head reads its columns of the rows, 512 B apart, which the
    /// hardware prefetcher follows late (induction's attention took 10 % longer without it).
    @inline(__always)
    static func prefetch<S>(sequence b: Int, of x: UnsafePointer<S>, _ sh: AttentionShape) {
        let count = sh.length * sh.width
        prefetch_range(x + b * count, count * MemoryLayout<S>.stride)
    }

    /// The same for sequence b's [H × T × T] maps.
    @inline(__always)
    static func prefetch<S>(mapsOf b: Int, of x: UnsafePointer<S>, _ sh: AttentionShape) {
        let count = sh.heads * sh.length * sh.length
        prefetch_range(x + b * count, count * MemoryLayout<S>.stride)
    }
}

/// φ(x) = elu(x) + 1 = eˣ for x ≤ 0, x + 1 above; φ' = min(φ, 1).
enum FeatureMap {
    static func forward<S: EngineScalar>(_ x: UnsafePointer<S>, count n: Int, into y: UnsafeMutablePointer<S>) {
        StepProfile.measure(.attention) {
            S.map(.eluPlusOne, x, shift: 0, y, n)
        }
    }

    /// dx = dy·min(φ, 1).
    static func backward<S: EngineScalar>(_ dy: UnsafePointer<S>, _ phi: UnsafePointer<S>, count n: Int,
                                          into dx: UnsafeMutablePointer<S>) {
        StepProfile.measure(.attention) {
            for i in 0..<n { dx[i] = dy[i] * min(phi[i], 1) }
        }
    }
}
