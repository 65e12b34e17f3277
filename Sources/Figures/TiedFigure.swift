// F4 `massive_activations_2` (docs/spec.md §3 E3): one row per D, 6.75 × 6 in: the loss (log-log,
// deep[0]), σ(Ua) (husl(D), log x) and the norm of U's dominant column (deep[2], log x).

import Experiments
import Plot
import Records

extension TiedExperiment: SingleRunFigures {
    public func figures(summary: JSON, history: JSON) throws -> [(name: String, figure: Figure)] {
        let iteration = try history.series("iteration")
        let dims = try modelKeys(summary, prefix: "D")
        var figure = Figure(widthInches: 6.75, heightInches: 1.5 * Double(dims.count), rows: dims.count, columns: 3)
        for (row, d) in dims.enumerated() {
            var loss = Axes(title: "\\textbf{Loss} ($D = \(d)$)", xLabel: "Iteration $t$", yLabel: "Loss $L(U, a)$",
                            xScale: .log, yScale: .log)
            loss.lines = [Line(x: iteration, y: try history.series("D\(d).loss"), color: Palette.deep[0])]
            var alpha = Axes(title: "$\\sigma(Ua)$ ($D = \(d)$)", xLabel: "Iteration $t$", yLabel: "Probability", xScale: .log)
            alpha.plotColumns(x: iteration, try history.columns("D\(d).alpha"), colors: Palette.husl(d))
            var column = Axes(title: "$\\|U^{(m)}\\|_F$ ($D = \(d)$)", xLabel: "Iteration $t$", yLabel: "$\\|U^{(m)}\\|_F$", xScale: .log)
            column.lines = [Line(x: iteration, y: try history.series("D\(d).column_norm"), color: Palette.deep[2])]
            figure[row, 0] = loss
            figure[row, 1] = alpha
            figure[row, 2] = column
        }
        return [(figures[0], figure)]
    }
}
