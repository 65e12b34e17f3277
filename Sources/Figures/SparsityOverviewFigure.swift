// The "Sparsity Score" overview of the classification sweep (docs/spec.md §6.5, cell 4; the notebook
// only shows it, we save it): vocabulary 41, one figure per (layers, heads), 13 × 1.8 in, four
// panels (MLP, LayerNorm) ∈ [(F,F), (F,T), (T,F), (T,T)]. A run's score is the mean over its
// (layer, head) pairs of rel_attn_max clipped to [0, 1] (NaN skipped); a bar is the mean over runs.

import Experiments
import Plot
import Transformer

public enum SparsityOverviewFigure {
    static let panels: [(mlp: Bool, layerNorm: Bool, title: String)] = [
        (false, false, "no MLP, no LN"), (false, true, "no MLP, LN"), (true, false, "MLP, no LN"), (true, true, "MLP, LN"),
    ]

    /// `planned`: for a partial sweep, every planned run (its metrics unread), for the n of N marks.
    public static func make(_ runs: [ClassificationRunRecord], layers: Int, heads: Int, planned: [ClassificationRunRecord]? = nil) -> Figure {
        var figure = Figure(widthInches: 13, heightInches: 1.8, rows: 1, columns: 4, style: .icml)
        for (i, panel) in panels.enumerated() {
            func select(_ runs: [ClassificationRunRecord]) -> [ClassificationRunRecord] {
                runs.filter { $0.vocabulary == 41 && $0.layers == layers && $0.heads == heads && $0.mlp == panel.mlp && $0.layerNorm == panel.layerNorm }
            }
            let selected = select(runs).filter { !$0.sparsity.isNaN }
            var axes = KindBars.axes(selected.map { ($0.attention, $0.sparsity) }, yLabel: "Sparsity Score",
                                     hatch: "*********", legend: i == 0 ? Legend(location: .upperRight, columns: 2) : nil,
                                     planned: planned.map { KindBars.counts(select($0)) })
            axes.title = panel.title
            figure[0, i] = axes
        }
        figure.suptitle = "layers=\(layers), heads=\(heads)"
        figure.suptitleY = 1.02
        return figure
    }
}
