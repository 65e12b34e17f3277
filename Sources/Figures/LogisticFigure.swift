// F1 `softmax_and_u_evolution_icml_2col` (docs/spec.md §3 E1): σ(a)_d on log-log axes and
// u_d = (Wᵀβ)_d on semilog-x axes, 6.75 × 2 in, hls colours in the authors' priority order,
// no minor ticks, short out-ticks, tight_layout(pad 0.2, w_pad 0.6).

import Experiments
import Plot
import SIMDCore
import Records

extension LogisticExperiment: SingleRunFigures {
    public func figures(summary: JSON, history: JSON) throws -> [(name: String, figure: Figure)] {
        let iteration = try history.series("iteration")
        let a = try history.columns("a"), u = try history.columns("u")
        let sigmaRows = (0..<iteration.count).map { t in softmax(a.map { $0[t] }) }
        let sigma = (0..<a.count).map { d in sigmaRows.map { $0[d] } }
        let base = Palette.hls(8)
        let colors = [3, 5, 1, 7, 0, 2, 4, 6].map { base[$0] }

        var figure = Figure(widthInches: 6.75, heightInches: 2, rows: 1, columns: 2, pad: 0.2, wPad: 0.6)
        figure.style.tickLength = 2.5
        figure.style.tickWidth = 0.6
        var left = Axes(title: "Evolution of $\\sigma(a)$", xLabel: "Iteration $t$", yLabel: "Value", xScale: .log, yScale: .log)
        left.plotColumns(x: iteration, sigma, colors: colors, width: 1.2, alpha: 0.9) { "$\\sigma(a)_{\($0 + 1)}$" }
        left.legend = Legend(location: .lowerLeft, columns: 2, handleLength: 1.6, borderAxesPad: 0.2)
        var right = Axes(title: "Evolution of $u$", xLabel: "Iteration $t$", yLabel: "Value", xScale: .log)
        right.plotColumns(x: iteration, u, colors: colors, width: 1.2, alpha: 0.9) { "$u_{\($0 + 1)}$" }
        right.legend = Legend(location: .upperLeft, columns: 2, handleLength: 1.6, borderAxesPad: 0.2)
        left.minorTicks = false
        right.minorTicks = false
        figure[0, 0] = left
        figure[0, 1] = right
        return [(figures[0], figure)]
    }
}
