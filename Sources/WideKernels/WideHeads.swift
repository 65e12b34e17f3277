// Attention's two head products (Transformer/HeadKernels.swift) on 512-bit vectors: sixteen keys
// per vector in `rowDots`; twelve rows × sixteen or six rows × thirty-two columns of C in
// registers in the tiles.
//
// Every element sees the arithmetic of the 256-bit kernels, which is that of the row-by-row `dot`
// and `axpy` loops: the same FMA chains in the same order, the same lane sums, the same tails. So
// the results are the same bits whichever width runs. Only where `WideKernel.available`.

public enum WideHeads {
    /// S[i, j] = x_i · y_j for j < count(i), from yᵀ (yt[p·padded + j] = y_j[p], `padded` a multiple
    /// of 16 and at least every count, zeros past the last key). As `dot`: W_l[j] = Σ_c x_i[8c + l]·y_j[8c + l]
    /// (an FMA chain over c) on sixteen keys at once, lanes summed ((W0 + W1) + (W2 + W3)) + ((W4 + W5) + (W6 + W7)),
    /// then the width % 8 tail as FMAs on the sum. Full vectors go straight to S; a row's last
    /// partial one through a scratch vector (S's next row starts there).
    public static func rowDots(_ x: UnsafePointer<Float>, rows: Int, stride: Int, width: Int, count: (Int) -> Int,
                               transposed yt: UnsafePointer<Float>, padded: Int, into s: UnsafeMutablePointer<Float>, lds: Int) {
        let blocks = width / 8
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { scratch in
            let last = scratch.baseAddress!
            for i in 0..<rows {
                let xi = x + i * stride, n = count(i), si = s + i * lds
                var j = 0
                while j < n {
                    var (w0, w1, w2, w3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
                    var (w4, w5, w6, w7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
                    var column = yt + j
                    for c in 0..<blocks {
                        let q = xi + 8 * c
                        w0 = w0.addingProduct(SIMD16(repeating: q[0]), load16(column))
                        w1 = w1.addingProduct(SIMD16(repeating: q[1]), load16(column + padded))
                        w2 = w2.addingProduct(SIMD16(repeating: q[2]), load16(column + 2 * padded))
                        w3 = w3.addingProduct(SIMD16(repeating: q[3]), load16(column + 3 * padded))
                        w4 = w4.addingProduct(SIMD16(repeating: q[4]), load16(column + 4 * padded))
                        w5 = w5.addingProduct(SIMD16(repeating: q[5]), load16(column + 5 * padded))
                        w6 = w6.addingProduct(SIMD16(repeating: q[6]), load16(column + 6 * padded))
                        w7 = w7.addingProduct(SIMD16(repeating: q[7]), load16(column + 7 * padded))
                        column += 8 * padded
                    }
                    let full = j + 16 <= n, out = full ? si + j : last
                    store16(((w0 + w1) + (w2 + w3)) + ((w4 + w5) + (w6 + w7)), out)
                    if 8 * blocks < width { dotTail(out, xi, yt + j, padded, 8 * blocks ..< width) }
                    if !full { for l in 0 ..< n - j { si[j + l] = last[l] } }
                    j += 16
                }
            }
        }
    }

    /// `dot`'s scalar tail for sixteen keys, in memory: t += x[p]·yᵀ[p] for p in `depth`. Out of
    /// line, as its 256-bit twin (inlined, LLVM turned the lane sums before it into shuffles).
    @inline(never)
    static func dotTail(_ t: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ yt: UnsafePointer<Float>,
                        _ padded: Int, _ depth: Range<Int>) {
        var total = load16(t)
        for p in depth { total = total.addingProduct(SIMD16(repeating: x[p]), load16(yt + p * padded)) }
        store16(total, t)
    }

    /// Rows 0..<12 of C (row step ldc), columns 0..<16, = Σ_{p ∈ span(r)} X(r, p)·y[p·stride ..< +16],
    /// X(r, p) = x[r·rowStride + p·depthStride]: twelve FMA chains from 0, p ascending (see `segments`).
    public static func tile12x16(_ x: UnsafePointer<Float>, _ rowStride: Int, _ depthStride: Int, _ y: UnsafePointer<Float>, _ stride: Int,
                                 _ span: (Int) -> Range<Int>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        segments(12, span) { spans, segments in
            let (r1, r2, r3, r4, r5, r6) = (rowStride, 2 * rowStride, 3 * rowStride, 4 * rowStride, 5 * rowStride, 6 * rowStride)
            var (c0, c1, c2, c3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            var (c4, c5, c6, c7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            var (c8, c9, c10, c11) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            for segment in 0..<3 {
                let (depth, all) = (segment == 0 ? segments.before : segment == 1 ? segments.all : segments.after, segment == 1)
                for p in depth {
                    let b = load16(y + p * stride), x0 = x + p * depthStride, x6 = x0 + r6
                    if all {
                        c0 = c0.addingProduct(SIMD16(repeating: x0[0]), b); c1 = c1.addingProduct(SIMD16(repeating: (x0 + r1).pointee), b)
                        c2 = c2.addingProduct(SIMD16(repeating: (x0 + r2).pointee), b); c3 = c3.addingProduct(SIMD16(repeating: (x0 + r3).pointee), b)
                        c4 = c4.addingProduct(SIMD16(repeating: (x0 + r4).pointee), b); c5 = c5.addingProduct(SIMD16(repeating: (x0 + r5).pointee), b)
                        c6 = c6.addingProduct(SIMD16(repeating: x6[0]), b); c7 = c7.addingProduct(SIMD16(repeating: (x6 + r1).pointee), b)
                        c8 = c8.addingProduct(SIMD16(repeating: (x6 + r2).pointee), b); c9 = c9.addingProduct(SIMD16(repeating: (x6 + r3).pointee), b)
                        c10 = c10.addingProduct(SIMD16(repeating: (x6 + r4).pointee), b); c11 = c11.addingProduct(SIMD16(repeating: (x6 + r5).pointee), b)
                        continue
                    }
                    if spans[0].contains(p) { c0 = c0.addingProduct(SIMD16(repeating: x0[0]), b) }
                    if spans[1].contains(p) { c1 = c1.addingProduct(SIMD16(repeating: (x0 + r1).pointee), b) }
                    if spans[2].contains(p) { c2 = c2.addingProduct(SIMD16(repeating: (x0 + r2).pointee), b) }
                    if spans[3].contains(p) { c3 = c3.addingProduct(SIMD16(repeating: (x0 + r3).pointee), b) }
                    if spans[4].contains(p) { c4 = c4.addingProduct(SIMD16(repeating: (x0 + r4).pointee), b) }
                    if spans[5].contains(p) { c5 = c5.addingProduct(SIMD16(repeating: (x0 + r5).pointee), b) }
                    if spans[6].contains(p) { c6 = c6.addingProduct(SIMD16(repeating: x6[0]), b) }
                    if spans[7].contains(p) { c7 = c7.addingProduct(SIMD16(repeating: (x6 + r1).pointee), b) }
                    if spans[8].contains(p) { c8 = c8.addingProduct(SIMD16(repeating: (x6 + r2).pointee), b) }
                    if spans[9].contains(p) { c9 = c9.addingProduct(SIMD16(repeating: (x6 + r3).pointee), b) }
                    if spans[10].contains(p) { c10 = c10.addingProduct(SIMD16(repeating: (x6 + r4).pointee), b) }
                    if spans[11].contains(p) { c11 = c11.addingProduct(SIMD16(repeating: (x6 + r5).pointee), b) }
                }
            }
            store16(c0, c); store16(c1, c + ldc); store16(c2, c + 2 * ldc); store16(c3, c + 3 * ldc)
            store16(c4, c + 4 * ldc); store16(c5, c + 5 * ldc); store16(c6, c + 6 * ldc); store16(c7, c + 7 * ldc)
            store16(c8, c + 8 * ldc); store16(c9, c + 9 * ldc); store16(c10, c + 10 * ldc); store16(c11, c + 11 * ldc)
        }
    }

    /// Rows 0..<6 of C, columns 0..<32, as `tile12x16` (twelve FMA chains, half the broadcasts per term).
    public static func tile6x32(_ x: UnsafePointer<Float>, _ rowStride: Int, _ depthStride: Int, _ y: UnsafePointer<Float>, _ stride: Int,
                                _ span: (Int) -> Range<Int>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        segments(6, span) { spans, segments in
            let (r1, r2, r3, r4, r5) = (rowStride, 2 * rowStride, 3 * rowStride, 4 * rowStride, 5 * rowStride)
            var (c00, c01, c10, c11) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            var (c20, c21, c30, c31) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            var (c40, c41, c50, c51) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            for segment in 0..<3 {
                let (depth, all) = (segment == 0 ? segments.before : segment == 1 ? segments.all : segments.after, segment == 1)
                for p in depth {
                    let (yp, x0) = (y + p * stride, x + p * depthStride)
                    let (b0, b1) = (load16(yp), load16(yp + 16))
                    if all {
                        var a: SIMD16<Float>
                        a = SIMD16(repeating: x0[0]); c00 = c00.addingProduct(a, b0); c01 = c01.addingProduct(a, b1)
                        a = SIMD16(repeating: (x0 + r1).pointee); c10 = c10.addingProduct(a, b0); c11 = c11.addingProduct(a, b1)
                        a = SIMD16(repeating: (x0 + r2).pointee); c20 = c20.addingProduct(a, b0); c21 = c21.addingProduct(a, b1)
                        a = SIMD16(repeating: (x0 + r3).pointee); c30 = c30.addingProduct(a, b0); c31 = c31.addingProduct(a, b1)
                        a = SIMD16(repeating: (x0 + r4).pointee); c40 = c40.addingProduct(a, b0); c41 = c41.addingProduct(a, b1)
                        a = SIMD16(repeating: (x0 + r5).pointee); c50 = c50.addingProduct(a, b0); c51 = c51.addingProduct(a, b1)
                        continue
                    }
                    if spans[0].contains(p) { let a = SIMD16(repeating: x0[0]); c00 = c00.addingProduct(a, b0); c01 = c01.addingProduct(a, b1) }
                    if spans[1].contains(p) { let a = SIMD16(repeating: (x0 + r1).pointee); c10 = c10.addingProduct(a, b0); c11 = c11.addingProduct(a, b1) }
                    if spans[2].contains(p) { let a = SIMD16(repeating: (x0 + r2).pointee); c20 = c20.addingProduct(a, b0); c21 = c21.addingProduct(a, b1) }
                    if spans[3].contains(p) { let a = SIMD16(repeating: (x0 + r3).pointee); c30 = c30.addingProduct(a, b0); c31 = c31.addingProduct(a, b1) }
                    if spans[4].contains(p) { let a = SIMD16(repeating: (x0 + r4).pointee); c40 = c40.addingProduct(a, b0); c41 = c41.addingProduct(a, b1) }
                    if spans[5].contains(p) { let a = SIMD16(repeating: (x0 + r5).pointee); c50 = c50.addingProduct(a, b0); c51 = c51.addingProduct(a, b1) }
                }
            }
            store16(c00, c); store16(c01, c + 16); store16(c10, c + ldc); store16(c11, c + ldc + 16)
            store16(c20, c + 2 * ldc); store16(c21, c + 2 * ldc + 16); store16(c30, c + 3 * ldc); store16(c31, c + 3 * ldc + 16)
            store16(c40, c + 4 * ldc); store16(c41, c + 4 * ldc + 16); store16(c50, c + 5 * ldc); store16(c51, c + 5 * ldc + 16)
        }
    }

    /// A tile's depth in the order its terms run: before every row's span holds p (a causal
    /// block's staircase: each row only where its span holds p), where all do, after; and the
    /// `rows` spans.
    @inline(__always)
    static func segments(_ rows: Int, _ span: (Int) -> Range<Int>,
                         _ body: (UnsafePointer<Range<Int>>, (before: Range<Int>, all: Range<Int>, after: Range<Int>)) -> Void) {
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: rows) { buffer in
            let spans = buffer.baseAddress!
            var (first, last, lower, upper) = (Int.max, 0, 0, Int.max)
            for r in 0..<rows {
                spans[r] = span(r)
                (first, last) = (min(first, spans[r].lowerBound), max(last, spans[r].upperBound))
                (lower, upper) = (max(lower, spans[r].lowerBound), min(upper, spans[r].upperBound))
            }
            upper = max(lower, upper)
            body(spans, (first ..< lower, lower ..< upper, max(first, upper) ..< last))
        }
    }
}
