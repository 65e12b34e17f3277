// What the classification figures and the report read from one stored run, and the sparsity
// score, defined once.

import Transformer

/// What F11 and the sparsity overview read from one classification run.
public struct ClassificationRunRecord: Sendable, Hashable, KindRecord {
    public var attention: AttentionKind
    public var vocabulary: Int, layers: Int, heads: Int
    public var mlp: Bool, layerNorm: Bool
    /// The largest avg_top1_dominance_rate over the run's (layer, head) pairs.
    public var dominance: Double
    /// `sparsityScore` of the run's rel_attn_max table.
    public var sparsity: Double

    public init(attention: AttentionKind, vocabulary: Int, layers: Int, heads: Int, mlp: Bool, layerNorm: Bool,
                dominance: Double, sparsity: Double = .nan) {
        self.attention = attention; self.vocabulary = vocabulary; self.layers = layers; self.heads = heads
        self.mlp = mlp; self.layerNorm = layerNorm; self.dominance = dominance; self.sparsity = sparsity
    }

    /// The sparsity score of docs/spec.md §6.5: the mean over a run's (layer, head) pairs of
    /// rel_attn_max clipped to [0, 1], NaN entries skipped (NaN when every entry is NaN).
    public static func sparsityScore(_ relativeMax: [[Double]]) -> Double {
        relativeMax.joined().filter { !$0.isNaN }.map { min(max($0, 0), 1) }.mean
    }
}
