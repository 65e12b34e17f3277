// F7 `kl` (docs/spec.md §3 E5): loss (log-log), gradient norms (log-log, legend at the best place)
// and a (husl(10), log x), 6.75 × 2 in, in seaborn's white "paper" theme (no tick marks, grey .15).

import Experiments
import Plot
import Records

extension KLExperiment: SingleRunFigures {
    public func figures(summary: JSON, history: JSON) throws -> [(name: String, figure: Figure)] {
        let iteration = try history.series("iteration")
        var figure = Figure(widthInches: 6.75, heightInches: 2, rows: 1, columns: 3, style: .seabornPaper)
        var loss = Axes(title: "\\textbf{Loss Trajectory}", xLabel: "Iteration $t$", yLabel: "Loss", xScale: .log, yScale: .log)
        loss.lines = [Line(x: iteration, y: try history.series("loss"), color: Palette.deep[0])]
        var gradients = Axes(title: "\\textbf{Gradient Norms}", xLabel: "Iteration $t$", yLabel: "Norm", xScale: .log, yScale: .log)
        gradients.lines = [
            Line(x: iteration, y: try history.series("grad_V_norm"), color: Palette.deep[1], label: "$\\|\\nabla_V L\\|$"),
            Line(x: iteration, y: try history.series("grad_a_norm"), color: Palette.deep[2], label: "$\\|\\nabla_a L\\|$"),
        ]
        gradients.legend = Legend()
        var values = Axes(title: "\\textbf{Evolution of} $a$", xLabel: "Iteration $t$", xScale: .log)
        values.plotColumns(x: iteration, try history.columns("a"), colors: Palette.husl(10))
        figure[0, 0] = loss
        figure[0, 1] = gradients
        figure[0, 2] = values
        return [(figures[0], figure)]
    }
}
