// What a reader sees of a figure's layout, in the form `Tests/Reference/matplotlib_layout.py`
// writes for matplotlib 3.10.8, so that the two can be compared: per axes (row-major, colorbars
// last, as matplotlib's `fig.get_axes()`), the title as its TeX source, scales, limits, the box,
// every labelled tick (major and minor, in increasing order) with its label and position, and
// the legend's box and labels. Lengths are points from the figure's top-left corner.

import Foundation

public struct FigureLayout: Codable, Equatable, Sendable {
    public var figure: String
    /// Width and height of the nominal page (before any crop).
    public var size: [Double]
    public var axes: [AxesLayout]
}

public struct AxesLayout: Codable, Equatable, Sendable {
    public var title: String
    public var xscale: String
    public var yscale: String
    public var xlim: [Double]
    public var ylim: [Double]
    /// x, y (top), width, height.
    public var box: [Double]
    public var axisOn: Bool
    public var xticks: [String]
    public var xtickPositions: [Double]
    public var yticks: [String]
    public var ytickPositions: [Double]
    public var legend: LegendLayout?
}

public struct LegendLayout: Codable, Equatable, Sendable {
    public var box: [Double]
    public var labels: [String]
}

extension FigureLayout {
    /// The layout `Renderer` draws `figure` with.
    public init(_ figure: Figure, name: String) throws {
        try Fonts.check()
        self = Renderer.withScratchContext { cr in
            let text = TextPainter(cr: cr, family: figure.style.fontFamily)
            let panels = Layout.panels(figure, text: text)
            func rect(_ r: Rect) -> [Double] { [r.x, r.y, r.width, r.height] }
            var axesList: [AxesLayout] = []
            for (axes, panel) in zip(figure.axes, panels) {
                let b = panel.box
                let x = panel.x.ticks.filter { $0.label != nil }.sorted { $0.value < $1.value }
                let y = panel.y.ticks.filter { $0.label != nil }.sorted { $0.value < $1.value }
                let legend = axes.legend.flatMap { Renderer.legendGeometry($0, axes, panel, style: figure.style, text: text) }
                axesList.append(AxesLayout(
                    title: axes.title ?? "", xscale: "\(axes.xScale)", yscale: "\(axes.yScale)",
                    xlim: [panel.x.limits.0, panel.x.limits.1], ylim: [panel.y.limits.0, panel.y.limits.1],
                    box: rect(b), axisOn: !axes.axisOff,
                    xticks: x.map { $0.label! }, xtickPositions: x.map { b.x + panel.x.fraction($0.value) * b.width },
                    yticks: y.map { $0.label! }, ytickPositions: y.map { b.y + (1 - panel.y.fraction($0.value)) * b.height },
                    legend: legend.map { LegendLayout(box: rect($0.box), labels: $0.entries.map(\.label)) }))
            }
            return FigureLayout(figure: name, size: [figure.widthPoints, figure.heightPoints], axes: axesList)
        }
    }
}
