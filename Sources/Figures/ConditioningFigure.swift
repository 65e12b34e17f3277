// F5 `condition_numbers` (5 × 3 panels, 6.75 × 7.5 in: loss, gradient norms, a; linear x) and
// F6 `condition_numbers_small` (a for κ = 1 and 5, 3.375 × 1.3 in, lw 0.7) (docs/spec.md §3 E4).

import Experiments
import Plot
import Records

extension ConditioningExperiment: SingleRunFigures {
    public func figures(summary: JSON, history: JSON) throws -> [(name: String, figure: Figure)] {
        let iteration = try history.series("iteration")
        let husl6 = Palette.husl(6), husl20 = Palette.husl(20)
        let kappas = try modelKeys(summary, prefix: "kappa")
        var large = Figure(widthInches: 6.75, heightInches: 1.5 * Double(kappas.count), rows: kappas.count, columns: 3)
        for (row, kappa) in kappas.enumerated() {
            let key = "kappa\(kappa)"
            var loss = Axes(title: "\\textbf{Loss Trajectory} ($\\kappa = \(kappa)$)", xLabel: "Iteration $t$",
                            yLabel: "Loss $L(W, a)$", yScale: .log)
            loss.lines = [Line(x: iteration, y: try history.series("\(key).loss"), color: Palette.deep[0])]
            var gradients = Axes(title: "\\textbf{Gradient Norms} ($\\kappa = \(kappa)$)", xLabel: "Iteration $t$",
                                 yLabel: "Gradient Norm", yScale: .log)
            gradients.lines = [
                Line(x: iteration, y: try history.series("\(key).grad_W_norm"), color: husl6[1], label: "$\\|\\nabla_W L\\|$"),
                Line(x: iteration, y: try history.series("\(key).grad_a_norm"), color: husl6[2], label: "$\\|\\nabla_a L\\|$"),
            ]
            if row == 0 { gradients.legend = Legend(location: .upperRight) }
            var values = Axes(title: "\\textbf{Evolution of} $a$ ($\\kappa = \(kappa)$)", xLabel: "Iteration $t$",
                              yLabel: "Parameter Value")
            values.plotColumns(x: iteration, try history.columns("\(key).a"), colors: husl20)
            large[row, 0] = loss
            large[row, 1] = gradients
            large[row, 2] = values
        }
        var small = Figure(widthInches: 3.375, heightInches: 1.3, rows: 1, columns: 2)
        for (column, kappa) in [1, 5].enumerated() {
            var values = Axes(title: "$\\kappa = \(kappa)$")
            values.plotColumns(x: iteration, try history.columns("kappa\(kappa).a"), colors: husl20, width: 0.7)
            small[0, column] = values
        }
        return [(figures[0], large), (figures[1], small)]
    }
}
