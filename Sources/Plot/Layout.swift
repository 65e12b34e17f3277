// Layout: data limits, ticks and the `tight_layout` placement of a figure's axes grid.
//
// Limits are the data range plus 5 % margins in the axis' own scale (log axes ignore x ≤ 0, as
// matplotlib's clipping makes an iteration-0 point invisible). tight_layout: every axes of the
// grid gets the same size; the margins and gaps are the largest decorations (tick labels, axis
// labels, titles) on each side plus `pad` (figure edge) or `w_pad`/`h_pad` (between axes), in
// units of the 9-pt font size. As matplotlib's `fig.tight_layout()`, the solve runs once, on the
// decorations the ticks of matplotlib's default subplot grid give; the ticks drawn are then
// chosen for the final axes sizes (so a label may differ from the one measured, as there).

import Foundation

struct Rect {
    var x, y, width, height: Double

    func intersects(_ o: Rect) -> Bool {
        x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height
    }
}

struct AxisLayout {
    var scale: AxisScale
    var limits: (Double, Double)
    var ticks: [Tick]

    /// Axis coordinate in [0, 1] for a data value.
    func fraction(_ v: Double) -> Double {
        let t = { (u: Double) in self.scale == .log ? log10(u) : u }
        return (t(v) - t(limits.0)) / (t(limits.1) - t(limits.0))
    }
}

struct PanelLayout {
    var box: Rect
    var x: AxisLayout
    var y: AxisLayout
    /// The colorbar's rectangle and ticks, when the axes has one.
    var colorbar: (box: Rect, ticks: [Tick])?

    func point(_ xv: Double, _ yv: Double) -> (Double, Double) {
        (box.x + x.fraction(xv) * box.width, box.y + (1 - y.fraction(yv)) * box.height)
    }
}

struct Decorations { var left = 0.0, right = 0.0, top = 0.0, bottom = 0.0 }

/// matplotlib's default subplot parameters (figure fractions): where axes sit before any layout.
enum DefaultGrid {
    static let left = 0.125, right = 0.9, bottom = 0.11, top = 0.88, space = 0.2

    /// One axes' length when `count` axes share `fraction` of `total` points with `space` gaps.
    static func axesLength(_ total: Double, count: Int, fraction: Double) -> Double {
        fraction * total / (Double(count) + space * Double(count - 1))
    }
}

extension Figure {
    /// The width of each axes on matplotlib's default grid (before tight_layout), in points.
    public var defaultAxesWidth: Double {
        DefaultGrid.axesLength(widthPoints, count: columns, fraction: DefaultGrid.right - DefaultGrid.left)
    }
}

enum Layout {

    static func limits(_ values: [Double], scale: AxisScale) -> (Double, Double) {
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        guard var lo = usable.min(), var hi = usable.max() else { return scale == .log ? (1, 10) : (0, 1) }
        if scale == .log { lo = log10(lo); hi = log10(hi) }
        if lo == hi { let d = lo == 0 ? 1 : abs(lo) * 0.05; lo -= d; hi += d }
        let margin = 0.05 * (hi - lo)
        lo -= margin; hi += margin
        return scale == .log ? (pow(10, lo), pow(10, hi)) : (lo, hi)
    }

    static func panels(_ figure: Figure, text: TextPainter) -> [PanelLayout] {
        let style = figure.style
        let w = figure.widthPoints, h = figure.heightPoints
        let rows = figure.rows, cols = figure.columns
        // matplotlib's default subplot parameters place the grid before tight_layout measures it.
        let (left0, top0, space0) = (DefaultGrid.left, DefaultGrid.top, DefaultGrid.space)
        let (axW0, axH0) = (figure.defaultAxesWidth, DefaultGrid.axesLength(h, count: rows, fraction: DefaultGrid.top - DefaultGrid.bottom))
        var panels = figure.axes.enumerated().map { i, axes in
            let r = i / cols, c = i % cols
            return PanelLayout(box: Rect(x: left0 * w + Double(c) * axW0 * (1 + space0), y: (1 - top0) * h + Double(r) * axH0 * (1 + space0),
                                         width: axW0, height: axH0),
                               x: AxisLayout(scale: axes.xScale, limits: axes.xLimits ?? xLimits(axes), ticks: []),
                               y: AxisLayout(scale: axes.yScale, limits: axes.yLimits ?? yLimits(axes), ticks: []))
        }
        func placeTicks() {
            for (i, axes) in figure.axes.enumerated() {
                panels[i].x.ticks = axes.axisOff ? [] : fixed(axes.xTicks, panels[i].x.limits) ??
                    Ticks.ticks(scale: axes.xScale, limits: panels[i].x.limits, length: panels[i].box.width,
                                labelSize: style.tickLabelSize, perLabel: 3, format: .automatic, minor: axes.minorTicks)
                panels[i].y.ticks = axes.axisOff ? [] : fixed(axes.yTicks, panels[i].y.limits) ??
                    Ticks.ticks(scale: axes.yScale, limits: panels[i].y.limits, length: panels[i].box.height,
                                labelSize: style.tickLabelSize, perLabel: 2, format: axes.yTickFormat, minor: axes.minorTicks)
            }
        }
        // One tight_layout pass, as `fig.tight_layout()`: decorations measured with the ticks of
        // the default grid, then the ticks chosen again for the final axes sizes.
        placeTicks()
        let decorations = figure.axes.indices.map { decorate(figure.axes[$0], panels[$0], style: style, text: text) }
        let pad = figure.pad * style.fontSize
        let wPad = (figure.wPad ?? figure.pad) * style.fontSize, hPad = (figure.hPad ?? figure.pad) * style.fontSize
        func d(_ r: Int, _ c: Int) -> Decorations { decorations[r * cols + c] }
        let left = pad + (0..<rows).map { d($0, 0).left }.max()!
        let right = pad + (0..<rows).map { d($0, cols - 1).right }.max()!
        // matplotlib: the suptitle's height and one more pad above the tallest decorations.
        let suptitle = figure.suptitle.map { text.measure($0, size: style.titleSize).height + pad } ?? 0
        let top = pad + suptitle + (0..<cols).map { d(0, $0).top }.max()!
        let bottom = pad + (0..<cols).map { d(rows - 1, $0).bottom }.max()!
        var hGap = 0.0, vGap = 0.0
        if cols > 1 {
            hGap = wPad + (0..<rows).flatMap { r in (0..<(cols - 1)).map { c in d(r, c).right + d(r, c + 1).left } }.max()!
        }
        if rows > 1 {
            vGap = hPad + (0..<cols).flatMap { c in (0..<(rows - 1)).map { r in d(r, c).bottom + d(r + 1, c).top } }.max()!
        }
        let axW = (w - left - right - Double(cols - 1) * hGap) / Double(cols)
        let axH = (h - top - bottom - Double(rows - 1) * vGap) / Double(rows)
        for r in 0..<rows {
            for c in 0..<cols {
                let i = r * cols + c
                var box = Rect(x: left + Double(c) * (axW + hGap), y: top + Double(r) * (axH + vGap), width: axW, height: axH)
                if let bar = figure.axes[i].colorbar {
                    // matplotlib: the bar takes 15 % of the width (5 % of it a pad), 20 times taller than wide.
                    let barWidth = min(0.10 * box.width, box.height / 20)
                    let barBox = Rect(x: box.x + 0.90 * box.width, y: box.y, width: barWidth, height: box.height)
                    box.width *= 0.85
                    panels[i].colorbar = (barBox, colorbarTicks(bar, length: box.height, style: style))
                }
                panels[i].box = box
            }
        }
        placeTicks()
        return panels
    }

    /// Data limits of the x axis: lines, markers and bar edges.
    static func xLimits(_ axes: Axes) -> (Double, Double) {
        if axes.heatmap != nil { return (0, 1) }
        let barEdges = axes.bars.flatMap { b in b.x.flatMap { [$0 - b.width / 2, $0 + b.width / 2] } }
        return limits(axes.lines.flatMap(\.x) + axes.markers.flatMap(\.x) + barEdges, scale: axes.xScale)
    }

    /// Data limits of the y axis; bars stick to 0 (no margin below their base, as in matplotlib).
    static func yLimits(_ axes: Axes) -> (Double, Double) {
        if axes.heatmap != nil { return (0, 1) }
        let values = axes.lines.flatMap(\.y) + axes.markers.flatMap(\.y) + axes.bars.flatMap(\.heights)
        var (lo, hi) = limits(values + (axes.bars.isEmpty ? [] : [0]), scale: axes.yScale)
        if !axes.bars.isEmpty && axes.yScale == .linear && (values.min() ?? 0) >= 0 { lo = 0; hi = (values.max() ?? 1) * 1.05 }
        return (lo, hi)
    }

    /// The colorbar's ticks: a linear y axis of the bar's length over [vmin, vmax].
    static func colorbarTicks(_ bar: Colorbar, length: Double, style: Style) -> [Tick] {
        Ticks.ticks(scale: .linear, limits: (bar.vmin, bar.vmax), length: length, labelSize: style.tickLabelSize,
                    perLabel: 2, format: .automatic, minor: false)
    }

    /// Fixed ticks, kept where they fall inside the limits.
    static func fixed(_ ticks: [(Double, String)]?, _ limits: (Double, Double)) -> [Tick]? {
        ticks.map { list in
            let (lo, hi) = (min(limits.0, limits.1), max(limits.0, limits.1))
            let slack = 1e-9 * (hi - lo)
            return list.filter { $0.0 >= lo - slack && $0.0 <= hi + slack }.map { Tick(value: $0.0, label: $0.1, major: true) }
        }
    }

    /// Size of a tick label's box after rotating it by `degrees`.
    static func rotated(_ box: TextBox, _ degrees: Double) -> TextBox {
        let r = degrees * .pi / 180
        return TextBox(width: abs(box.width * cos(r)) + abs(box.height * sin(r)),
                       height: abs(box.width * sin(r)) + abs(box.height * cos(r)), baseline: 0)
    }

    /// How far tick labels, axis labels and the title reach beyond the axes box.
    static func decorate(_ axes: Axes, _ panel: PanelLayout, style: Style, text: TextPainter) -> Decorations {
        var d = Decorations()
        let gap = style.labelGap(major: true)
        if let bar = axes.colorbar {
            // Tick labels (and label) right of the bar, which itself sits inside the axes slot.
            let labels = colorbarTicks(bar, length: panel.box.height, style: style).compactMap(\.label)
            d.right = gap + (labels.map { text.measure($0, size: style.tickLabelSize).width }.max() ?? 0)
            if let label = bar.label { d.right += style.labelPad + text.measure(label, size: style.labelSize).height }
        }
        if axes.axisOff {
            if let title = axes.title { d.top = style.titlePad + text.measure(title, size: style.titleSize).baseline }
            return d
        }
        let xLabels = panel.x.ticks.compactMap { t in
            t.label.map { (t.value, rotated(text.measure($0, size: style.tickLabelSize), axes.xTickRotation), style.labelGap(major: t.major)) }
        }
        let yLabels = panel.y.ticks.compactMap { t in
            t.label.map { (t.value, text.measure($0, size: style.tickLabelSize), style.labelGap(major: t.major)) }
        }
        // Axis labels sit beyond the farthest tick label (or the tick marks' gap when there is none).
        d.bottom = xLabels.map { $0.2 + $0.1.height }.max() ?? gap
        if let label = axes.xLabel { d.bottom += style.labelPad + text.measure(label, size: style.labelSize).height }
        d.left = yLabels.map { $0.2 + $0.1.width }.max() ?? gap
        if let label = axes.yLabel { d.left += style.labelPad + text.measure(label, size: style.labelSize).height }
        if let title = axes.title { d.top = style.titlePad + text.measure(title, size: style.titleSize).baseline }
        // Labels that stick out past the box edges.
        for (value, box, _) in xLabels {
            let px = panel.x.fraction(value) * panel.box.width
            d.left = max(d.left, box.width / 2 - px)
            d.right = max(d.right, px + box.width / 2 - panel.box.width)
        }
        for (value, box, _) in yLabels {
            let py = (1 - panel.y.fraction(value)) * panel.box.height
            d.top = max(d.top, box.centerBaseline - py)
            d.bottom = max(d.bottom, py + box.height - box.centerBaseline - panel.box.height)
        }
        return d
    }
}

extension Layout {
    /// The smallest rectangle holding everything drawn: each axes box with its tick labels, axis
    /// labels and title, legends and the suptitle (matplotlib's `fig.get_tightbbox`).
    static func contentBox(_ figure: Figure, panels: [PanelLayout], text: TextPainter) -> Rect {
        var boxes: [Rect] = []
        for (axes, panel) in zip(figure.axes, panels) {
            let d = decorate(axes, panel, style: figure.style, text: text)
            let b = panel.box
            boxes.append(Rect(x: b.x - d.left, y: b.y - d.top, width: b.width + d.left + d.right, height: b.height + d.top + d.bottom))
            if let legend = axes.legend, let geometry = Renderer.legendGeometry(legend, axes, panel, style: figure.style, text: text) {
                boxes.append(geometry.box)
            }
            for note in axes.annotations {
                let size = text.measure(note.text, size: note.size)
                let (px, py) = panel.point(note.x, note.y)
                boxes.append(Rect(x: px - size.width / 2, y: py - size.height, width: size.width, height: size.height))
            }
        }
        if let suptitle = figure.suptitle {
            let size = text.measure(suptitle, size: figure.style.titleSize)
            boxes.append(Rect(x: (figure.widthPoints - size.width) / 2, y: (1 - figure.suptitleY) * figure.heightPoints,
                              width: size.width, height: size.height))
        }
        let x0 = boxes.map(\.x).min() ?? 0, y0 = boxes.map(\.y).min() ?? 0
        let x1 = boxes.map { $0.x + $0.width }.max() ?? figure.widthPoints, y1 = boxes.map { $0.y + $0.height }.max() ?? figure.heightPoints
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
