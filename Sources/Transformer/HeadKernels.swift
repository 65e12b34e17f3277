// The two products attention does per (sequence, head), with the arithmetic of row-by-row
// `dot` and `axpy` loops, so that the fast Float kernels give the same bits as those loops.
//
//   rowDots:      S[i, j] = x_i · y_j for j < count(i)         (each a `dot`: 8 lanes, lanes summed pairwise)
//   chainProduct: C[r, :] = Σ_{p ∈ span(r)} X(r, p)·Y[p, :]     (p ascending, one FMA chain per element from 0,
//                                                                as `axpy` into a zeroed row)
//
// x, y, Y: rows of `width` values at row stride `stride` (a head's columns inside [B·T × d]);
// X(r, p) = x[r·rowStride + p·depthStride], so X may be a T×T matrix or its transpose.
// The generic versions below are the definition (Double uses them); Float's register-tiled
// versions vectorize over keys (rowDots) and keep blocks of C in registers (chainProduct), on
// 512-bit vectors where rows are long (WideKernels/WideHeads.swift).

import SIMDCore
import WideKernels

extension EngineScalar {
    public static func rowDots(_ x: UnsafePointer<Self>, rows: Int, _ y: UnsafePointer<Self>, stride: Int, width: Int,
                               count: (Int) -> Int, into s: UnsafeMutablePointer<Self>, lds: Int) {
        for i in 0..<rows {
            for j in 0..<count(i) { s[i * lds + j] = dot(x + i * stride, y + j * stride, width) }
        }
    }

    public static func chainProduct(rows: Int, width: Int, _ x: UnsafePointer<Self>, rowStride: Int, depthStride: Int,
                                    _ y: UnsafePointer<Self>, stride: Int, span: (Int) -> Range<Int>,
                                    into c: UnsafeMutablePointer<Self>, ldc: Int) {
        for r in 0..<rows {
            let cr = c + r * ldc
            cr.update(repeating: 0, count: width)
            for p in span(r) { axpy(x[r * rowStride + p * depthStride], y + p * stride, cr, width) }
        }
    }
}

extension Float {
    /// Eight keys at a time: lane l of `dot`'s accumulator becomes a vector over the keys,
    /// W_l[j] = Σ_c x_i[8c + l]·y_j[8c + l] (an FMA chain over c), then the lanes are summed in
    /// `dot`'s pairs and the tail (width % 8) continues as `dot`'s scalar loop does. On 512-bit
    /// vectors, rows of ≥ 32 keys go sixteen keys at a time (`wideRowDots`).
    public static func rowDots(_ x: UnsafePointer<Float>, rows: Int, _ y: UnsafePointer<Float>, stride: Int, width: Int,
                               count: (Int) -> Int, into s: UnsafeMutablePointer<Float>, lds: Int) {
        rowDots(x, rows: rows, y, stride: stride, width: width, count: count, into: s, lds: lds, vectors: GEMM.vectors)
    }

    /// As above on the vectors asked for (a test compares the two).
    @inline(__always)
    public static func rowDots(_ x: UnsafePointer<Float>, rows: Int, _ y: UnsafePointer<Float>, stride: Int, width: Int,
                               count: (Int) -> Int, into s: UnsafeMutablePointer<Float>, lds: Int, vectors: GEMM.Vectors) {
        let columns = (0..<rows).reduce(0) { max($0, count($1)) }
        if columns == 0 { return }
        if vectors == .avx512 && columns >= 32 {   // at T = 12 sixteen keys per vector ran no faster in a step
            return wideRowDots(x, rows: rows, y, stride: stride, width: width, count: count, columns: columns, into: s, lds: lds)
        }
        let padded = (columns + 7) / 8 * 8
        let blocks = width / 8
        withUnsafeTemporaryAllocation(of: Float.self, capacity: (width + 1) * padded) { scratch in
            // yᵀ: yt[p·padded + j] = y_j[p], keys past `columns` zero; then one row of S.
            let yt = scratch.baseAddress!, row = yt + width * padded
            transpose(y, stride: stride, keys: columns, width: width, into: yt, padded: padded)
            for i in 0..<rows {
                let xi = x + i * stride, n = count(i)
                var j = 0
                while j < n {
                    var (w0, w1, w2, w3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                    var (w4, w5, w6, w7) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                    var column = yt + j
                    for c in 0..<blocks {
                        let q = xi + 8 * c
                        w0 = w0.addingProduct(SIMD8(repeating: q[0]), vload(column))
                        w1 = w1.addingProduct(SIMD8(repeating: q[1]), vload(column + padded))
                        w2 = w2.addingProduct(SIMD8(repeating: q[2]), vload(column + 2 * padded))
                        w3 = w3.addingProduct(SIMD8(repeating: q[3]), vload(column + 3 * padded))
                        w4 = w4.addingProduct(SIMD8(repeating: q[4]), vload(column + 4 * padded))
                        w5 = w5.addingProduct(SIMD8(repeating: q[5]), vload(column + 5 * padded))
                        w6 = w6.addingProduct(SIMD8(repeating: q[6]), vload(column + 6 * padded))
                        w7 = w7.addingProduct(SIMD8(repeating: q[7]), vload(column + 7 * padded))
                        column += 8 * padded
                    }
                    vstore(((w0 + w1) + (w2 + w3)) + ((w4 + w5) + (w6 + w7)), row + j)
                    if 8 * blocks < width { dotTail(row + j, xi, yt + j, padded, 8 * blocks ..< width) }
                    j += 8
                }
                (s + i * lds).update(from: row, count: n)
            }
        }
    }

    /// `rowDots` on 512-bit vectors (WideHeads), keys padded to sixteen.
    @inline(never)
    static func wideRowDots(_ x: UnsafePointer<Float>, rows: Int, _ y: UnsafePointer<Float>, stride: Int, width: Int,
                            count: (Int) -> Int, columns: Int, into s: UnsafeMutablePointer<Float>, lds: Int) {
        let padded = (columns + 15) / 16 * 16
        withUnsafeTemporaryAllocation(of: Float.self, capacity: width * padded) { yt in
            transpose(y, stride: stride, keys: columns, width: width, into: yt.baseAddress!, padded: padded)
            WideHeads.rowDots(x, rows: rows, stride: stride, width: width, count: count,
                              transposed: yt.baseAddress!, padded: padded, into: s, lds: lds)
        }
    }

    /// yt[p·padded + j] = y_j[p] for j < padded (0 past `keys`), p < width: 8×8 blocks
    /// transposed in registers by three rounds of the perfect unshuffle (each round takes the
    /// even lanes of vector pairs, then the odd ones), the last width % 8 depths one by one.
    @inline(__always)
    static func transpose(_ y: UnsafePointer<Float>, stride: Int, keys: Int, width: Int,
                          into yt: UnsafeMutablePointer<Float>, padded: Int) {
        for j0 in Swift.stride(from: 0, to: padded, by: 8) {
            @inline(__always) func key(_ j: Int, _ p0: Int) -> SIMD8<Float> {
                j0 + j < keys ? vload(y + (j0 + j) * stride + p0) : SIMD8()
            }
            var p0 = 0
            while p0 + 8 <= width {
                var v = (key(0, p0), key(1, p0), key(2, p0), key(3, p0), key(4, p0), key(5, p0), key(6, p0), key(7, p0))
                for _ in 0..<3 {
                    let a = SIMD16(lowHalf: v.0, highHalf: v.1), b = SIMD16(lowHalf: v.2, highHalf: v.3)
                    let c = SIMD16(lowHalf: v.4, highHalf: v.5), d = SIMD16(lowHalf: v.6, highHalf: v.7)
                    v = (a.evenHalf, b.evenHalf, c.evenHalf, d.evenHalf, a.oddHalf, b.oddHalf, c.oddHalf, d.oddHalf)
                }
                let o = yt + p0 * padded + j0
                vstore(v.0, o); vstore(v.1, o + padded); vstore(v.2, o + 2 * padded); vstore(v.3, o + 3 * padded)
                vstore(v.4, o + 4 * padded); vstore(v.5, o + 5 * padded); vstore(v.6, o + 6 * padded); vstore(v.7, o + 7 * padded)
                p0 += 8
            }
            for p in p0 ..< width {
                for j in j0 ..< j0 + 8 { yt[p * padded + j] = j < keys ? y[j * stride + p] : 0 }
            }
        }
    }

    /// `dot`'s scalar tail for eight keys: t += x[p]·yᵀ[p] for p in `depth`, in memory. Kept out
    /// of line: inlined (or passed a vector), it made LLVM turn the lane sums before it into slow
    /// lane-by-lane shuffles.
    @inline(never)
    static func dotTail(_ t: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ yt: UnsafePointer<Float>,
                        _ padded: Int, _ depth: Range<Int>) {
        var total = vload(t)
        for p in depth { total = total.addingProduct(SIMD8(repeating: x[p]), vload(yt + p * padded)) }
        vstore(total, t)
    }

    /// Rows go six at a time. Where the six spans share a long depth (≥ 16 terms: T = 128),
    /// six rows × sixteen columns stay in registers over it (twelve FMA chains), each row's own
    /// prefix and suffix running as single-row chains before and after (on 512-bit vectors, with
    /// at least 16 rows, `wideChainProduct` runs such blocks whole, staircases included). Where the spans share little
    /// (causal T = 12: spans 1…6 long share one term) the rows go in pairs, each row's 32-column
    /// blocks in registers (eight chains): the pair's depth is cut where a span starts or ends
    /// and each piece runs the chains of the rows whose span holds it. Either way every element
    /// sees its terms in ascending p.
    public static func chainProduct(rows: Int, width: Int, _ x: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                                    _ y: UnsafePointer<Float>, stride: Int, span: (Int) -> Range<Int>,
                                    into c: UnsafeMutablePointer<Float>, ldc: Int) {
        chainProduct(rows: rows, width: width, x, rowStride: rowStride, depthStride: depthStride, y, stride: stride,
                     span: span, into: c, ldc: ldc, vectors: GEMM.vectors)
    }

    /// As above on the vectors asked for (a test compares the two).
    @inline(__always)
    public static func chainProduct(rows: Int, width: Int, _ x: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                                    _ y: UnsafePointer<Float>, stride: Int, span: (Int) -> Range<Int>,
                                    into c: UnsafeMutablePointer<Float>, ldc: Int, vectors: GEMM.Vectors) {
        if vectors == .avx512 && width >= 16 && rows >= 16 {   // at T = 12 the 512-bit tiles ran slower in a step
            return wideChainProduct(rows: rows, width: width, x, rowStride: rowStride, depthStride: depthStride, y, stride: stride,
                                    span: span, into: c, ldc: ldc)
        }
        /// Row r over `depth` and `columns`: written (`fresh`: the chains start from 0) or added to C.
        func chain(_ r: Int, _ depth: Range<Int>, _ columns: Range<Int>, fresh: Bool = false) {
            chainColumns(x + r * rowStride, depthStride, y, stride, depth, c + r * ldc, columns, fresh: fresh)
        }
        var r0 = 0
        while r0 < rows {
            let block = r0 ..< min(rows, r0 + 6)
            var (lower, upper) = (0, Int.max)   // the depth all six spans share
            for r in block { (lower, upper) = (max(lower, span(r).lowerBound), min(upper, span(r).upperBound)) }
            if block.count == 6 && upper - lower >= 16 {
                for r in block { chain(r, span(r).lowerBound ..< lower, 0 ..< width, fresh: true) }
                var col = 0
                while col + 16 <= width {
                    tile(x + r0 * rowStride, rowStride, depthStride, y + col, stride, lower ..< upper, c + r0 * ldc + col, ldc)
                    col += 16
                }
                for r in block { chain(r, lower ..< upper, col ..< width) }
                for r in block { chain(r, upper ..< span(r).upperBound, 0 ..< width) }
            } else {
                for r in Swift.stride(from: r0, to: block.upperBound, by: 2) {
                    let pair = r + 1 < block.upperBound
                    let (first, second) = (span(r), pair ? span(r + 1) : 0 ..< 0)
                    var col = 0
                    while col + 32 <= width {
                        chainPair32(x + r * rowStride, x + (r + 1) * rowStride, depthStride, y + col, stride, first, second,
                                    c + r * ldc + col, c + (pair ? r + 1 : r) * ldc + col, pair)
                        col += 32
                    }
                    chain(r, first, col ..< width, fresh: true)
                    if pair { chain(r + 1, second, col ..< width, fresh: true) }
                }
            }
            r0 += 6
        }
    }

    /// `chainProduct` on 512-bit vectors: a block of rows whose spans share ≥ 16 terms runs whole
    /// on a WideHeads tile (six rows × 32 columns, or twelve × 16 for heads narrower than 32;
    /// the last columns as 256-bit chains); any other block as above.
    @inline(never)
    static func wideChainProduct(rows: Int, width: Int, _ x: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                                 _ y: UnsafePointer<Float>, stride: Int, span: (Int) -> Range<Int>,
                                 into c: UnsafeMutablePointer<Float>, ldc: Int) {
        let six = width >= 32, tall = six ? 6 : 12, covered = six ? width / 32 * 32 : width / 16 * 16
        var r0 = 0
        while r0 < rows {
            let block = r0 ..< min(rows, r0 + tall)
            var (lower, upper) = (0, Int.max)   // the depth all the block's spans share
            for r in block { (lower, upper) = (max(lower, span(r).lowerBound), min(upper, span(r).upperBound)) }
            let (xr, cr, base) = (x + r0 * rowStride, c + r0 * ldc, r0)
            if block.count < tall || upper - lower < 16 {
                chainProduct(rows: block.count, width: width, xr, rowStride: rowStride, depthStride: depthStride, y, stride: stride,
                             span: { span(base + $0) }, into: cr, ldc: ldc, vectors: .avx2)
            } else {
                for col in Swift.stride(from: 0, to: covered, by: six ? 32 : 16) {
                    if six {
                        WideHeads.tile6x32(xr, rowStride, depthStride, y + col, stride, { span(base + $0) }, cr + col, ldc)
                    } else {
                        WideHeads.tile12x16(xr, rowStride, depthStride, y + col, stride, { span(base + $0) }, cr + col, ldc)
                    }
                }
                for r in block {
                    chainColumns(x + r * rowStride, depthStride, y, stride, span(r), c + r * ldc, covered ..< width, fresh: true)
                }
            }
            r0 += tall
        }
    }

    /// Row c (+)= Σ_{p ∈ depth} x[p·depthStep]·y[p·stride ..< +width] over `columns`: one chain
    /// per element, from 0 when `fresh` (else from C), two column blocks at a time where there
    /// are sixteen. (Zeroing C first cost a `memset` call per row.)
    static func chainColumns(_ x: UnsafePointer<Float>, _ depthStep: Int, _ y: UnsafePointer<Float>, _ stride: Int,
                             _ depth: Range<Int>, _ c: UnsafeMutablePointer<Float>, _ columns: Range<Int>, fresh: Bool) {
        if depth.isEmpty && !fresh { return }
        @inline(__always) func start(_ col: Int) -> SIMD8<Float> { fresh ? SIMD8() : vload(c + col) }
        var col = columns.lowerBound
        while col + 16 <= columns.upperBound {
            var (acc0, acc1) = (start(col), start(col + 8))
            for p in depth {
                let (a, yp) = (SIMD8<Float>(repeating: x[p * depthStep]), y + p * stride + col)
                acc0 = acc0.addingProduct(a, vload(yp))
                acc1 = acc1.addingProduct(a, vload(yp + 8))
            }
            vstore(acc0, c + col)
            vstore(acc1, c + col + 8)
            col += 16
        }
        while col + 8 <= columns.upperBound {
            var acc = start(col)
            for p in depth { acc = acc.addingProduct(SIMD8(repeating: x[p * depthStep]), vload(y + p * stride + col)) }
            vstore(acc, c + col)
            col += 8
        }
        for j in col ..< columns.upperBound {
            var acc = fresh ? 0 : c[j]
            for p in depth { acc = acc.addingProduct(x[p * depthStep], y[p * stride + j]) }
            c[j] = acc
        }
    }

    /// Rows 0..<6 of C (row step ldc), columns 0..<16, += Σ_{p ∈ depth} X(r, p)·y[p·stride ..< +16],
    /// X(r, p) = x[r·rowStride + p·depthStride].
    @inline(__always)
    static func tile(_ x: UnsafePointer<Float>, _ rowStride: Int, _ depthStride: Int, _ y: UnsafePointer<Float>, _ stride: Int,
                     _ depth: Range<Int>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        var (c00, c01, c10, c11) = (vload(c), vload(c + 8), vload(c + ldc), vload(c + ldc + 8))
        var (c20, c21, c30, c31) = (vload(c + 2 * ldc), vload(c + 2 * ldc + 8), vload(c + 3 * ldc), vload(c + 3 * ldc + 8))
        var (c40, c41, c50, c51) = (vload(c + 4 * ldc), vload(c + 4 * ldc + 8), vload(c + 5 * ldc), vload(c + 5 * ldc + 8))
        for p in depth {
            let yp = y + p * stride, xp = x + p * depthStride
            let (b0, b1) = (vload(yp), vload(yp + 8))
            var a = SIMD8<Float>(repeating: xp[0])
            c00 = c00.addingProduct(a, b0); c01 = c01.addingProduct(a, b1)
            a = SIMD8(repeating: xp[rowStride])
            c10 = c10.addingProduct(a, b0); c11 = c11.addingProduct(a, b1)
            a = SIMD8(repeating: xp[2 * rowStride])
            c20 = c20.addingProduct(a, b0); c21 = c21.addingProduct(a, b1)
            a = SIMD8(repeating: xp[3 * rowStride])
            c30 = c30.addingProduct(a, b0); c31 = c31.addingProduct(a, b1)
            a = SIMD8(repeating: xp[4 * rowStride])
            c40 = c40.addingProduct(a, b0); c41 = c41.addingProduct(a, b1)
            a = SIMD8(repeating: xp[5 * rowStride])
            c50 = c50.addingProduct(a, b0); c51 = c51.addingProduct(a, b1)
        }
        vstore(c00, c); vstore(c01, c + 8); vstore(c10, c + ldc); vstore(c11, c + ldc + 8)
        vstore(c20, c + 2 * ldc); vstore(c21, c + 2 * ldc + 8); vstore(c30, c + 3 * ldc); vstore(c31, c + 3 * ldc + 8)
        vstore(c40, c + 4 * ldc); vstore(c41, c + 4 * ldc + 8); vstore(c50, c + 5 * ldc); vstore(c51, c + 5 * ldc + 8)
    }

    /// Columns 0..<32 of row c0 = Σ_{p ∈ first} x0[p·depthStep]·y[p·stride ..< +32] and, when
    /// `pair`, of row c1 over `second` with x1; p ascending.
    @inline(__always)
    static func chainPair32(_ x0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>, _ depthStep: Int,
                            _ y: UnsafePointer<Float>, _ stride: Int, _ first: Range<Int>, _ second: Range<Int>,
                            _ c0: UnsafeMutablePointer<Float>, _ c1: UnsafeMutablePointer<Float>, _ pair: Bool) {
        var (a0, a1, a2, a3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var (b0, b1, b2, b3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var p = min(first.lowerBound, second.isEmpty ? first.lowerBound : second.lowerBound)
        let end = max(first.upperBound, second.upperBound)
        while p < end {
            // The piece [p, next): the first cut past p; both, one or neither row's span holds it.
            var next = end
            @inline(__always) func cut(_ q: Int) { if q > p && q < next { next = q } }
            cut(first.lowerBound); cut(first.upperBound); cut(second.lowerBound); cut(second.upperBound)
            let (inFirst, inSecond) = (first.contains(p), second.contains(p))
            if inFirst && inSecond {
                for q in p ..< next {
                    let yq = y + q * stride
                    let (y0, y1, y2, y3) = (vload(yq), vload(yq + 8), vload(yq + 16), vload(yq + 24))
                    let (u, v) = (SIMD8<Float>(repeating: x0[q * depthStep]), SIMD8<Float>(repeating: x1[q * depthStep]))
                    a0 = a0.addingProduct(u, y0); a1 = a1.addingProduct(u, y1)
                    a2 = a2.addingProduct(u, y2); a3 = a3.addingProduct(u, y3)
                    b0 = b0.addingProduct(v, y0); b1 = b1.addingProduct(v, y1)
                    b2 = b2.addingProduct(v, y2); b3 = b3.addingProduct(v, y3)
                }
            } else if inFirst {
                for q in p ..< next {
                    let yq = y + q * stride, u = SIMD8<Float>(repeating: x0[q * depthStep])
                    a0 = a0.addingProduct(u, vload(yq)); a1 = a1.addingProduct(u, vload(yq + 8))
                    a2 = a2.addingProduct(u, vload(yq + 16)); a3 = a3.addingProduct(u, vload(yq + 24))
                }
            } else if inSecond {
                for q in p ..< next {
                    let yq = y + q * stride, v = SIMD8<Float>(repeating: x1[q * depthStep])
                    b0 = b0.addingProduct(v, vload(yq)); b1 = b1.addingProduct(v, vload(yq + 8))
                    b2 = b2.addingProduct(v, vload(yq + 16)); b3 = b3.addingProduct(v, vload(yq + 24))
                }
            }
            p = next
        }
        vstore(a0, c0); vstore(a1, c0 + 8); vstore(a2, c0 + 16); vstore(a3, c0 + 24)
        if pair { vstore(b0, c1); vstore(b1, c1 + 8); vstore(b2, c1 + 16); vstore(b3, c1 + 24) }
    }
}
