// F11 flip rate (docs/spec.md §6.5): runs with one layer and one head; one figure per (vocabulary,
// MLP, LayerNorm); a bar is the mean over all its runs (seeds × learning rates, no accuracy filter)
// of avg_top1_dominance_rate; bars hatched "....", legend upper right in two columns, always kept.

import Experiments
import Plot
import Transformer

public enum FlipRateFigure {
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

extension ClassificationSweep: ExperimentFigures {
    public func figures(_ runs: [RunRecord], planned: [RunSpec]?) throws -> [(name: String, figure: Figure)] {
        let stored = try records(runs)
        // For a partial sweep: the coordinates of every planned run (its metrics are not read).
        let all = try planned.map(plannedRecords)
        return Self.flipSettings.map { s in
            (FigureName.flipRate(vocabulary: s.vocabulary, mlp: s.mlp, layerNorm: s.layerNorm),
             FlipRateFigure.make(stored, vocabulary: s.vocabulary, mlp: s.mlp, layerNorm: s.layerNorm, planned: all))
        } + Self.overviewSettings.map { o in
            (FigureName.sparsityOverview(layers: o.layers, heads: o.heads),
             SparsityOverviewFigure.make(stored, layers: o.layers, heads: o.heads, planned: all))
        }
    }
}
