// Kernels, softmax, SVD and history schedules of the SIMD core.

import Foundation
import Randomness
import SIMDCore
import TestSupport
import Testing

@Suite struct KernelTests {
    /// A naive left-to-right reference, for the lengths around the SIMD block size.
    @Test(arguments: [1, 3, 4, 5, 8, 10, 19, 20, 100])
    func dotAndGemvMatchNaiveSums(n: Int) {
        var rng = NumPyRandomState(seed: UInt32(n))
        let x = rng.normals(n), y = rng.normals(n), a = rng.normals(n * n)
        let naive = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
        let fast = x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { dot(xp.baseAddress!, $0.baseAddress!, count: n) } }
        #expect(abs(fast - naive) <= 1e-13 * Double(n))
        var out = [Double](repeating: 0, count: n), outT = [Double](repeating: 0, count: n)
        a.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { gemv(ap.baseAddress!, rows: n, cols: n, xp.baseAddress!, into: $0.baseAddress!) }
                outT.withUnsafeMutableBufferPointer { gemvTransposed(ap.baseAddress!, rows: n, cols: n, xp.baseAddress!, into: $0.baseAddress!) }
            }
        }
        for r in 0..<n {
            let row = (0..<n).reduce(0.0) { $0 + a[r * n + $1] * x[$1] }
            let col = (0..<n).reduce(0.0) { $0 + a[$1 * n + r] * x[$1] }
            #expect(abs(out[r] - row) <= 1e-12 && abs(outT[r] - col) <= 1e-12)
        }
    }

    @Test func softmaxIsAShiftInvariantDistribution() {
        let x = [3.0, -1.0, 0.5, 700.0, 699.0]
        let s = softmax(x)
        #expect(abs(s.reduce(0, +) - 1) < 1e-15)
        #expect(s.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(softmax(x.map { $0 - 1000 }) == s)
        #expect(argmax(s) == 3)
    }

    @Test func svdReconstructsAndOrdersSingularValues() {
        var rng = NumPyRandomState(seed: 123)
        let n = 20
        let a = rng.normals(n * n)
        let svd = SVD(a, n: n)
        #expect(zip(svd.s, svd.s.dropFirst()).allSatisfy { $0 >= $1 })
        let back = svd.reconstruct(singularValues: svd.s)
        #expect(zip(a, back).allSatisfy { abs($0 - $1) < 1e-13 })
        // UᵀU = I.
        for i in 0..<n {
            for j in 0..<n {
                let g = (0..<n).reduce(0.0) { $0 + svd.u[$1 * n + i] * svd.u[$1 * n + j] }
                #expect(abs(g - (i == j ? 1 : 0)) < 1e-13)
            }
        }
    }

    @Test func historySchedulesMatchTheAuthorsIndices() throws {
        let fixture = try Fixtures.json("sample_indices.json")
        func indices(_ prefix: String) throws -> [Int] {
            let pair = try #require(fixture.pairs?.first { $0.key.hasPrefix(prefix) })
            return pair.value.array!.map { $0.int! }
        }
        let a = HistorySchedule.schemeA(iterations: 1_000_000, samples: 2000)
        let b = HistorySchedule.schemeB(iterations: 300_000, samples: 3000)
        let kl = HistorySchedule.schemeB(iterations: 10_000_000, samples: 1000)
        #expect((a.count, b.count, kl.count) == (1423, 1936, 806))
        #expect(a == (try indices("logistic_fig1")))
        #expect(b == (try indices("condition_numbers")))
        #expect(kl == (try indices("kl")))
        // The pow rounding the spec warns about: at N = 3000 the last index is N − 2.
        #expect(HistorySchedule.schemeB(iterations: 3000, samples: 3000).last == 2998)
    }
}
