// F2 `square_loss_comparison` / F3 `log_loss_comparison` (docs/spec.md §3 E2): 6 × 2 panels,
// 3.25 × 7.5 in; left α_d, right a_d, both on a log x-axis, husl(10), α 0.8, lw 1; bold row names;
// left y ticks with 3 (square) or 1 (logistic) decimals.

import Experiments
import GradientFlow
import Plot
import Records

extension NormalizationExperiment: SingleRunFigures {
    public func figures(summary: JSON, history: JSON) throws -> [(name: String, figure: Figure)] {
        let iteration = try history.series("iteration")
        let colors = Palette.husl(10)
        var figure = Figure(widthInches: 3.25, heightInches: 7.5, rows: 6, columns: 2)
        for (row, normalization) in Normalization.allCases.enumerated() {
            var weights = Axes(yLabel: "\\textbf{\(normalization.title)}", xScale: .log)
            weights.plotColumns(x: iteration, try history.columns("\(normalization.rawValue).alpha"), colors: colors)
            weights.yTickFormat = .fixed(decimals: loss == .square ? 3 : 1)
            var values = Axes(xScale: .log)
            values.plotColumns(x: iteration, try history.columns("\(normalization.rawValue).a"), colors: colors)
            if row == 0 {
                weights.title = "Weight $\\alpha$"
                values.title = "Value $a$"
            }
            if row == 5 {
                weights.xLabel = "Iteration $t$"
                values.xLabel = "Iteration $t$"
            }
            figure[row, 0] = weights
            figure[row, 1] = values
        }
        return [(figures[0], figure)]
    }
}
