// Bits that must not depend on the thread count, and kernels against their references.

import Foundation
import SIMDCore
import Testing
import Transformer
import WideKernels

@Suite struct ThreadCountTests {
    /// Three AdamW steps of a 2-layer model (width 64, 4 heads, MLP, LayerNorm, causal) on 1, 2, 3
    /// and 8 threads: parameters, logits and attention maps are bit-identical.
    @Test(arguments: [AttentionKind.softmax, .mlpNorm, .sigmoidUnnorm])
    func trainingIsBitIdenticalForAnyThreadCount(kind: AttentionKind) {
        let config = ModelConfig(vocabulary: 50, outputs: 50, width: 64, layers: 2, heads: 4, attention: kind)
        let batch = 24, length = 12
        let tokens = (0..<batch * length).map { Int32(($0 * 37 + 11) % 50) }
        let targets = (0..<batch * length).map { Int32(($0 * 17 + 5) % 50) }
        let weights = (0..<length).map { Float($0 + 1) / Float(batch * length) }
        func train(threads: Int) -> ([Float], [Float], [Float]) {
            let model = TransformerModel(config, seed: 3, threads: threads)
            for _ in 0..<3 { model.trainStep(tokens: tokens, targets: targets, batch: batch, length: length, positionWeights: weights) }
            model.forward(tokens: tokens, batch: batch, length: length)
            return (model.parameters, Array(model.logits), Array(model.attentionMaps(layer: 1).weights))
        }
        let one = train(threads: 1)
        for threads in [2, 3, 8] {
            let other = train(threads: threads)
            #expect(one.0.map(\.bitPattern) == other.0.map(\.bitPattern), "parameters differ with \(threads) threads")
            #expect(one.1.map(\.bitPattern) == other.1.map(\.bitPattern), "logits differ with \(threads) threads")
            #expect(one.2.map(\.bitPattern) == other.2.map(\.bitPattern), "attention differs with \(threads) threads")
        }
    }
}

@Suite struct GEMMTests {
    /// The epilogue sees every element of C exactly once, after all of K is summed, on any
    /// number of threads (several K-blocks, edge tiles, row tiles split across threads).
    /// With A transposed and K > M (the weight gradients), on both ways of splitting C.
    @Test(arguments: [(1, 1, 1), (13, 33, 300), (100, 129, 513), (512, 40, 70), (100, 64, 513)])
    func epilogueSeesEveryFinishedElementOnce(m: Int, n: Int, k: Int) {
        let a = (0..<m * k).map { Float(($0 * 7) % 13) - 6 }, b = (0..<k * n).map { Float(($0 * 5) % 11) / 8 - 0.5 }
        for vectors in Self.vectorsHere {
            for (threads, transposed) in [(1, false), (2, false), (3, false), (1, true), (2, true)] {
                var c = [Float](repeating: 0, count: m * n)
                let seen = UnsafeMutablePointer<Float>.allocate(capacity: m * n), visits = UnsafeMutablePointer<Int>.allocate(capacity: m * n)
                defer { seen.deallocate(); visits.deallocate() }
                visits.initialize(repeating: 0, count: m * n)
                c.withUnsafeMutableBufferPointer { cp in
                    let out = cp.baseAddress!
                    GEMM.multiply(m: m, n: n, k: k, MatrixOperand(a, rowStride: transposed ? m : k, transposed: transposed),
                                  MatrixOperand(b, rowStride: n), into: out, ldc: n, threads: threads, vectors: vectors) { rows, columns in
                        for r in rows { for j in columns { seen[r * n + j] = out[r * n + j]; visits[r * n + j] += 1 } }
                    }
                }
                #expect((0..<m * n).allSatisfy { visits[$0] == 1 }, "m \(m) n \(n) k \(k) threads \(threads): every element once")
                #expect((0..<m * n).allSatisfy { seen[$0].bitPattern == c[$0].bitPattern }, "m \(m) n \(n) k \(k) threads \(threads): finished values")
            }
        }
    }

    /// The micro-kernels this processor runs: 256-bit, and 512-bit where it has AVX-512 (without
    /// it the 512-bit kernel cannot be tested here, and is never used).
    static let vectorsHere: [GEMM.Vectors] = GEMM.widest == .avx512 ? [.avx2, .avx512] : [.avx2]


    /// The packed kernel equals the plain triple loop with the same summation order bit for bit,
    /// for edge sizes, both transposes, several K-blocks, B read in place (K > M: every panel, or
    /// all but a partial one), caller-given K-blocks of 1 to 256 (LossRows' weight gradients)
    /// and 1, 2, 3 and 8 threads, on each micro-kernel the processor runs (the 512-bit one takes two full
    /// panels at once: odd panel counts, column groups and B in place included).
    @Test(arguments: [(1, 1, 1, nil), (7, 17, 5, nil), (13, 33, 300, nil), (100, 129, 513, nil), (6, 16, 256, nil),
                      (10, 32, 300, nil), (10, 32, 300, [0 ..< 1, 1 ..< 200, 200 ..< 256, 256 ..< 300]),
                      (12, 48, 300, nil), (30, 80, 40, nil), (20, 64, 600, nil), (100, 64, 513, nil), (40, 20, 300, nil),
                      (13, 33, 100, [0 ..< 37, 37 ..< 100])] as [(Int, Int, Int, [Range<Int>]?)])
    func packedKernelMatchesReferenceBitwise(m: Int, n: Int, k: Int, blocks: [Range<Int>]?) {
        var seed: UInt32 = 12345
        func next() -> Float { seed = seed &* 1664525 &+ 1013904223; return Float(Int(seed >> 8) - (1 << 23)) / Float(1 << 23) }
        let a = (0..<m * k).map { _ in next() }, b = (0..<k * n).map { _ in next() }, c0 = (0..<m * n).map { _ in next() }
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            for accumulate in [false, true] {
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        let opA = MatrixOperand(ap.baseAddress!, rowStride: ta ? m : k, transposed: ta)
                        let opB = MatrixOperand(bp.baseAddress!, rowStride: tb ? k : n, transposed: tb)
                        var expected = c0, uniform = c0
                        expected.withUnsafeMutableBufferPointer {
                            GEMM.reference(m: m, n: n, k: k, opA, opB, into: $0.baseAddress!, ldc: n, accumulate: accumulate,
                                           depthBlocks: blocks)
                        }
                        uniform.withUnsafeMutableBufferPointer {
                            GEMM.reference(m: m, n: n, k: k, opA, opB, into: $0.baseAddress!, ldc: n, accumulate: accumulate)
                        }
                        #expect(blocks == nil || uniform != expected, "the blocks must change some sums for the test to see them")
                        for threads in [1, 2, 3, 8] {
                            for vectors in Self.vectorsHere {
                                var got = c0
                                got.withUnsafeMutableBufferPointer {
                                    GEMM.multiply(m: m, n: n, k: k, opA, opB, into: $0.baseAddress!, ldc: n,
                                                  accumulate: accumulate, threads: threads, depthBlocks: blocks, vectors: vectors)
                                }
                                #expect(got.map(\.bitPattern) == expected.map(\.bitPattern),
                                        "m \(m) n \(n) k \(k) transA \(ta) transB \(tb) accumulate \(accumulate) threads \(threads) \(vectors)")
                            }
                        }
                    }
                }
            }
        }
    }

    /// A bias in the epilogue gives the bits of copying the bias into every row of C and
    /// accumulating (what Linear.forward did before), edges, several K-blocks and threads included.
    @Test(arguments: [(1, 1, 1), (7, 17, 5), (13, 33, 300), (100, 129, 513), (6, 16, 256), (3072, 512, 128)])
    func biasEpilogueEqualsCopyThenAccumulate(m: Int, n: Int, k: Int) {
        var seed: UInt32 = 777
        func next() -> Float { seed = seed &* 1664525 &+ 1013904223; return Float(Int(seed >> 8) - (1 << 23)) / Float(1 << 23) }
        let a = (0..<m * k).map { _ in next() }, b = (0..<n * k).map { _ in next() }, bias = (0..<n).map { _ in 3 * next() }
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                bias.withUnsafeBufferPointer { biasp in
                    let opA = MatrixOperand(ap.baseAddress!, rowStride: k), opB = MatrixOperand(bp.baseAddress!, rowStride: k, transposed: true)
                    var expected = (0..<m).flatMap { _ in bias }
                    expected.withUnsafeMutableBufferPointer {
                        GEMM.multiply(m: m, n: n, k: k, opA, opB, into: $0.baseAddress!, ldc: n, accumulate: true, threads: 1)
                    }
                    var reference = [Float](repeating: .nan, count: m * n)
                    reference.withUnsafeMutableBufferPointer {
                        GEMM.reference(m: m, n: n, k: k, opA, opB, into: $0.baseAddress!, ldc: n, bias: biasp.baseAddress!)
                    }
                    #expect(reference.map(\.bitPattern) == expected.map(\.bitPattern), "reference, m \(m) n \(n) k \(k)")
                    for threads in 1...3 {
                        for vectors in Self.vectorsHere {
                            var got = [Float](repeating: .nan, count: m * n)
                            got.withUnsafeMutableBufferPointer {
                                GEMM.multiply(m: m, n: n, k: k, opA, opB, into: $0.baseAddress!, ldc: n, bias: biasp.baseAddress!,
                                              threads: threads, vectors: vectors)
                            }
                            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "m \(m) n \(n) k \(k) threads \(threads) \(vectors)")
                        }
                    }
                }
            }
        }
    }
}

@Suite struct VectorMathTests {
    static func ulps(_ got: Float, _ exact: Double) -> Double {
        let rounded = Float(exact)
        let ulp = rounded == 0 ? Double(Float.leastNonzeroMagnitude) : Double(rounded.ulp)
        return abs(Double(got) - exact) / ulp
    }

    /// exp < 1 ulp on [−87, 88.7] (normal results), erf < 2.5 ulp on [−5, 5], against libm in Float64.
    @Test func accuracyAgainstDoublePrecision() {
        var worstExp = 0.0, worstErf = 0.0
        var x: Float = -87
        while x < 88.7 {
            var v = SIMD8<Float>()
            for l in 0..<8 { v[l] = x + Float(l) * 0.000731 }
            let e = VectorMath.exp(v), f = VectorMath.erf(v * (5 / 88.7))
            for l in 0..<8 {
                worstExp = max(worstExp, Self.ulps(e[l], Foundation.exp(Double(v[l]))))
                worstErf = max(worstErf, Self.ulps(f[l], Foundation.erf(Double(v[l] * (5 / 88.7)))))
            }
            x += 0.0119
        }
        #expect(worstExp < 1 && worstErf < 2.5, "exp \(worstExp) ulp, erf \(worstErf) ulp")
    }

    /// A lane's bits are its own: alone in a vector, where exp and erf skip the paths no lane
    /// needs (exp's range fix-ups, one of erf's polynomials), a value gives the same bits as
    /// beside neighbours that need every path.
    @Test func lanesDoNotDependOnTheirNeighbours() {
        var values: [Float] = []
        var x: Float = -95
        while x < 95 { values.append(x); x += 0.00731 }
        let edges: [Float] = [88, 88.72, 88.72283, 89, -87, -87.33, 0.875 * Float(2).squareRoot(), 4 * Float(2).squareRoot(), 0, 1e-30]
        for edge in edges {
            values += [edge, edge.nextUp, edge.nextDown, -edge, (-edge).nextUp, (-edge).nextDown]
        }
        let neighbours: [Float] = [.nan, .infinity, 100, -100, 0.1, 2, 6]
        var mismatches: [String] = []
        for x in values {
            let alone = SIMD8<Float>(repeating: x)
            let (e, f) = (VectorMath.exp(alone)[5], VectorMath.erf(alone * Float(0.5.squareRoot()))[5])
            for other in neighbours {
                var mixed = SIMD8<Float>(repeating: other)
                mixed[5] = x
                let (em, fm) = (VectorMath.exp(mixed)[5], VectorMath.erf(mixed * Float(0.5.squareRoot()))[5])
                if e.bitPattern != em.bitPattern { mismatches.append("exp(\(x)) \(e) alone, \(em) beside \(other)") }
                if f.bitPattern != fm.bitPattern { mismatches.append("erf(\(x)/√2) \(f) alone, \(fm) beside \(other)") }
            }
        }
        let consistent = mismatches.isEmpty
        #expect(consistent, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
    }

    @Test func specialValues() {
        let e = VectorMath.exp(SIMD8<Float>(-.infinity, .nan, 0, -100, 100, 88.7, 89, -87.4))
        #expect(e[0] == 0 && e[1].isNaN && e[2] == 1 && e[3] == 0 && e[4] == .infinity)
        #expect(e[5].isFinite && e[5] > 3e38 && e[6] == .infinity && e[7] == 0)
        let f = VectorMath.erf(SIMD8<Float>(0, 4, -4, 10, -10, .infinity, -.infinity, 1e-30))
        #expect(f[0] == 0 && f[1] == 1 && f[2] == -1 && f[3] == 1 && f[4] == -1 && f[5] == 1 && f[6] == -1 && f[7] == 1e-30 * 1.128379225730896)
    }

    /// The vector √ gives Float.squareRoot()'s bits lane by lane: a stride over every bit pattern
    /// (negatives, NaNs, infinities and subnormals included) and the signed zeros.
    @Test func squareRootEqualsTheScalarOne() {
        var differing = 0
        var pattern: UInt32 = 0
        while true {
            var x = SIMD8<Float>(), expected = SIMD8<Float>()
            for l in 0..<8 { x[l] = Float(bitPattern: pattern &+ UInt32(l) &* 977); expected[l] = x[l].squareRoot() }
            let got = VectorMath.squareRoot(x)
            for l in 0..<8 where got[l].bitPattern != expected[l].bitPattern && !(got[l].isNaN && expected[l].isNaN) { differing += 1 }
            let (next, overflow) = pattern.addingReportingOverflow(8 * 977 * 101)
            if overflow { break }
            pattern = next
        }
        let zeros = VectorMath.squareRoot(SIMD8<Float>(0, -0.0, 1, 4, 2, .infinity, -1, .leastNonzeroMagnitude))
        #expect(differing == 0)
        #expect(zeros[0].bitPattern == 0 && zeros[1].bitPattern == (-0.0 as Float).bitPattern && zeros[2] == 1 && zeros[3] == 2
                && zeros[4] == Float(2).squareRoot() && zeros[5] == .infinity && zeros[6].isNaN && zeros[7] == Float.leastNonzeroMagnitude.squareRoot())
    }
}

@Suite struct WideMathTests {
    /// Sweeps, edges and special values, sixteen at a time (neighbours that take different paths)
    /// and each value alone.
    static var inputs: [Float] {
        var values: [Float] = []
        var x: Float = -95
        while x < 95 { values.append(x); x += 0.00731 }
        for edge: Float in [88, 88.72, 88.72283, 89, -87, -87.33, 0.875, 4, 0.875 * Float(2).squareRoot(), 4 * Float(2).squareRoot(), 1e-30] {
            values += [edge, edge.nextUp, edge.nextDown, -edge, (-edge).nextUp, (-edge).nextDown]
        }
        values += [.nan, .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e-40]
        while values.count % 16 != 0 { values.append(0.5) }
        return values
    }

    /// WideMath's exp and erf give VectorMath's bits in every lane.
    @Test(.enabled(if: WideKernel.available)) func expAndErfEqualTheEightLaneVersions() {
        let values = Self.inputs
        var mismatches: [String] = []
        func compare(_ v: SIMD16<Float>) {
            let (e, f) = (WideMath.exp(v), WideMath.erf(v))
            for half in 0..<2 {
                let w = half == 0 ? v.lowHalf : v.highHalf
                let (e8, f8) = (VectorMath.exp(w), VectorMath.erf(w))
                for l in 0..<8 {
                    if e[8 * half + l].bitPattern != e8[l].bitPattern { mismatches.append("exp(\(w[l])): \(e[8 * half + l]) vs \(e8[l])") }
                    if f[8 * half + l].bitPattern != f8[l].bitPattern { mismatches.append("erf(\(w[l])): \(f[8 * half + l]) vs \(f8[l])") }
                }
            }
        }
        for start in stride(from: 0, to: values.count, by: 16) {
            var v = SIMD16<Float>()
            for l in 0..<16 { v[l] = values[start + l] }
            compare(v)
        }
        for x in values { compare(SIMD16(repeating: x)) }
        let consistent = mismatches.isEmpty
        #expect(consistent, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
    }

    /// The 512-bit GELU passes give the bits of the 256-bit formulas (Float.gelu's), tail excluded.
    @Test(.enabled(if: WideKernel.available)) func geluEqualsTheEightLaneFormulas() {
        let x = Self.inputs.filter { $0.isFinite }.prefix(16 * 400).map { $0 / 8 } + [1, 2, 3]   // a tail of 3
        let n = x.count, dy = x.map { 1 - $0 }
        var (y, cdf, dx) = ([Float](repeating: 0, count: n), [Float](repeating: 0, count: n), [Float](repeating: 0, count: n))
        let done = WideMath.gelu(x, &y, &cdf, n)
        let doneBackward = WideMath.geluBackward(dy, x, cdf, &dx, n)
        #expect(done == n - 3 && doneBackward == n - 3)
        var mismatches = 0
        for i in stride(from: 0, to: done, by: 8) {
            var v = SIMD8<Float>()
            for l in 0..<8 { v[l] = x[i + l] }
            let phi = (1 + VectorMath.erf(v * MathConstants.squareRootOfHalf)) * 0.5
            let slope = phi.addingProduct(v, VectorMath.exp(v * v * -0.5) * MathConstants.inverseSquareRootOf2Pi)
            for l in 0..<8 where (v[l] * phi[l]).bitPattern != y[i + l].bitPattern || phi[l].bitPattern != cdf[i + l].bitPattern
                || (dy[i + l] * slope[l]).bitPattern != dx[i + l].bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}

@Suite struct ColumnKernelTests {
    /// The register-resident column sums give the bits of adding the rows one after another
    /// (`axpy`, what the engine did before), for every width the 32/8/1-column paths split into.
    @Test(arguments: [1, 7, 8, 16, 31, 32, 33, 128])
    func columnKernelsEqualRowByRowUpdates(n: Int) {
        var seed: UInt32 = 99
        func next() -> Float { seed = seed &* 1664525 &+ 1013904223; return Float(Int(seed >> 8) - (1 << 23)) / Float(1 << 22) }
        let rows = 257, stride = n + 3
        let x = (0..<rows * stride).map { _ in next() }, dy = (0..<rows * stride).map { _ in next() }
        let mean = (0..<rows).map { _ in next() }, rstd = (0..<rows).map { _ in abs(next()) + 0.5 }
        let y0 = (0..<n).map { _ in next() }, g0 = (0..<n).map { _ in next() }, b0 = (0..<n).map { _ in next() }
        var expected = y0, got = y0
        var expectedG = g0, expectedB = b0, gotG = g0, gotB = b0
        for r in 0..<rows {
            for c in 0..<n {
                expected[c] = expected[c].addingProduct(1, x[r * stride + c])
                expectedG[c] = expectedG[c].addingProduct(dy[r * stride + c], (x[r * stride + c] - mean[r]) * rstd[r])
                expectedB[c] += dy[r * stride + c]
            }
        }
        Float.addRows(x, rows: rows, stride: stride, into: &got, n)
        Float.addNormGradients(dy, x, mean: mean, rstd: rstd, rows: rows, stride: stride, dGamma: &gotG, dBeta: &gotB, n)
        #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "column sums, n \(n)")
        #expect(gotG.map(\.bitPattern) == expectedG.map(\.bitPattern) && gotB.map(\.bitPattern) == expectedB.map(\.bitPattern), "LayerNorm gradients, n \(n)")
    }
}

@Suite struct AdamWKernelTests {
    /// Float's vector AdamW step (vsqrtps) gives the bits of torch's element-by-element order,
    /// full vectors and tails, moments from 0 to large, on the first step and a later one.
    @Test(arguments: [1, 7, 8, 9, 16, 23])
    func vectorStepEqualsTheScalarLoop(n: Int) {
        var seed: UInt32 = 31
        func next() -> Float { seed = seed &* 1664525 &+ 1013904223; return Float(Int(seed >> 8) - (1 << 23)) / Float(1 << 22) }
        for t in [1.0, 37.0] {
            let k = AdamWStep<Float>(decay: Float(1 - 1e-3 * 0.01), oneMinusBeta1: Float(1 - 0.9), beta2: 0.999,
                                     oneMinusBeta2: Float(1 - 0.999), stepSize: Float(1e-3 / (1 - pow(0.9, t))),
                                     correction2: Float((1 - pow(0.999, t)).squareRoot()), epsilon: 1e-8)
            let p0 = (0..<n).map { _ in next() }, g = (0..<n).map { _ in next() * 1e-3 }
            let m0 = (0..<n).map { _ in next() * 1e-3 }, v0 = (0..<n).map { i in i == 0 ? 0 : abs(next()) * Float(i) * 1e-6 }
            var (p, m, v) = (p0, m0, v0)
            for i in 0..<n {
                p[i] *= k.decay
                m[i] += k.oneMinusBeta1 * (g[i] - m[i])
                v[i] = v[i] * k.beta2 + k.oneMinusBeta2 * g[i] * g[i]
                p[i] += (-k.stepSize * m[i]) / (v[i].squareRoot() / k.correction2 + k.epsilon)
            }
            var (gotP, gotM, gotV) = (p0, m0, v0)
            Float.adamW(&gotP, g, &gotM, &gotV, n, k)
            #expect(gotP.map(\.bitPattern) == p.map(\.bitPattern) && gotM.map(\.bitPattern) == m.map(\.bitPattern)
                    && gotV.map(\.bitPattern) == v.map(\.bitPattern), "n \(n), step \(t)")
        }
    }
}

@Suite struct HeadKernelTests {
    /// Attention's register-tiled products give the bits of the row-by-row `dot` and `axpy` loops
    /// the engine ran before, on either vectors: for head widths on and off the 16/8-column tiles,
    /// sequence lengths on and off the 6/12-row and 8/16-key blocks (45: twelve causal rows
    /// sharing ≥ 16 terms), causal and full spans, X and its transpose.
    @Test(arguments: [1, 5, 8, 16, 24, 32, 40, 64, 72], [1, 7, 12, 13, 30, 45])
    func headKernelsEqualRowByRowLoops(width: Int, length t: Int) {
        for vectors in GEMM.Vectors.allCases where vectors == .avx2 || WideKernel.available {
            headKernelsEqualRowByRowLoops(width: width, length: t, vectors: vectors)
        }
    }

    func headKernelsEqualRowByRowLoops(width: Int, length t: Int, vectors: GEMM.Vectors) {
        var seed: UInt32 = 7
        func next() -> Float { seed = seed &* 1664525 &+ 1013904223; return Float(Int(seed >> 8) - (1 << 23)) / Float(1 << 22) }
        let stride = width + 5
        let x = (0..<t * stride).map { _ in next() }, y = (0..<t * stride).map { _ in next() }
        let square = (0..<t * t).map { _ in next() }
        for causal in [false, true] {
            let count = { (i: Int) in causal ? i + 1 : t }
            var expected = [Float](repeating: -1, count: t * t), got = expected
            for i in 0..<t { for j in 0..<count(i) { expected[i * t + j] = Float.dot(x.withUnsafeBufferPointer { $0.baseAddress! + i * stride }, y.withUnsafeBufferPointer { $0.baseAddress! + j * stride }, width) } }
            Float.rowDots(x, rows: t, y, stride: stride, width: width, count: count, into: &got, lds: t, vectors: vectors)
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "rowDots, width \(width), length \(t), causal \(causal), \(vectors)")

            for transposed in [false, true] {
                let span = { (r: Int) in transposed ? (causal ? r ..< t : 0 ..< t) : 0 ..< count(r) }
                let (rowStride, depthStride) = transposed ? (1, t) : (t, 1)
                var expectedC = [Float](repeating: 9, count: t * stride), gotC = expectedC
                for r in 0..<t {
                    for c in 0..<width { expectedC[r * stride + c] = 0 }
                    for p in span(r) {
                        expectedC.withUnsafeMutableBufferPointer { out in
                            Float.axpy(square[r * rowStride + p * depthStride], y.withUnsafeBufferPointer { $0.baseAddress! + p * stride },
                                       out.baseAddress! + r * stride, width)
                        }
                    }
                }
                Float.chainProduct(rows: t, width: width, square, rowStride: rowStride, depthStride: depthStride, y, stride: stride,
                                   span: span, into: &gotC, ldc: stride, vectors: vectors)
                #expect(gotC.map(\.bitPattern) == expectedC.map(\.bitPattern),
                        "chainProduct, width \(width), length \(t), causal \(causal), transposed \(transposed), \(vectors)")
            }
        }
    }
}

@Suite struct MaximumTests {
    /// Float's vector maximum finds the value the scalar scan `m = x[0]; if x[i] > m { m = x[i] }`
    /// finds (NaN after x[0] skipped, NaN at x[0] kept), for lengths on and off the eight lanes;
    /// where +0 and −0 tie at the top (the two may pick different ones), exp(x − m) is the same bits.
    @Test(arguments: [1, 2, 7, 8, 9, 12, 84, 100, 128])
    func vectorMaximumEqualsTheScalarScan(n: Int) {
        var seed: UInt32 = 5
        func next() -> Float { seed = seed &* 1664525 &+ 1013904223; return Float(Int(seed >> 8) - (1 << 23)) / Float(1 << 20) }
        func scan(_ x: [Float]) -> Float { var m = x[0]; for v in x.dropFirst() where v > m { m = v }; return m }
        var cases = (0..<20).map { _ in (0..<n).map { _ in next() } }
        cases.append((0..<n).map { $0 % 2 == 0 ? -0.0 : 0.0 })                       // ±0 ties at the top
        cases.append((0..<n).map { $0 == 1 ? 0.0 : $0 == 8 ? -0.0 : -1 })           // the scan keeps +0, the lanes −0
        cases.append((0..<n).map { $0 == n / 2 ? .nan : -Float($0) })                 // NaN in the middle
        cases.append((0..<n).map { $0 == 0 ? .nan : Float($0) })                      // NaN first
        cases.append((0..<n).map { $0 == n - 1 ? .infinity : -.infinity })
        for x in cases {
            let (expected, got) = (scan(x), Float.maximum(x, n))
            if expected.isNaN { #expect(got.isNaN); continue }
            #expect(got == expected, "n \(n): \(got) vs \(expected)")
            var (shiftedByGot, shiftedByExpected) = ([Float](repeating: 0, count: n), [Float](repeating: 0, count: n))
            Float.map(.exp, x, shift: got, &shiftedByGot, n)
            Float.map(.exp, x, shift: expected, &shiftedByExpected, n)
            #expect(shiftedByGot.map(\.bitPattern) == shiftedByExpected.map(\.bitPattern), "exp(x − m), n \(n)")
        }
    }
}
