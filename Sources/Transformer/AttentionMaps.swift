// A read-only view of one layer's attention weights after a forward pass, laid out
// [sequence][head][query][key] (B × H × T × T, the legend of Attention.swift). The one place that
// knows the index ((s·H + h)·T + q)·T + k: metrics, maps and tracking read rows through it.

public struct AttentionMaps {
    public let weights: UnsafeBufferPointer<Float>
    public let sequences: Int, heads: Int, length: Int

    public init(_ weights: UnsafeBufferPointer<Float>, sequences: Int, heads: Int, length: Int) {
        precondition(weights.count == sequences * heads * length * length, "attention maps of the wrong size")
        self.weights = weights; self.sequences = sequences; self.heads = heads; self.length = length
    }

    /// The `length` key weights of query `query` of head `head` of sequence `sequence`.
    public func row(sequence: Int, head: Int, query: Int) -> UnsafeBufferPointer<Float> {
        let start = ((sequence * heads + head) * length + query) * length
        return UnsafeBufferPointer(rebasing: weights[start ..< start + length])
    }

    /// The same row widened to Double (what the summaries store).
    public func rowValues(sequence: Int, head: Int, query: Int) -> [Double] {
        row(sequence: sequence, head: head, query: query).map(Double.init)
    }
}
