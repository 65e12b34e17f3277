// The rows of a batch that a training step's loss reads: the positions with a nonzero weight.
//
// Where they are fewer than all (classification: the last position only), the last block makes
// its queries, attention outputs, output projection, MLP, final LayerNorm and logits on those
// rows alone, forward and backward; its keys and values run on every row (the loss rows attend
// to all of them; the other rows' queries are zero and their attention weights 0). Nothing
// changes a bit: the rows left out would only carry exact zeros backward (CrossEntropy gives
// dz = 0 where w = 0, and x + 0 = x), and the weight gradients over the kept rows are summed in
// `blocks`, the K-blocks the full product would have used (GEMM.multiply).
//
// Compact row c = b·p + i (p = positions.count) is row b·length + positions[i] of the batch.

import SIMDCore

struct LossRows: Equatable {
    let positions: [Int]   // ascending, in 0..<length
    let batch, length: Int
    /// Consecutive ranges of compact rows, one for each K-block of `GEMM.kBlock` batch rows
    /// that holds any of them.
    let blocks: [Range<Int>]

    /// nil where every position counts (nothing to leave out) or none does.
    init?(positions: [Int], batch: Int, length: Int) {
        precondition(zip(positions, positions.dropFirst()).allSatisfy(<) && positions.allSatisfy { (0..<length).contains($0) },
                     "loss positions must ascend inside 0..<\(length)")
        if positions.isEmpty || positions.count == length { return nil }
        self.positions = positions; self.batch = batch; self.length = length
        var blocks: [Range<Int>] = []
        var start = 0
        for c in 1 ... batch * positions.count
            where c == batch * positions.count || Self.row(c, positions, length) / GEMM.kBlock != Self.row(c - 1, positions, length) / GEMM.kBlock {
            blocks.append(start ..< c)
            start = c
        }
        self.blocks = blocks
    }

    var count: Int { batch * positions.count }

    /// The positions a loss with these per-position weights reads: those of nonzero weight.
    static func positions(weightedBy weights: [Float]) -> [Int] { weights.indices.filter { weights[$0] != 0 } }

    /// The positions as runs of consecutive ones ([3, 4, 9] → [3..<5, 9..<10]).
    var positionRuns: [Range<Int>] {
        var runs: [Range<Int>] = []
        for p in positions {
            if let last = runs.last, last.upperBound == p { runs[runs.count - 1] = last.lowerBound ..< p + 1 } else { runs.append(p ..< p + 1) }
        }
        return runs
    }

    /// The batch row of compact row c.
    func row(_ c: Int) -> Int { Self.row(c, positions, length) }

    private static func row(_ c: Int, _ positions: [Int], _ length: Int) -> Int {
        c / positions.count * length + positions[c % positions.count]
    }

    /// y[c] = x[row(c)]: the kept rows of x [batch·length × width], packed; in place too (y = x:
    /// row(c) ≥ c, first first).
    func gather<S>(_ x: UnsafePointer<S>, width: Int, into y: UnsafeMutablePointer<S>) {
        for c in 0..<count { (y + c * width).update(from: x + row(c) * width, count: width) }
    }

    /// x[row(c)] = y[c]: packed rows written back to their batch rows; the others are left as they are.
    func put<S>(_ y: UnsafePointer<S>, width: Int, into x: UnsafeMutablePointer<S>) {
        for c in 0..<count { (x + row(c) * width).update(from: y + c * width, count: width) }
    }

    /// Spreads the packed rows at the front of x [batch·length × width] to their batch rows, in
    /// place (last first: row(c) ≥ c), and zeroes every other row.
    func spread<S: EngineScalar>(_ x: UnsafeMutablePointer<S>, width: Int) {
        var end = batch * length   // rows ≥ end are done
        for c in stride(from: count - 1, through: 0, by: -1) {
            let r = row(c)
            (x + (r + 1) * width).update(repeating: 0, count: (end - r - 1) * width)
            if r != c { (x + r * width).update(from: x + c * width, count: width) }
            end = r
        }
        x.update(repeating: 0, count: end * width)
    }

    /// The entries of a per-position array (weights) at the kept positions.
    func kept<T>(_ perPosition: [T]) -> [T] { positions.map { perPosition[$0] } }

    /// The entries of a per-row array (targets) at the kept rows.
    func keptRows<T>(_ perRow: [T]) -> [T] { (0..<count).map { perRow[row($0)] } }
}
