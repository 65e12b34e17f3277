// Bars, hatches, markers, heatmaps, histograms, categorical and percent ticks, rotated labels.

@testable import Plot
import Foundation
import Testing

/// A 1 × 3 figure in the style of F8 (grouped bars, hatch, red cross, % ticks, 45° labels),
/// F10 (attention heatmap) and F13 (two histograms).
func artistFigure() -> Figure {
    var figure = Figure(widthInches: 6.75, heightInches: 1.8, rows: 1, columns: 3)
    let kinds = ["softmax", "sigmoid", "elu", "linear"]
    let green = Palette.desaturated(Palette.hls(8)[3], 0.75), blue = Palette.desaturated(Palette.hls(8)[5], 0.75)
    var bars = Axes(yLabel: "% of sink heads")
    var withNorm = Bars(x: [0.185, 0.825, 1.825, 2.825], heights: [0.9, 0.6, 0.3, 0.75], width: 0.315, color: green, label: "w. norm.")
    var withoutNorm = Bars(x: [1.175, 2.175], heights: [0.2, 0.05], width: 0.315, color: blue, label: "w/o norm.")
    withNorm.hatch = "xxxxxxxxx"
    withoutNorm.hatch = "xxxxxxxxx"
    bars.bars = [withNorm, withoutNorm]
    bars.markers = [Markers(x: [3.175], y: [0.1], size: 7, edgeWidth: 2, color: Color(red: 1, green: 0, blue: 0))]
    bars.xTicks = kinds.enumerated().map { (Double($0), $1) }
    bars.xTickRotation = 45
    bars.xLimits = (-0.5, 3.5)
    bars.yLimits = (0, 1)
    bars.yTicks = [0, 0.25, 0.5, 0.75, 1].map { ($0, "\(Int($0 * 100))%") }
    bars.legend = Legend(location: .upperRight, dropIfOverlappingBars: true)
    figure[0, 0] = bars

    var map = Axes(title: "(a) Softmax")
    map.axisOff = true
    var values = [[Double]](repeating: [Double](repeating: 0, count: 12), count: 12)
    for r in 0..<12 {
        for c in 0..<12 { values[r][c] = c == 0 ? 1 : (c == r ? -1 : Double(c - r) / 12) }
    }
    map.heatmap = Heatmap(values: values, colormap: .attention, vmin: -1, vmax: 1)
    map.colorbar = Colorbar(colormap: .attention, vmin: -1, vmax: 1, label: "weight")
    figure[0, 1] = map

    var histogram = Axes(xLabel: "avg. sparsity score", yLabel: "# heads")
    let scores = (0..<1024).map { 0.5 + 0.45 * sin(Double($0) * 0.37) }
    histogram.bars = [Bars.histogram(scores, bins: 20, color: Palette.set2[2], label: "Softmax"),
                      Bars.histogram(scores.map { $0 * 0.5 }, bins: 20, color: Palette.set2[1], label: "Sigmoid (w/o norm.)")]
    histogram.legend = Legend()
    figure[0, 2] = histogram
    figure.suptitle = "layers=1, heads=1"
    return figure
}

@Suite struct ArtistTests {
    @Test func histogramUsesItsOwnRangeAndClosesTheLastBin() {
        let bars = Bars.histogram([0, 1, 1, 2, 4], bins: 4, color: .black)
        #expect(bars.heights == [1, 2, 1, 1])
        #expect(bars.x == [0.5, 1.5, 2.5, 3.5] && bars.width == 1)
    }

    @Test func attentionColormapEnds() {
        #expect(Colormap.attention.color(0).hex == "#de337d")
        #expect(Colormap.attention.color(1).hex == "#0bb806")
        #expect(Colormap.attention.color(2).hex == "#0bb806")     // clipped
        // Level 128 of 256 sits at x = 128/255, 0.4 % past the middle stop toward green: (236.1, 231.8, 224.1).
        #expect(Colormap.attention.color(0.5).hex == "#ece8e0")
    }

    @Test func legendIsDroppedWhenItCoversABar() throws {
        var figure = artistFigure()
        figure.axes = [figure.axes[0]]
        figure.columns = 1
        figure.suptitle = nil
        func rendered(legend: Bool) throws -> [UInt8] {
            var f = figure
            if !legend { f.axes[0].legend = nil }
            return try Renderer.png(f)
        }
        // Tall bars reach the upper-right legend box: it is left out.
        #expect(try rendered(legend: true) == (try rendered(legend: false)))
        // Short bars leave it free: it is drawn.
        figure.axes[0].bars[0].heights = [0.1, 0.1, 0.1, 0.1]
        figure.axes[0].bars[1].heights = [0.1, 0.1]
        #expect(try rendered(legend: true) != (try rendered(legend: false)))
    }

    @Test func artistFigureRendersDeterministically() throws {
        let figure = artistFigure()
        let png = try Renderer.png(figure)
        #expect(png == (try Renderer.png(figure)))
        #expect(try Renderer.pdf(figure) == (try Renderer.pdf(figure)))
        try Data(png).write(to: URL(fileURLWithPath: NSTemporaryDirectory() + "artist_figure.png"))
    }
}


@Suite struct HistogramEdgeTests {
    /// seaborn 0.13.2's histplot line widths, read off matplotlib for two histplot calls on one
    /// 3.25 × 1.8 in axes (values 0.1…0.3 then 0.5…0.9, 20 bins each): 0.82432 and 0.41216 pt.
    @Test func edgeWidthsFollowSeabornsRule() {
        var figure = Figure(widthInches: 3.25, heightInches: 1.8, rows: 1, columns: 1)
        let first = Bars.histogram([0.1, 0.3, 0.2, 0.25], bins: 20, color: .black)
        let second = Bars.histogram([0.5, 0.9, 0.6], bins: 20, color: .black)
        figure[0, 0].bars = [first, second]
        let widths = Bars.seabornEdgeWidths([first, second], axesWidth: figure.defaultAxesWidth)
        #expect(abs(widths[0] - 0.8243181818181784) < 1e-9 && abs(widths[1] - 0.4121590909090892) < 1e-9, "\(widths)")
    }
}
