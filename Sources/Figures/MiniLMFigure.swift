// The MiniLM panel of the F13 substitute (issue 9): left, the histogram of the avg. sparsity score
// over all-MiniLM-L6-v2's 72 heads, drawn as one F13 histogram (20 bins over its own range, count,
// alpha 0.8, softmax Set2[2]); right, each head's first-token ([CLS]) share against its score,
// coloured by layer (husl), y from 0 to 1. 6.5 × 2.4 in, the paper's "ICML style".

import Experiments
import Plot

public enum MiniLMFigure {

    /// sparsity, firstTokenShare: [layer][head].
    public static func make(sparsity: [[Double]], firstTokenShare: [[Double]]) -> Figure {
        var figure = Figure(widthInches: 6.5, heightInches: 2.4, rows: 1, columns: 2)
        var histogram = Axes(title: "all-MiniLM-L6-v2 (softmax), \(sparsity.joined().count) heads",
                             xLabel: "avg. sparsity score", yLabel: "# heads")
        histogram.bars = [Bars.histogram(Array(sparsity.joined()), bins: 20, color: Palette.set2[2])]
        histogram.bars[0].edgeWidth = Bars.seabornEdgeWidths(histogram.bars, axesWidth: figure.defaultAxesWidth)[0]
        figure[0, 0] = histogram
        var scatter = Axes(title: "first-token ([CLS]) share per head of layer L", xLabel: "avg. sparsity score", yLabel: "[CLS] share")
        let colors = Palette.husl(sparsity.count)
        scatter.markers = sparsity.indices.map { l in
            Markers(x: sparsity[l], y: firstTokenShare[l], size: 3, edgeWidth: 0.5, color: colors[l], label: "L\(l + 1)")
        }
        // Shares lie in [0, 1]: the full range leaves the upper left free for the legend.
        scatter.yLimits = (-0.05, 1.05)
        scatter.legend = Legend(location: .upperLeft, columns: 3, handleLength: 1)
        figure[0, 1] = scatter
        return figure
    }
}

extension MiniLMExperiment: ExperimentFigures {
    public func figures(_ runs: [RunRecord], planned: [RunSpec]?) throws -> [(name: String, figure: Figure)] {
        guard let run = runs.first, runs.count == 1 else { throw ExperimentError.badRecords(name, "expected one run, got \(runs.count)") }
        let sparsity = try readTable(run.summary, "max_proportion", experiment: name)
        let share = try readTable(run.summary, "first_token_proportion", experiment: name)
        return [(FigureName.miniLM, MiniLMFigure.make(sparsity: sparsity, firstTokenShare: share))]
    }
}
