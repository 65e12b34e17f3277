// Legends: matplotlib's frameless legend geometry (in legend font sizes: border pad 0.4, handle
// length 2.0 by default, handle-text pad 0.8, label spacing 0.5, column spacing 2.0; columns
// filled top to bottom, each row as tall as its tallest label) and its "best" location as
// matplotlib 3.10.8 chooses it: the candidate box with the fewest line vertices inside, lines
// touching it and bars under it, ties going to the first in matplotlib's order.

import CCairoPango
import Foundation

extension Renderer {
    enum Handle {
        case line(Line)
        case patch(Bars)
        case marker(Markers)
    }

    /// Where a legend goes and how its entries are laid out (nil: no labelled artist, or
    /// dropped because it would cover a bar).
    struct LegendGeometry {
        var entries: [(handle: Handle, label: String)]
        /// The legend's box, border pad included (matplotlib's legend window extent).
        var box: Rect
        var columns: [[Int]]
        var columnWidths: [Double]
        var rowHeights: [Double]
    }

    static func legendGeometry(_ legend: Legend, _ axes: Axes, _ panel: PanelLayout, style: Style, text: TextPainter) -> LegendGeometry? {
        // Only artists that draw something have an entry (seaborn labels the hue levels it plots).
        let entries: [(handle: Handle, label: String)] =
            axes.bars.filter { !$0.x.isEmpty }.compactMap { b in b.label.map { (.patch(b), $0) } }
            + axes.lines.filter { !$0.x.isEmpty }.compactMap { l in l.label.map { (.line(l), $0) } }
            + axes.markers.filter { !$0.x.isEmpty }.compactMap { m in m.label.map { (.marker(m), $0) } }
        guard !entries.isEmpty else { return nil }
        let fs = style.legendSize
        let boxes = entries.map { text.measure($0.label, size: fs) }
        let rowsPerColumn = (entries.count + legend.columns - 1) / legend.columns
        let columns = stride(from: 0, to: entries.count, by: rowsPerColumn).map { Array($0..<min($0 + rowsPerColumn, entries.count)) }
        // A row is as tall as its tallest label (at least one plain line), as matplotlib's packed rows are.
        let plain = text.measure("lp", size: fs).height
        let rowHeights = (0..<rowsPerColumn).map { r in
            columns.compactMap { r < $0.count ? boxes[$0[r]].height : nil }.reduce(plain, max)
        }
        let columnWidths = columns.map { column in legend.handleLength * fs + 0.8 * fs + column.map { boxes[$0].width }.max()! }
        let width = 0.8 * fs + columnWidths.reduce(0, +) + Double(columns.count - 1) * 2.0 * fs
        let height = 0.8 * fs + rowHeights.reduce(0, +) + Double(rowsPerColumn - 1) * 0.5 * fs

        let barBoxes = axes.bars.flatMap { barRects($0, panel) }.filter { $0.height > 0 }
        let b = panel.box, inset = legend.borderAxesPad * fs
        func origin(_ location: LegendLocation) -> (Double, Double) {
            let left = b.x + inset, right = b.x + b.width - inset - width, midX = b.x + (b.width - width) / 2
            let top = b.y + inset, bottom = b.y + b.height - inset - height, midY = b.y + (b.height - height) / 2
            switch location {
            case .best, .upperRight: return (right, top)
            case .upperLeft: return (left, top)
            case .lowerLeft: return (left, bottom)
            case .lowerRight: return (right, bottom)
            case .right, .centerRight: return (right, midY)
            case .centerLeft: return (left, midY)
            case .lowerCenter: return (midX, bottom)
            case .upperCenter: return (midX, top)
            case .center: return (midX, midY)
            }
        }
        var location = legend.location
        if location == .best {
            // matplotlib 3.10.8 `_find_best_position`: the first candidate with the least badness.
            let candidates = LegendLocation.allCases.filter { $0 != .best }
            let scores = candidates.map { candidate -> Int in
                let (x, y) = origin(candidate)
                let box = Rect(x: x, y: y, width: width, height: height)
                return badness(box, axes.lines, panel) + barBoxes.filter { $0.intersects(box) }.count
            }
            location = candidates[scores.firstIndex(of: scores.min()!)!]
        }
        let (x, y) = origin(location)
        let box = Rect(x: x, y: y, width: width, height: height)
        if legend.dropIfOverlappingBars && barBoxes.contains(where: { $0.intersects(box) }) { return nil }
        return LegendGeometry(entries: entries, box: box, columns: columns, columnWidths: columnWidths, rowHeights: rowHeights)
    }

    static func drawLegend(_ legend: Legend, _ axes: Axes, _ panel: PanelLayout, style: Style,
                           cr: OpaquePointer, text: TextPainter) {
        guard let geometry = legendGeometry(legend, axes, panel, style: style, text: text) else { return }
        let fs = style.legendSize
        var x = geometry.box.x + 0.4 * fs
        for (c, column) in geometry.columns.enumerated() {
            var top = geometry.box.y + 0.4 * fs
            for (r, index) in column.enumerated() {
                let entry = geometry.entries[index]
                let centerY = top + geometry.rowHeights[r] / 2
                top += geometry.rowHeights[r] + 0.5 * fs
                let handleWidth = legend.handleLength * fs
                switch entry.handle {
                case let .line(line):
                    cairo_set_line_cap(cr, style.roundCaps ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_SQUARE)
                    setColor(cr, line.color, alpha: line.alpha)
                    cairo_set_line_width(cr, line.width)
                    cairo_move_to(cr, x, centerY)
                    cairo_line_to(cr, x + handleWidth, centerY)
                    cairo_stroke(cr)
                case let .patch(bars):
                    // matplotlib's patch handle: handle length × 0.7 font sizes.
                    drawPatch(Rect(x: x, y: centerY - 0.35 * fs, width: handleWidth, height: 0.7 * fs), bars, cr: cr)
                case let .marker(markers):
                    setColor(cr, markers.color)
                    cairo_set_line_width(cr, markers.edgeWidth)
                    crossPath(cr, x + handleWidth / 2, centerY, half: markers.size / 2)
                    cairo_stroke(cr)
                }
                text.draw(entry.label, size: fs, x: x + (legend.handleLength + 0.8) * fs, y: centerY, ax: 0, ay: 0.5,
                          color: style.foreground)
            }
            x += geometry.columnWidths[c] + 2.0 * fs
        }
    }

    /// matplotlib's badness of a legend box: line vertices strictly inside it, plus one for
    /// each line whose polyline touches it.
    static func badness(_ box: Rect, _ lines: [Line], _ panel: PanelLayout) -> Int {
        func inside(_ p: (Double, Double)) -> Bool {
            p.0 > box.x && p.0 < box.x + box.width && p.1 > box.y && p.1 < box.y + box.height
        }
        var count = 0
        for line in lines {
            var previous: (Double, Double)?
            var touches = false
            for (x, y) in zip(line.x, line.y) {
                guard x.isFinite, y.isFinite, panel.x.scale == .linear || x > 0, panel.y.scale == .linear || y > 0 else {
                    previous = nil; continue
                }
                let p = panel.point(x, y)
                if inside(p) { count += 1; touches = true }
                if !touches, let q = previous, segmentCrosses(q, p, box) { touches = true }
                previous = p
            }
            if touches { count += 1 }
        }
        return count
    }

    /// Whether the segment a–b crosses the rectangle (both ends outside).
    static func segmentCrosses(_ a: (Double, Double), _ b: (Double, Double), _ r: Rect) -> Bool {
        // Liang–Barsky clipping.
        var t0 = 0.0, t1 = 1.0
        let dx = b.0 - a.0, dy = b.1 - a.1
        for (p, q) in [(-dx, a.0 - r.x), (dx, r.x + r.width - a.0), (-dy, a.1 - r.y), (dy, r.y + r.height - a.1)] {
            if p == 0 { if q < 0 { return false }; continue }
            let t = q / p
            if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            if t0 > t1 { return false }
        }
        return true
    }
}
