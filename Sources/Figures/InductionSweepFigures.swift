// F8 (sink proportions) and F9 (accuracy) of the induction sweep (docs/spec.md §5.5), one figure per
// (aux weight, shifted query, positional type): bars per attention base, hue = with / without
// normalization, 3.25 × 1.8 in.
//
// F8 keeps the learned runs; a run's value is the share of its layer-1 heads that are sink heads
// (`InductionRunRecord`: the thresholds live there). F9 averages acc_induction
// over all runs and hatches every bar. A missing (base, normalization) pair gets a red × at
// height 0.1, except softmax without normalization, which does not exist; the softmax bar is
// moved right by its width/1.7 to sit near its tick; the legend is dropped if it covers a bar.

import Experiments
import Plot
import Randomness
import Records
import Transformer

public enum InductionSweepFigures {
    /// `planned`: for a partial sweep, every planned run (its metrics unread), for the n of N marks.
    public static func sinkProportions(_ runs: [InductionRunRecord], aux: Double, shift: Bool, positional: Positional,
                                       planned: [InductionRunRecord]? = nil) -> Figure {
        let kept = select(runs, aux, shift, positional).filter(\.isLearned)
        return KindBars.figure(kept.map { ($0.attention, $0.sinkProportion) }, yLabel: "% of sink heads", hatch: nil,
                               legend: Legend(location: .upperRight, dropIfOverlappingBars: true),
                               planned: planned.map { KindBars.counts(select($0, aux, shift, positional)) })
    }

    public static func accuracy(_ runs: [InductionRunRecord], aux: Double, shift: Bool, positional: Positional,
                                planned: [InductionRunRecord]? = nil) -> Figure {
        KindBars.figure(select(runs, aux, shift, positional).map { ($0.attention, $0.accuracyInduction) }, yLabel: "Accuracy",
                        hatch: "xxxxxxxxx", legend: Legend(location: .upperLeft, columns: 2, dropIfOverlappingBars: true),
                        planned: planned.map { KindBars.counts(select($0, aux, shift, positional)) })
    }

    static func select(_ runs: [InductionRunRecord], _ aux: Double, _ shift: Bool, _ positional: Positional) -> [InductionRunRecord] {
        runs.filter { $0.auxWeight == aux && $0.shiftQuery == shift && $0.positional == positional }
    }
}

/// The bar chart shared by F8, F9 and F11 (docs/spec.md §5.5, §6.5): x = attention base in the
/// authors' order, hue = with / without normalization (seaborn's desaturated hls[3], hls[5]).
enum KindBars {
    /// The plotted bases in order, with their labels.
    static let bases: [(label: String, kinds: (normalized: AttentionKind?, unnormalized: AttentionKind?))] = [
        ("softmax", (.softmax, nil)),
        ("sigmoid", (.sigmoidNorm, .sigmoidUnnorm)),
        ("elu", (.coupledLinearNorm, .coupledLinearUnnorm)),
        ("elu $\\cdot$ elu", (.linear, .linearUnnorm)),
        ("mlp", (.mlpNorm, .mlpUnnorm)),
        ("linear", (.rawDotProductNorm, .rawDotProductUnnorm)),
    ]
    static let hues = ["w. norm.", "w/o norm."]

    /// Runs per attention kind (the N of a partial sweep's n of N marks).
    static func counts<Record>(_ runs: [Record]) -> [AttentionKind: Int] where Record: KindRecord {
        Dictionary(grouping: runs, by: \.attention).mapValues(\.count)
    }
    static let colors = [Palette.desaturated(Palette.hls(8)[3], 0.75), Palette.desaturated(Palette.hls(8)[5], 0.75)]

    /// A 3.25 × 1.8 in figure of one such chart.
    static func figure(_ values: [(AttentionKind, Double)], yLabel: String, hatch: String?, legend: Legend,
                       planned: [AttentionKind: Int]? = nil) -> Figure {
        var figure = Figure(widthInches: 3.25, heightInches: 1.8, rows: 1, columns: 1, style: .icml)
        figure[0, 0] = axes(values, yLabel: yLabel, hatch: hatch, legend: legend, planned: planned)
        return figure
    }

    /// One bar per (base, normalization): the mean of the values of that kind. With `planned` (a
    /// sweep not yet complete), each bar is marked "n/N" (runs averaged / runs planned) and, for
    /// n ≥ 2, a 95 % bootstrap interval of the mean.
    static func axes(_ values: [(AttentionKind, Double)], yLabel: String?, hatch: String?, legend: Legend?,
                     planned: [AttentionKind: Int]? = nil) -> Axes {
        var axes = Axes(yLabel: yLabel)
        var crosses: [(Double, Double)] = []
        // seaborn's dodge="auto": hue levels side by side only when some base has both; otherwise
        // each bar is 0.7 wide on its tick (a small or partial sweep can have one level per base).
        let present = Set(values.map(\.0))
        let dodge = bases.contains { $0.kinds.normalized.map(present.contains) == true && $0.kinds.unnormalized.map(present.contains) == true }
        let width = dodge ? 0.315 : 0.7
        for (j, hue) in hues.enumerated() {
            var x: [Double] = [], heights: [Double] = []
            for (i, base) in bases.enumerated() {
                let slot = Double(i) + (Double(j) - 0.5) * 0.35   // the authors' red × assumes dodged bars
                guard let kind = j == 0 ? base.kinds.normalized : base.kinds.unnormalized else { continue }
                let values = values.filter { $0.0 == kind }.map(\.1)
                if values.isEmpty { crosses.append((slot, 0.1)); continue }
                let center = dodge ? slot : Double(i)
                // The softmax bar (the first patch) is moved right by width/1.7.
                x.append(kind == .softmax ? center + width / 1.7 : center)
                heights.append(values.mean)
                if let planned {
                    var top = values.mean
                    if values.count >= 2 {
                        let (low, high) = bootstrapInterval(values)
                        axes.lines.append(Line(x: [x.last!, x.last!], y: [low, high], color: .black, width: 0.8))
                        top = high
                    }
                    axes.annotations.append((x.last!, min(top, 0.9) + 0.02, "\(values.count)/\(planned[kind] ?? values.count)", 4.5))
                }
            }
            var bars = Bars(x: x, heights: heights, width: width, color: colors[j], label: hue)
            bars.hatch = hatch
            axes.bars.append(bars)
        }
        if !crosses.isEmpty {
            axes.markers = [Markers(x: crosses.map(\.0), y: crosses.map(\.1), size: 7, edgeWidth: 2, color: Color(hex: "#ff0000"))]
        }
        axes.xTicks = bases.enumerated().map { (Double($0.offset), $0.element.label) }
        axes.xTickRotation = 45
        axes.xLimits = (-0.5, Double(bases.count) - 0.5)
        axes.yLimits = (0, 1)
        axes.yTicks = [0, 0.25, 0.5, 0.75, 1].map { ($0, "\(Int($0 * 100))%") }
        axes.legend = legend
        return axes
    }
}

/// The 2.5 % and 97.5 % quantiles of the mean of `values` over 1000 resamples with replacement,
/// drawn from a fixed stream (seed 0), so a figure is the same every time it is drawn.
func bootstrapInterval(_ values: [Double]) -> (Double, Double) {
    var random = NumPyRandomState(seed: 0)
    let means = (0..<1000).map { _ in
        (0..<values.count).map { _ in values[Int(random.randomSample() * Double(values.count))] }.mean
    }.sorted()
    return (means[25], means[974])
}

extension InductionSweep: ExperimentFigures {
    public func figures(_ runs: [RunRecord], planned: [RunSpec]?) throws -> [(name: String, figure: Figure)] {
        let stored = try records(runs)
        // For a partial sweep: the coordinates of every planned run (its metrics are not read).
        let all = try planned.map(plannedRecords)
        return Self.settings.flatMap { s in
            [(FigureName.induction("sink_proportions", aux: s.aux, shift: s.shift, positional: s.positional),
              InductionSweepFigures.sinkProportions(stored, aux: s.aux, shift: s.shift, positional: s.positional, planned: all)),
             (FigureName.induction("accuracy", aux: s.aux, shift: s.shift, positional: s.positional),
              InductionSweepFigures.accuracy(stored, aux: s.aux, shift: s.shift, positional: s.positional, planned: all))]
        }
    }
}
