// The summation order of OpenBLAS's Haswell/Zen `ddot`, which NumPy's `linalg.norm` calls.
//
// Needed only where bits must equal NumPy's: the initial targets β/‖β‖ of E1–E3 (a 1-ulp
// difference in ‖β‖ changes every βᵢ). Order: the first 16⌊n/16⌋ elements go through four
// 4-lane FMA accumulators (element i to accumulator (i mod 16) / 4, lane i mod 4); each
// accumulator folds its halves (l0 + l2, l1 + l3); the four are added as (A0 + A1) + (A2 + A3);
// the two lanes are added; then the tail is accumulated left to right with FMA.

public func blasDot(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count)
    let n = x.count, blocked = n & ~15
    var acc = [SIMD4<Double>](repeating: .zero, count: 4)
    for i in stride(from: 0, to: blocked, by: 16) {
        for j in 0..<4 {
            let xv = SIMD4(x[i + 4 * j], x[i + 4 * j + 1], x[i + 4 * j + 2], x[i + 4 * j + 3])
            let yv = SIMD4(y[i + 4 * j], y[i + 4 * j + 1], y[i + 4 * j + 2], y[i + 4 * j + 3])
            acc[j] = acc[j].addingProduct(xv, yv)
        }
    }
    let folded = acc.map { SIMD2($0[0] + $0[2], $0[1] + $0[3]) }
    let total = (folded[0] + folded[1]) + (folded[2] + folded[3])
    var dot = total[0] + total[1]
    for i in blocked..<n { dot = dot.addingProduct(y[i], x[i]) }
    return dot
}

/// x / ‖x‖ exactly as `x / np.linalg.norm(x)` computes it.
public func numpyNormalized(_ x: [Double]) -> [Double] {
    let norm = blasDot(x, x).squareRoot()
    return x.map { $0 / norm }
}
