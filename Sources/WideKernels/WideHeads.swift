// Attention's two head products (Transformer/HeadKernels.swift) on 512-bit vectors: sixteen keys
// per vector in `rowDots`, twelve rows × sixteen columns of C in registers in `tile`, one row's
// sixteen columns per vector in `chainColumns`.
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
    /// X(r, p) = x[r·rowStride + p·depthStride]: twelve FMA chains from 0, p ascending. Where
    /// the twelve spans overlap all rows run; before and after that (a causal block's staircase)
    /// each row runs only where its span holds p.
    public static func tile(_ x: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ y: UnsafePointer<Float>, stride: Int,
                            span: (Int) -> Range<Int>, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: 12) { buffer in
            let spans = buffer.baseAddress!
            for r in 0..<12 { spans[r] = span(r) }
            tile(x, rowStride: rowStride, depthStride: depthStride, y, stride: stride, spans: spans, c, ldc: ldc)
        }
    }

    @inline(__always)
    static func tile(_ x: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ y: UnsafePointer<Float>, stride: Int,
                     spans: UnsafePointer<Range<Int>>, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        var (first, last, lower, upper) = (Int.max, 0, 0, Int.max)
        for r in 0..<12 {
            (first, last) = (min(first, spans[r].lowerBound), max(last, spans[r].upperBound))
            (lower, upper) = (max(lower, spans[r].lowerBound), min(upper, spans[r].upperBound))
        }
        upper = max(lower, upper)
        let (r1, r2, r3, r4, r5, r6) = (rowStride, 2 * rowStride, 3 * rowStride, 4 * rowStride, 5 * rowStride, 6 * rowStride)
        var (c0, c1, c2, c3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        var (c4, c5, c6, c7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        var (c8, c9, c10, c11) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        // Before, where and after every span holds p: a causal block's staircase (each row only where
        // its span holds p), all twelve rows, the staircase again.
        for segment in 0..<3 {
            let depth = segment == 0 ? first ..< lower : segment == 1 ? lower ..< upper : max(first, upper) ..< last
            for p in depth {
                let b = load16(y + p * stride), x0 = x + p * depthStride, x6 = x0 + r6
                if segment == 1 {
                    c0 = c0.addingProduct(SIMD16(repeating: x0[0]), b); c1 = c1.addingProduct(SIMD16(repeating: (x0 + r1).pointee), b)
                    c2 = c2.addingProduct(SIMD16(repeating: (x0 + r2).pointee), b); c3 = c3.addingProduct(SIMD16(repeating: (x0 + r3).pointee), b)
                    c4 = c4.addingProduct(SIMD16(repeating: (x0 + r4).pointee), b); c5 = c5.addingProduct(SIMD16(repeating: (x0 + r5).pointee), b)
                    c6 = c6.addingProduct(SIMD16(repeating: x6[0]), b); c7 = c7.addingProduct(SIMD16(repeating: (x6 + r1).pointee), b)
                    c8 = c8.addingProduct(SIMD16(repeating: (x6 + r2).pointee), b); c9 = c9.addingProduct(SIMD16(repeating: (x6 + r3).pointee), b)
                    c10 = c10.addingProduct(SIMD16(repeating: (x6 + r4).pointee), b); c11 = c11.addingProduct(SIMD16(repeating: (x6 + r5).pointee), b)
                } else {
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
        }
        store16(c0, c); store16(c1, c + ldc); store16(c2, c + 2 * ldc); store16(c3, c + 3 * ldc)
        store16(c4, c + 4 * ldc); store16(c5, c + 5 * ldc); store16(c6, c + 6 * ldc); store16(c7, c + 7 * ldc)
        store16(c8, c + 8 * ldc); store16(c9, c + 9 * ldc); store16(c10, c + 10 * ldc); store16(c11, c + 11 * ldc)
    }

    /// Row c (+)= Σ_{p ∈ depth} x[p·depthStep]·y[p·stride ..< +16k] over the columns 0 ..< 16·`vectors`:
    /// one chain per element, from 0 when `fresh` (else from C), two vectors at a time.
    public static func chainColumns(_ x: UnsafePointer<Float>, depthStep: Int, _ y: UnsafePointer<Float>, stride: Int,
                                    depth: Range<Int>, _ c: UnsafeMutablePointer<Float>, vectors: Int, fresh: Bool) {
        @inline(__always) func start(_ col: Int) -> SIMD16<Float> { fresh ? SIMD16() : load16(c + col) }
        var col = 0
        while col + 32 <= 16 * vectors {
            var (acc0, acc1) = (start(col), start(col + 16))
            for p in depth {
                let (a, yp) = (SIMD16<Float>(repeating: x[p * depthStep]), y + p * stride + col)
                acc0 = acc0.addingProduct(a, load16(yp))
                acc1 = acc1.addingProduct(a, load16(yp + 16))
            }
            store16(acc0, c + col)
            store16(acc1, c + col + 16)
            col += 32
        }
        if col < 16 * vectors {
            var acc = start(col)
            for p in depth { acc = acc.addingProduct(SIMD16(repeating: x[p * depthStep]), load16(y + p * stride + col)) }
            store16(acc, c + col)
        }
    }
}
