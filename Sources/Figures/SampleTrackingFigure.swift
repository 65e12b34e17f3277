// F12 `classification_with_sample_tracking` (docs/spec.md §6.6): for labels 0 and 1, the CLS row's
// attention to each of the 11 keys (husl(11) by position, alpha 0.8) against the training step on
// a log axis (step 0 left out, §2.3); 3.25 × 1.3 in, seaborn's white "paper" theme with font size
// 6 (the pads' unit), 7-pt labels and titles; ylabel σ(a) on the first column; titles "Label 0", "Label 1". Layer 0, head 0.

import Experiments
import Plot
import Records

public enum SampleTrackingFigure {

    public static func make(_ track: SampleTrack) -> Figure {
        var style = Style.seabornPaper
        style.fontSize = 6
        style.labelSize = 7
        style.titleSize = 7
        var figure = Figure(widthInches: 3.25, heightInches: 1.3, rows: 1, columns: 2, style: style)
        let colors = Palette.husl(11)
        for label in 0..<2 {
            var axes = Axes(title: "Label \(label)", yLabel: label == 0 ? "$\\sigma(a)$" : nil, xScale: .log)
            let steps = track.rows[label].indices.dropFirst()
            axes.lines = (0..<11).map { key in
                Line(x: steps.map(Double.init), y: steps.map { track.rows[label][$0][0][0][key] }, color: colors[key],
                     width: 1, alpha: 0.8, label: "\(track.tokens[label][key])")
            }
            figure[0, label] = axes
        }
        return figure
    }
}

extension SampleTrackingExperiment: SingleRunFigures {
    public func figures(summary: JSON, history: JSON) throws -> [(name: String, figure: Figure)] {
        guard let tokens = history["tokens"]?.array?.map({ $0.array?.compactMap(\.int).map(Int32.init) ?? [] }),
              let rows = history["cls_rows"]?.array?.map({ $0.array?.map { [[$0.array?.compactMap(\.double) ?? []]] } ?? [] }),
              tokens.count >= 2, rows.count >= 2 else {
            throw ExperimentError.badRecords(name, "history lacks tokens or cls_rows")
        }
        return [(FigureName.sampleTracking, SampleTrackingFigure.make(SampleTrack(tokens: tokens, rows: rows)))]
    }
}
