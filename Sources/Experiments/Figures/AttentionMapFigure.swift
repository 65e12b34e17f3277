// F10 (docs/spec.md §5.6): one attention map, 1 × 1 in, the custom diverging colormap on [−1, 1]
// (pink −1, beige 0, green +1; values beyond clip), white cell grid, black frame, no axes.
// Files: attention_map_{attention}_{sample}_{layer}_{head}.

import Plot

public enum AttentionMapFigure {
    /// `matrix`: T × T attention weights (row = query).
    public static func make(_ matrix: [[Double]]) -> Figure {
        var figure = Figure(widthInches: 1, heightInches: 1, rows: 1, columns: 1, style: .icml)
        var axes = Axes()
        axes.axisOff = true
        axes.heatmap = Heatmap(values: matrix, colormap: .attention, vmin: -1, vmax: 1)
        figure[0, 0] = axes
        return figure
    }

    public static func name(attention: String, sample: Int, layer: Int, head: Int) -> String {
        "attention_map_\(attention)_\(sample)_\(layer)_\(head)"
    }
}
