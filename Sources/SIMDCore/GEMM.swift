// Float32 matrix multiply, C = A·B or C += A·B, on a register-blocked SIMD8 micro-kernel (and a
// SIMD16 one on two panels at once where the processor has AVX-512: WideKernels).
//
// Layout (BLIS style): C is cut into jobs of at most `tileRows` rows × a group of column panels;
// B is packed once into 16-column panels (or, for the tall weight-gradient products on 256-bit
// vectors, read in place; on 512-bit vectors those jobs pack their panels of B one depth block at
// a time instead); a job reads six rows of A at a time in place (or packs them into 6-row panels
// when A is transposed) and runs the 6×16 micro-kernel (twelve SIMD8<Float> accumulators, one FMA
// per product) over them, or the 6×32 one (twelve SIMD16<Float>) over two panels at once.
//
// Summation order, fixed by the problem size alone: C[i,j] = Σ over K-blocks of `kBlock`, in
// order, of an FMA chain over p in increasing order inside the block (or over the caller's
// `depthBlocks`: see `multiply`). Tiles are independent jobs, so the bits of C do not depend on
// `threads`, nor on the vectors the kernel uses.

import WideKernels

public struct MatrixOperand: @unchecked Sendable {
    public let base: UnsafePointer<Float>
    /// Distance between consecutive rows of the stored (untransposed) matrix.
    public let rowStride: Int
    /// When true the operand is the transpose of the stored matrix: element (r, c) = base[c·rowStride + r].
    public let transposed: Bool

    public init(_ base: UnsafePointer<Float>, rowStride: Int, transposed: Bool = false) {
        self.base = base
        self.rowStride = rowStride
        self.transposed = transposed
    }
}

public enum GEMM {
    /// Work on a finished block of C: its rows and columns.
    public typealias Epilogue = (_ rows: Range<Int>, _ columns: Range<Int>) -> Void

    /// The vectors of the micro-kernel: 256-bit (6×16 blocks, AVX2) everywhere, or 512-bit where
    /// the processor has them (6×32 blocks, AVX-512F: WideKernels), edges still on 256-bit. The
    /// bits of C are the same with either.
    public enum Vectors: String, CaseIterable, Sendable { case avx2, avx512 }
    /// The widest this processor runs.
    public static let widest: Vectors = WideKernel.available ? .avx512 : .avx2
    /// What `multiply` and the GELU epilogues use unless told otherwise (a benchmark may narrow it
    /// to compare).
    nonisolated(unsafe) public static var vectors = widest

    static let mr = 6, nr = 16
    public static let kBlock = 256
    static let tileRows = 96

    /// C[m×n] (row stride ldc) = A[m×k]·B[k×n], or C += A·B when `accumulate`, or with a `bias`
    /// (n values, not with `accumulate`) C = bias + A·B in the epilogue: the same additions as
    /// copying the bias into C first and accumulating, without the pass over C.
    ///
    /// B is packed once (all K-blocks, all 16-column panels); every job packs one tile of rows
    /// of A per K-block and sweeps its share of the column panels. How C is cut into jobs does
    /// not change any element's arithmetic, so the tiling may follow `threads` for balance.
    /// Where packing would not pay, the operands are read in place: rows of A that lie along K,
    /// and, on 256-bit vectors, B's full panels when B's rows lie along N and K > M (the weight
    /// gradients XᵀdY: a packed element of B would serve only M/6 kernels per K-block). The
    /// 512-bit kernel reads two panels per depth step, 32 KB per K-block, which in place (rows
    /// 512 B apart) map to a quarter of L1's sets: packed, those products run 3–11 % faster;
    /// there each job packs its panels per depth block, depth blocks outermost (see below).
    ///
    /// `epilogue(rows, columns)` is called once for every job's finished block of C (at most
    /// `tileRows` rows, all of K summed) while it is still in this core's cache, from the thread
    /// that made it: elementwise work that reads C there (GELU) saves a pass over memory.
    ///
    /// `depthBlocks` (consecutive, covering 0..<k, each at most `kBlock` long) replaces the
    /// K-blocks of `kBlock`: a product over some rows of a taller one (the loss positions of a
    /// batch) then sums in the blocks the taller product would have used, and so gets its bits
    /// (the other rows would have added exact zeros).
    public static func multiply(m: Int, n: Int, k: Int, _ a: MatrixOperand, _ b: MatrixOperand,
                                into c: UnsafeMutablePointer<Float>, ldc: Int,
                                accumulate: Bool = false, bias: UnsafePointer<Float>? = nil, threads: Int = 1,
                                depthBlocks: [Range<Int>]? = nil, vectors: Vectors = GEMM.vectors, epilogue: Epilogue? = nil) {
        precondition(vectors == .avx2 || WideKernel.available, "512-bit vectors asked for on a processor without AVX-512F")
        precondition(bias == nil || !accumulate, "a bias starts C; it cannot be added to an accumulated C")
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate {
                for i in 0..<m {
                    if let bias { (c + i * ldc).update(from: bias, count: n) } else { (c + i * ldc).update(repeating: 0, count: n) }
                }
            }
            epilogue?(0 ..< m, 0 ..< n)
            return
        }
        let blocks = depthBlocks ?? (0 ..< Parallel.chunkCount(k, kBlock)).map { Parallel.range($0, kBlock, k) }
        precondition(blocks.first?.lowerBound == 0 && blocks.last?.upperBound == k
                     && zip(blocks, blocks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }
                     && blocks.allSatisfy { !$0.isEmpty && $0.count <= kBlock }, "depth blocks must tile 0..<k")
        let panels = Parallel.chunkCount(n, nr)
        let microRows = Parallel.chunkCount(m, mr)

        /// The micro-kernels of one depth block over `rows` × panels `group` of C: six rows of A
        /// at a time from `rowsOfA(i)` (row i of `rows`: base, line stride, depth step), each B
        /// panel from `panel(jp)` (base, row step); two full panels side by side take the 512-bit
        /// kernel. The first depth block starts C (from the bias, if any), the others add to it.
        func sweep(_ rows: Range<Int>, _ group: Range<Int>, _ depth: Range<Int>, first: Bool,
                   _ rowsOfA: (Int) -> (UnsafePointer<Float>, Int, Int), _ panel: (Int) -> (UnsafePointer<Float>, Int)) {
            let add = accumulate || !first
            let start = first ? bias : nil
            var jp = group.lowerBound
            while jp < group.upperBound {
                let j = jp * nr
                let wide = vectors == .avx512 && jp + 1 < group.upperBound && j + 2 * nr <= n
                let (panel0, bStep) = panel(jp), panel1 = wide ? panel(jp + 1).0 : panel0
                var i = 0
                while i < rows.count {
                    let target = c + (rows.lowerBound + i) * ldc + j
                    let height = min(mr, rows.count - i)
                    let (a6, lineStride, depthStep) = rowsOfA(i)
                    if wide && height == mr {
                        WideKernel.multiply(depth.count, a6, lineStride: lineStride, depthStep: depthStep,
                                            panel0, panel1, bStep: bStep, target, ldc, accumulate: add, bias: start.map { $0 + j })
                    } else if wide {
                        // The last rows of a tile (M = 128 leaves two) come from a packed, zero-padded
                        // panel: the 512-bit kernel runs on it into a scratch block and the valid rows
                        // are finished as `finish` finishes an edge block (two 256-bit kernels took twice as long).
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: mr * 2 * nr) { scratch in
                            let t = scratch.baseAddress!
                            WideKernel.multiply(depth.count, a6, lineStride: lineStride, depthStep: depthStep,
                                                panel0, panel1, bStep: bStep, t, 2 * nr, accumulate: false, bias: nil)
                            for r in 0..<height {
                                for col in 0 ..< 2 * nr {
                                    let (v, out) = (t[r * 2 * nr + col], target + r * ldc + col)
                                    out.pointee = start.map { $0[j + col] + v } ?? (add ? out.pointee + v : v)
                                }
                            }
                        }
                    } else {
                        kernel(depth.count, a6, lineStride: lineStride, depthStep: depthStep, panel0, bStep: bStep,
                               target, ldc, rows: height, cols: min(nr, n - j), accumulate: add, bias: start.map { $0 + j })
                    }
                    i += mr
                }
                jp += wide ? 2 : 1
            }
        }

        // The weight gradients (Aᵀ, K > M) on 512-bit vectors, whose B is packed: each job sweeps
        // the depth blocks outermost and packs its own panels of B for one block at a time into a
        // buffer that stays in L2 (all of B packed up front went to memory and came back once per
        // row tile: its stores were 5 % of a step). The jobs split C along the dimension whose
        // operand is cheaper to pack twice: rows when n ≤ m (each job packs all of B), else columns.
        if a.transposed && vectors == .avx512 && k > m {
            let splitRows = n <= m
            let units = splitRows ? microRows : panels   // six-row panels of A, or panels of B
            let perJob = Parallel.chunkCount(units, min(threads, units)), jobs = Parallel.chunkCount(units, perJob)
            Parallel.forEach(jobs, threads: threads) { job in
                let share = Parallel.range(job, perJob, units)
                let (rows, group) = splitRows ? (mr * share.lowerBound ..< min(m, mr * share.upperBound), 0 ..< panels)
                                              : (0 ..< m, share)
                let columns = group.lowerBound * nr ..< min(n, group.upperBound * nr)
                let packedB = UnsafeMutablePointer<Float>.allocate(capacity: group.count * nr * kBlock)
                let packedA = UnsafeMutablePointer<Float>.allocate(capacity: tileRows * kBlock)
                defer { packedB.deallocate(); packedA.deallocate() }
                for (kb, depth) in blocks.enumerated() {
                    packPanels(b, rows: columns, depth: depth, width: nr, into: packedB, rowsAreColumns: true)
                    for r0 in stride(from: rows.lowerBound, to: rows.upperBound, by: tileRows) {
                        let tile = r0 ..< min(rows.upperBound, r0 + tileRows)
                        packPanels(a, rows: tile, depth: depth, width: mr, into: packedA, rowsAreColumns: false)
                        sweep(tile, group, depth, first: kb == 0, { (UnsafePointer(packedA + $0 * depth.count), 1, mr) },
                              { (UnsafePointer(packedB + ($0 - group.lowerBound) * nr * depth.count), nr) })
                    }
                }
                epilogue?(rows, columns)
            }
            return
        }

        let bInPlace = vectors == .avx2 && !b.transposed && k > m ? n / nr : 0   // panels read in place
        let packed = panels - bInPlace
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: packed * nr * k)
        defer { packedB.deallocate() }
        // The block over depth p0..<p1, panel jp, starts at p0·packed·nr + (jp − bInPlace)·(p1 − p0)·nr.
        if packed > 0 {
            Parallel.forEach(blocks.count, threads: threads) { kb in
                let depth = blocks[kb]
                packPanels(b, rows: bInPlace * nr ..< n, depth: depth, width: nr,
                           into: packedB + depth.lowerBound * packed * nr, rowsAreColumns: true)
            }
        }
        // Row tiles of at most `tileRows`, near-equal and as many as a multiple of the thread count
        // where there are enough rows, so that the threads finish together (m = 512 on two threads:
        // five tiles of 90 rows and one of 62, not five of 96 and one of 32).
        let tilesPerThread = Parallel.chunkCount(microRows, threads * (tileRows / mr))
        let tile = mr * Parallel.chunkCount(microRows, min(microRows, threads * tilesPerThread))
        let rowTiles = Parallel.chunkCount(m, tile)
        // Column groups give the threads more jobs than row tiles alone would; where A is packed
        // every group packs its tile again, so then only where the row tiles cannot be shared
        // out evenly (weight gradients with M = 128 on two threads: 488 µs instead of 527).
        let groupsWanted = a.transposed && rowTiles % threads == 0
            ? 1 : min(panels, max(1, Parallel.chunkCount(2 * threads, rowTiles)))
        let panelsPerGroup = Parallel.chunkCount(panels, groupsWanted)
        let columnGroups = Parallel.chunkCount(panels, panelsPerGroup)   // none empty (5 panels for 4: 2, 2, 1)
        Parallel.forEach(rowTiles * columnGroups, threads: threads) { job in
            let rows = Parallel.range(job / columnGroups, tile, m)
            let group = Parallel.range(job % columnGroups, panelsPerGroup, panels)
            // A whose rows lie along K in memory is read in place, six rows at a time; only a last
            // partial panel (zero-padded) and Aᵀ are packed.
            let inPlace = !a.transposed ? rows.count / mr * mr : 0
            let packedA = UnsafeMutablePointer<Float>.allocate(capacity: tileRows * kBlock)
            defer { packedA.deallocate() }
            for (kb, depth) in blocks.enumerated() {
                if inPlace < rows.count {
                    packPanels(a, rows: rows.lowerBound + inPlace ..< rows.upperBound, depth: depth, width: mr,
                               into: packedA + inPlace * depth.count, rowsAreColumns: false)
                }
                let blockB = packedB + depth.lowerBound * packed * nr
                sweep(rows, group, depth, first: kb == 0, { i in
                    // Six rows of A: in place (row step lda) or a packed panel (row step 1, depth step 6).
                    i < inPlace ? (a.base + (rows.lowerBound + i) * a.rowStride + depth.lowerBound, a.rowStride, 1)
                                : (UnsafePointer(packedA + i * depth.count), 1, mr)
                }, { jp in
                    // Panel jp over this depth: in place (row step ldb) or packed (row step 16).
                    jp < bInPlace ? (b.base + depth.lowerBound * b.rowStride + jp * nr, b.rowStride)
                                  : (UnsafePointer(blockB + (jp - bInPlace) * nr * depth.count), nr)
                })
            }
            epilogue?(rows, group.lowerBound * nr ..< min(n, group.upperBound * nr))
        }
    }

    /// Packs the operand's lines `rows` (rows of A, or columns of B when `rowsAreColumns`) over
    /// `depth` into panels of `width` lines: panel[p·width + line], zero-padded past the edge.
    static func packPanels(_ x: MatrixOperand, rows: Range<Int>, depth: Range<Int>, width: Int,
                           into out: UnsafeMutablePointer<Float>, rowsAreColumns: Bool) {
        // Element (line r, depth p): for A that is A(r, p); for B it is B(p, r).
        // Stored index = r·sr + p·sp.
        let lineIsStoredRow = rowsAreColumns == x.transposed
        let sr = lineIsStoredRow ? x.rowStride : 1
        let sp = lineIsStoredRow ? 1 : x.rowStride
        let kc = depth.count
        var panel = 0
        var r0 = rows.lowerBound
        if sr == 1 && width == 6 {
            // Six-line panels of lines side by side (Aᵀ of the weight gradients): depth by depth,
            // so that each stored row is read once for all the full panels (panel by panel, a
            // row 512 B long was fetched again for every panel: 7–13 % of those products).
            let full = rows.count / 6
            var src = x.base + (depth.lowerBound &* sp &+ r0)
            for p in 0..<kc {
                var line = src, row = out + p &* 6
                for _ in 0..<full {
                    let raw = UnsafeRawPointer(line), o = UnsafeMutableRawPointer(row)
                    o.storeBytes(of: raw.loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
                    (o + 16).storeBytes(of: (raw + 16).loadUnaligned(as: SIMD2<Float>.self), as: SIMD2<Float>.self)
                    line += 6
                    row += 6 &* kc
                }
                src += sp
            }
            panel = full
            r0 += 6 * full
        }
        while r0 < rows.upperBound {
            let lines = min(width, rows.upperBound - r0)
            let dst = out + panel * width * kc
            if lines < width { dst.update(repeating: 0, count: width * kc) }
            if sr == 1 && lines == width {
                // Lines side by side in memory (dW's B, W in dX): vector row copies.
                precondition(width == 16 || width == 6)
                var src = x.base + (depth.lowerBound &* sp &+ r0)
                var row = dst
                for _ in 0..<kc {
                    if width == 16 {
                        store8(load8(src), row)
                        store8(load8(src + 8), row + 8)
                    } else {  // width 6: four lanes, then two
                        let raw = UnsafeRawPointer(src), out = UnsafeMutableRawPointer(row)
                        out.storeBytes(of: raw.loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
                        (out + 16).storeBytes(of: (raw + 16).loadUnaligned(as: SIMD2<Float>.self), as: SIMD2<Float>.self)
                    }
                    src += sp
                    row += width
                }
            } else if sp == 1 {
                for l in 0..<lines {
                    let src = x.base + ((r0 &+ l) &* sr &+ depth.lowerBound)
                    for p in 0..<kc { dst[p &* width &+ l] = src[p] }
                }
            } else {
                for p in 0..<kc {
                    let src = x.base + ((depth.lowerBound &+ p) &* sp &+ r0 &* sr)
                    let row = dst + (p &* width)
                    for l in 0..<lines { row[l] = src[l &* sr] }
                }
            }
            panel += 1
            r0 += width
        }
    }

    /// 6×16 block of C (+)= six rows of A · B panel (kc×16); with `bias` (16 values at this
    /// block's columns), C = bias + product. Row r of A, element p, is at a[r·lineStride + p·depthStep]:
    /// a packed A panel (1, 6) or six rows read in place (lda, 1). Row p of the B panel is at
    /// b + p·bStep: packed (16) or in place (ldb).
    @inline(__always)
    static func kernel(_ kc: Int, _ a: UnsafePointer<Float>, lineStride: Int, depthStep: Int, _ b: UnsafePointer<Float>, bStep: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int, rows: Int, cols: Int, accumulate: Bool,
                       bias: UnsafePointer<Float>? = nil) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        let (l1, l2, l3, l4, l5) = (lineStride, 2 * lineStride, 3 * lineStride, 4 * lineStride, 5 * lineStride)
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0 = load8(pb), b1 = load8(pb + 8)
            var x = SIMD8<Float>(repeating: pa[0])
            c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[l1])
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[l2])
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[l3])
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[l4])
            c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[l5])
            c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
            pa += depthStep
            pb += bStep
        }
        finish(c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, into: c, ldc, rows: rows, cols: cols,
               accumulate: accumulate, bias: bias)
    }

    /// Stores a 6×16 block of accumulators: C = acc, C += acc, or C = bias + acc; an edge block
    /// (rows < 6 or cols < 16) through a scratch tile.
    @inline(__always)
    static func finish(_ c00: SIMD8<Float>, _ c01: SIMD8<Float>, _ c10: SIMD8<Float>, _ c11: SIMD8<Float>,
                       _ c20: SIMD8<Float>, _ c21: SIMD8<Float>, _ c30: SIMD8<Float>, _ c31: SIMD8<Float>,
                       _ c40: SIMD8<Float>, _ c41: SIMD8<Float>, _ c50: SIMD8<Float>, _ c51: SIMD8<Float>,
                       into c: UnsafeMutablePointer<Float>, _ ldc: Int, rows: Int, cols: Int, accumulate: Bool,
                       bias: UnsafePointer<Float>?) {
        if rows == 6 && cols == 16 {
            if let bias {
                let (b0, b1) = (load8(bias), load8(bias + 8))
                store8(b0 + c00, c); store8(b1 + c01, c + 8)
                store8(b0 + c10, c + ldc); store8(b1 + c11, c + ldc + 8)
                store8(b0 + c20, c + 2 * ldc); store8(b1 + c21, c + 2 * ldc + 8)
                store8(b0 + c30, c + 3 * ldc); store8(b1 + c31, c + 3 * ldc + 8)
                store8(b0 + c40, c + 4 * ldc); store8(b1 + c41, c + 4 * ldc + 8)
                store8(b0 + c50, c + 5 * ldc); store8(b1 + c51, c + 5 * ldc + 8)
                return
            }
            store(c00, c01, c, accumulate); store(c10, c11, c + ldc, accumulate)
            store(c20, c21, c + 2 * ldc, accumulate); store(c30, c31, c + 3 * ldc, accumulate)
            store(c40, c41, c + 4 * ldc, accumulate); store(c50, c51, c + 5 * ldc, accumulate)
            return
        }
        // Edge block: spill to a 6×16 scratch tile and copy the valid part.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 96) { tile in
            let t = tile.baseAddress!
            store(c00, c01, t, false); store(c10, c11, t + 16, false); store(c20, c21, t + 32, false)
            store(c30, c31, t + 48, false); store(c40, c41, t + 64, false); store(c50, c51, t + 80, false)
            for i in 0..<rows {
                for j in 0..<cols {
                    c[i * ldc + j] = bias.map { $0[j] + t[i * 16 + j] } ?? (accumulate ? c[i * ldc + j] + t[i * 16 + j] : t[i * 16 + j])
                }
            }
        }
    }

    @inline(__always)
    static func store(_ lo: SIMD8<Float>, _ hi: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        if accumulate {
            store8(load8(p) + lo, p)
            store8(load8(p + 8) + hi, p + 8)
        } else {
            store8(lo, p)
            store8(hi, p + 8)
        }
    }

    /// The plain triple loop with the same summation order (K-blocks, FMA chains), for tests.
    public static func reference(m: Int, n: Int, k: Int, _ a: MatrixOperand, _ b: MatrixOperand,
                                 into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false,
                                 bias: UnsafePointer<Float>? = nil, depthBlocks: [Range<Int>]? = nil) {
        func at(_ x: MatrixOperand, _ r: Int, _ s: Int) -> Float {
            x.transposed ? x.base[s * x.rowStride + r] : x.base[r * x.rowStride + s]
        }
        let blocks = depthBlocks ?? stride(from: 0, to: k, by: kBlock).map { $0 ..< min(k, $0 + kBlock) }
        for i in 0..<m {
            for j in 0..<n {
                let start = bias?[j] ?? c[i * ldc + j]
                var total: Float = accumulate || bias != nil ? start : 0
                for depth in blocks {
                    var block: Float = 0
                    for p in depth { block = block.addingProduct(at(a, i, p), at(b, p, j)) }
                    total = (depth.lowerBound == 0 && !accumulate && bias == nil) ? block : total + block
                }
                c[i * ldc + j] = total
            }
        }
    }
}

@inline(__always) @usableFromInline func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always) @usableFromInline func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
