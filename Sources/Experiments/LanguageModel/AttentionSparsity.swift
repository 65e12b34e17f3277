// The per-head statistics of docs/spec.md §7 (pretrained.py `compute_attention_stats_detailed_2`).
//
// For each (layer, head), over every valid query q of every sequence (no padding here: all):
//   avg. sparsity score   = mean_q max_k A[q, k]               (the raw maximum, not divided by Σ)
//   first-token share     = mean_q A[q, 0] / (Σ_k A[q, k] + 1e-9)
// Causal rows have A[q, k > q] = 0, so the maximum and the sum over all k are those over k ≤ q.
// Sums are Float64, added in the order sequences and queries arrive (fixed by the caller).

import Transformer

public struct AttentionSparsity: Sendable {
    public let layers: Int, heads: Int
    var maxSum: [Double], firstShareSum: [Double]
    public private(set) var queries = 0

    public init(layers: Int, heads: Int) {
        self.layers = layers; self.heads = heads
        maxSum = Array(repeating: 0, count: layers * heads)
        firstShareSum = Array(repeating: 0, count: layers * heads)
    }

    /// Adds the maps of one layer (every sequence of the batch).
    public mutating func add(layer: Int, _ maps: AttentionMaps) {
        precondition(maps.heads == heads)
        let t = maps.length
        for b in 0..<maps.sequences {
            for h in 0..<heads {
                var top = 0.0, first = 0.0
                for q in 0..<t {
                    let row = maps.row(sequence: b, head: h, query: q)
                    var m = row[0], total = 0.0
                    for k in 0..<t {
                        m = max(m, row[k])
                        total += Double(row[k])
                    }
                    top += Double(m)
                    first += Double(row[0]) / (total + 1e-9)
                }
                maxSum[layer * heads + h] += top
                firstShareSum[layer * heads + h] += first
            }
        }
        if layer == layers - 1 { queries += maps.sequences * t }
    }

    /// Adds one sequence's maps of one layer given per head: [head][length × length].
    public mutating func add(layer: Int, headMaps: [[Float]], length t: Int) {
        headMaps.flatMap { $0 }.withUnsafeBufferPointer { add(layer: layer, AttentionMaps($0, sequences: 1, heads: heads, length: t)) }
    }

    /// The avg. sparsity score per head, [layer][head].
    public var sparsity: [[Double]] { table(maxSum) }
    /// The first-token share per head, [layer][head].
    public var firstTokenShare: [[Double]] { table(firstShareSum) }

    private func table(_ sums: [Double]) -> [[Double]] {
        (0..<layers).map { l in (0..<heads).map { sums[l * heads + $0] / Double(queries) } }
    }
}

/// `count` indices spread evenly over 0 ..< n, the first 0 and the last n − 1 (floor division).
func evenlySpread(_ count: Int, over n: Int) -> [Int] {
    (0..<count).map { count == 1 ? 0 : $0 * (n - 1) / (count - 1) }
}
