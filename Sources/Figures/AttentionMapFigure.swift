// F10 (docs/spec.md §5.6): one attention map, 1 × 1 in, the custom diverging colormap on [−1, 1]
// (pink −1, beige 0, green +1; values beyond clip), white cell grid, black frame, no axes.
// Files: attention_map_{attention}_{sample}_{layer}_{head}.

import Experiments
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

}

extension AttentionMapsExperiment: ExperimentFigures {
    public func figures(_ runs: [RunRecord], planned: [RunSpec]?) throws -> [(name: String, figure: Figure)] {
        try runs.flatMap { run -> [(name: String, figure: Figure)] in
            guard let label = run.config["label"]?.string, let maps = run.history["maps"]?.array, maps.count == Self.samples.count else {
                throw ExperimentError.badRecords(name, "run \(run.id) has no label or no maps of samples 0-4")
            }
            return try maps.enumerated().flatMap { sample, heads -> [(name: String, figure: Figure)] in
                try (heads.array ?? []).enumerated().map { head, rows in
                    guard let matrix = rows.array?.map({ $0.array?.compactMap(\.double) ?? [] }) else {
                        throw ExperimentError.badRecords(name, "run \(run.id): map of sample \(sample), head \(head) unreadable")
                    }
                    return (FigureName.attentionMap(attention: label, sample: sample, layer: Self.layer, head: head),
                            AttentionMapFigure.make(matrix))
                }
            }
        }
    }
}
