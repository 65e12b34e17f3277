// F11 flip rate (docs/spec.md §6.5): runs with one layer and one head; one figure per (vocabulary,
// MLP, LayerNorm); a bar is the mean over all its runs (seeds × learning rates, no accuracy filter)
// of avg_top1_dominance_rate; bars hatched "....", legend upper right in two columns, always kept.

import Plot
import Transformer

/// What F11 and the sparsity overview read from one classification run.
public struct ClassificationRunRecord: Sendable, Hashable, KindRecord {
    public var attention: AttentionKind
    public var vocabulary: Int, layers: Int, heads: Int
    public var mlp: Bool, layerNorm: Bool
    /// The largest avg_top1_dominance_rate over the run's (layer, head) pairs.
    public var dominance: Double
    /// `SparsityOverviewFigure.score` of the run's rel_attn_max table.
    public var sparsity: Double

    public init(attention: AttentionKind, vocabulary: Int, layers: Int, heads: Int, mlp: Bool, layerNorm: Bool,
                dominance: Double, sparsity: Double = .nan) {
        self.attention = attention; self.vocabulary = vocabulary; self.layers = layers; self.heads = heads
        self.mlp = mlp; self.layerNorm = layerNorm; self.dominance = dominance; self.sparsity = sparsity
    }
}

public enum FlipRateFigure {
    public static func name(vocabulary: Int, mlp: Bool, layerNorm: Bool) -> String {
        "fliprate_vocab\(vocabulary)_\(mlp ? "mlp" : "nomlp")_\(layerNorm ? "ln" : "noln")"
    }

    /// `planned`: for a partial sweep, every planned run (its metrics unread), for the n of N marks.
    public static func make(_ runs: [ClassificationRunRecord], vocabulary: Int, mlp: Bool, layerNorm: Bool,
                            planned: [ClassificationRunRecord]? = nil) -> Figure {
        func select(_ runs: [ClassificationRunRecord]) -> [ClassificationRunRecord] {
            runs.filter { $0.layers == 1 && $0.heads == 1 && $0.vocabulary == vocabulary && $0.mlp == mlp && $0.layerNorm == layerNorm }
        }
        return KindBars.figure(select(runs).map { ($0.attention, $0.dominance) }, yLabel: "Flip Rate", hatch: "....",
                               legend: Legend(location: .upperRight, columns: 2), planned: planned.map { KindBars.counts(select($0)) })
    }
}
