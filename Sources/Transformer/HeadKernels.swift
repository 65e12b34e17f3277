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
// versions vectorize over keys (rowDots) and keep 6×16 tiles of C in registers (chainProduct).

import SIMDCore

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
    /// `dot`'s pairs and the tail (width % 8) continues as `dot`'s scalar loop does.
    public static func rowDots(_ x: UnsafePointer<Float>, rows: Int, _ y: UnsafePointer<Float>, stride: Int, width: Int,
                               count: (Int) -> Int, into s: UnsafeMutablePointer<Float>, lds: Int) {
        let columns = (0..<rows).reduce(0) { max($0, count($1)) }
        if columns == 0 { return }
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

    /// Six rows × sixteen columns of C stay in registers over the depth their spans share;
    /// each row's own prefix and suffix run as single-row chains before and after, so every
    /// element sees its terms in ascending p.
    public static func chainProduct(rows: Int, width: Int, _ x: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                                    _ y: UnsafePointer<Float>, stride: Int, span: (Int) -> Range<Int>,
                                    into c: UnsafeMutablePointer<Float>, ldc: Int) {
        /// Row r over `depth`, one column block at a time.
        func chainColumns(_ r: Int, _ depth: Range<Int>, _ columns: Range<Int>) {
            let cr = c + r * ldc
            var col = columns.lowerBound
            while col + 16 <= columns.upperBound {   // two independent chains hide the FMA latency
                var (acc0, acc1) = (vload(cr + col), vload(cr + col + 8))
                for p in depth {
                    let (a, yp) = (SIMD8<Float>(repeating: x[r * rowStride + p * depthStride]), y + p * stride + col)
                    acc0 = acc0.addingProduct(a, vload(yp))
                    acc1 = acc1.addingProduct(a, vload(yp + 8))
                }
                vstore(acc0, cr + col)
                vstore(acc1, cr + col + 8)
                col += 16
            }
            while col + 8 <= columns.upperBound {
                var acc = vload(cr + col)
                for p in depth { acc = acc.addingProduct(SIMD8(repeating: x[r * rowStride + p * depthStride]), vload(y + p * stride + col)) }
                vstore(acc, cr + col)
                col += 8
            }
            while col < columns.upperBound {
                var acc = cr[col]
                for p in depth { acc = acc.addingProduct(x[r * rowStride + p * depthStride], y[p * stride + col]) }
                cr[col] = acc
                col += 1
            }
        }
        /// Rows r0 ..< r0 + 6 over `depth`, sixteen columns at a time; the rest by `chainColumns`.
        func tile(_ r0: Int, _ depth: Range<Int>) {
            let xr = x + r0 * rowStride, cr = c + r0 * ldc
            var col = 0
            while col + 16 <= width {
                var (c00, c01, c10, c11) = (vload(cr + col), vload(cr + col + 8), vload(cr + ldc + col), vload(cr + ldc + col + 8))
                var (c20, c21, c30, c31) = (vload(cr + 2 * ldc + col), vload(cr + 2 * ldc + col + 8),
                                            vload(cr + 3 * ldc + col), vload(cr + 3 * ldc + col + 8))
                var (c40, c41, c50, c51) = (vload(cr + 4 * ldc + col), vload(cr + 4 * ldc + col + 8),
                                            vload(cr + 5 * ldc + col), vload(cr + 5 * ldc + col + 8))
                for p in depth {
                    let yp = y + p * stride + col, xp = xr + p * depthStride
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
                vstore(c00, cr + col); vstore(c01, cr + col + 8); vstore(c10, cr + ldc + col); vstore(c11, cr + ldc + col + 8)
                vstore(c20, cr + 2 * ldc + col); vstore(c21, cr + 2 * ldc + col + 8)
                vstore(c30, cr + 3 * ldc + col); vstore(c31, cr + 3 * ldc + col + 8)
                vstore(c40, cr + 4 * ldc + col); vstore(c41, cr + 4 * ldc + col + 8)
                vstore(c50, cr + 5 * ldc + col); vstore(c51, cr + 5 * ldc + col + 8)
                col += 16
            }
            if col < width {
                let rest = col ..< width
                for r in 0..<6 { chainColumns(r0 + r, depth, rest) }
            }
        }

        for r in 0..<rows { (c + r * ldc).update(repeating: 0, count: width) }
        var r0 = 0
        while r0 < rows {
            let block = r0 ..< min(rows, r0 + 6)
            var (lower, upper) = (0, Int.max)   // the depth all six spans share
            for r in block { (lower, upper) = (max(lower, span(r).lowerBound), min(upper, span(r).upperBound)) }
            if block.count < 6 || lower >= upper {
                for r in block { chainColumns(r, span(r), 0 ..< width) }
            } else {
                for r in block { chainColumns(r, span(r).lowerBound ..< lower, 0 ..< width) }
                tile(r0, lower ..< upper)
                for r in block { chainColumns(r, upper ..< span(r).upperBound, 0 ..< width) }
            }
            r0 += 6
        }
    }
}
