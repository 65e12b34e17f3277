// F13 `sink_scores` (docs/spec.md §7, paper Fig. 7): histograms of the avg. sparsity score over every
// head of a softmax model and a sigmoid (w/o norm.) model; 3.25 × 1.8 in, each histogram with 20
// equal bins over its own range, stat "count", alpha 0.8, black edges as wide as seaborn makes
// them; softmax Set2[2], sigmoid Set2[1];
// xlabel "avg. sparsity score", ylabel "# heads", frameless legend; tight_layout.
//
// Here the heads are those of the two Shakespeare language models (the 7B checkpoints are out of
// reach); the MiniLM panel is `MiniLMFigure`.

import Experiments
import Plot
import Records
import Transformer

public enum SinkScoresFigure {

    public static func make(softmax: [Double], sigmoid: [Double]) -> Figure {
        var figure = Figure(widthInches: 3.25, heightInches: 1.8, rows: 1, columns: 1)
        var axes = Axes(xLabel: "avg. sparsity score", yLabel: "# heads")
        axes.bars = [Bars.histogram(softmax, bins: 20, color: Palette.set2[2], label: "Softmax"),
                     Bars.histogram(sigmoid, bins: 20, color: Palette.set2[1], label: "Sigmoid (w/o norm.)")]
        for (i, width) in Bars.seabornEdgeWidths(axes.bars, axesWidth: figure.defaultAxesWidth).enumerated() {
            axes.bars[i].edgeWidth = width
        }
        axes.legend = Legend()
        figure[0, 0] = axes
        return figure
    }
}

extension LanguageModelExperiment: ExperimentFigures {
    public func figures(_ runs: [RunRecord], planned: [RunSpec]?) throws -> [(name: String, figure: Figure)] {
        func scores(_ kind: AttentionKind) throws -> [Double] {
            guard let run = Self.record(kind, in: runs) else {
                throw ExperimentError.badRecords(name, "no \(kind.rawValue) run")
            }
            return try readTable(run.summary, "max_proportion", experiment: name).flatMap { $0 }
        }
        return [(FigureName.sinkScores, SinkScoresFigure.make(softmax: try scores(.softmax), sigmoid: try scores(.sigmoidLogN)))]
    }
}
