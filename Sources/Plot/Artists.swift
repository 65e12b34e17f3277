// Drawing of bars (with matplotlib hatches), markers and heatmaps inside an axes box.
//
// Hatches follow matplotlib's geometry: a hatch string repeats its characters to raise the
// density, six lines per inch per character, on a pattern anchored at the page origin, drawn in
// the edge colour: "/" "\\" "x" diagonals, "-" "|" "+" straight lines, "." dots, "*" stars.

import CCairoPango
import Foundation

extension Renderer {
    /// Bar rectangles in page points (zero-height bars included).
    static func barRects(_ bars: Bars, _ panel: PanelLayout) -> [Rect] {
        zip(bars.x, bars.heights).map { x, h in
            let (x0, y0) = panel.point(x - bars.width / 2, h)
            let (x1, y1) = panel.point(x + bars.width / 2, 0)
            return Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0))
        }
    }

    static func drawBars(_ bars: Bars, _ panel: PanelLayout, cr: OpaquePointer) {
        for rect in barRects(bars, panel) where rect.height.isFinite {
            drawPatch(rect, bars, cr: cr)
        }
    }

    /// One filled, hatched and outlined rectangle (bars and their legend handles).
    static func drawPatch(_ r: Rect, _ bars: Bars, cr: OpaquePointer) {
        cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        setColor(cr, bars.color, alpha: bars.alpha)
        cairo_fill(cr)
        if let hatch = bars.hatch, r.width > 0, r.height > 0 {
            cairo_save(cr)
            cairo_rectangle(cr, r.x, r.y, r.width, r.height)
            cairo_clip(cr)
            setColor(cr, bars.edgeColor, alpha: bars.alpha)
            drawHatch(hatch, in: r, lineWidth: bars.hatchWidth, cr: cr)
            cairo_restore(cr)
        }
        if bars.edgeWidth > 0 {
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER)
            cairo_rectangle(cr, r.x, r.y, r.width, r.height)
            setColor(cr, bars.edgeColor, alpha: bars.alpha)
            cairo_set_line_width(cr, bars.edgeWidth)
            cairo_stroke(cr)
        }
    }

    static func drawHatch(_ hatch: String, in r: Rect, lineWidth: Double, cr: OpaquePointer) {
        func count(_ chars: String) -> Int { hatch.filter { chars.contains($0) }.count }
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        // Families of parallel lines: direction (dx, dy) and how many per inch.
        let families: [((Double, Double), Int)] = [
            ((1, -1), count("/xX") * 6), ((1, 1), count("\\\\xX") * 6), ((1, 0), count("-+") * 6), ((0, 1), count("|+") * 6),
        ]
        for ((dx, dy), perInch) in families where perInch > 0 {
            let spacing = 72.0 / Double(perInch)
            // Lines n·(−dy, dx)·p = k·spacing·|(dx, dy)|, anchored at the page origin.
            let nx = -dy, ny = dx, length = (dx * dx + dy * dy).squareRoot()
            let corners = [(r.x, r.y), (r.x + r.width, r.y), (r.x, r.y + r.height), (r.x + r.width, r.y + r.height)]
            let projections = corners.map { ($0.0 * nx + $0.1 * ny) / length }
            let first = Int((projections.min()! / spacing).rounded(.down)), last = Int((projections.max()! / spacing).rounded(.up))
            let reach = r.width + r.height
            for k in first...last {
                let c = Double(k) * spacing
                let (px, py) = (nx / length * c, ny / length * c)
                // A point on the line near the box, then far in both directions.
                let t = ((r.x - px) * dx + (r.y - py) * dy) / (length * length)
                let (cx, cy) = (px + t * dx, py + t * dy)
                let (ux, uy) = (dx / length * reach * 2, dy / length * reach * 2)
                cairo_move_to(cr, cx - ux, cy - uy)
                cairo_line_to(cr, cx + ux, cy + uy)
            }
            cairo_stroke(cr)
        }
        // Dots and stars on a grid of `perInch` rows, odd rows offset by half a cell.
        for (shape, perInch) in [(".", count(".") * 6), ("*", count("*") * 6)] where perInch > 0 {
            let cell = 72.0 / Double(perInch)
            let rowsRange = Int((r.y / cell).rounded(.down))...Int(((r.y + r.height) / cell).rounded(.up))
            for row in rowsRange {
                let offset = row % 2 == 0 ? 0 : cell / 2
                let colsRange = Int(((r.x - offset) / cell).rounded(.down))...Int(((r.x + r.width - offset) / cell).rounded(.up))
                for col in colsRange {
                    let (x, y) = (Double(col) * cell + offset, Double(row) * cell)
                    // matplotlib's sizes: dots of radius 0.1 cell, 5-point stars of radius 1/3 cell (inner 1/2 of it).
                    if shape == "." {
                        cairo_arc(cr, x, y, 0.1 * cell, 0, 2 * .pi)
                    } else {
                        let outer = cell / 3, inner = outer * 0.5
                        for i in 0..<10 {
                            let a = -Double.pi / 2 + Double(i) * .pi / 5, rad = i % 2 == 0 ? outer : inner
                            i == 0 ? cairo_move_to(cr, x + rad * cos(a), y + rad * sin(a)) : cairo_line_to(cr, x + rad * cos(a), y + rad * sin(a))
                        }
                        cairo_close_path(cr)
                    }
                    cairo_fill(cr)
                }
            }
        }
    }

    /// matplotlib's "x" marker: two diagonals spanning `size` points.
    static func drawMarkers(_ markers: Markers, _ panel: PanelLayout, cr: OpaquePointer) {
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        cairo_set_line_width(cr, markers.edgeWidth)
        setColor(cr, markers.color)
        for (x, y) in zip(markers.x, markers.y) {
            let (px, py) = panel.point(x, y)
            crossPath(cr, px, py, half: markers.size / 2)
        }
        cairo_stroke(cr)
    }

    /// The two diagonals of an "x" centred on (x, y).
    static func crossPath(_ cr: OpaquePointer, _ x: Double, _ y: Double, half h: Double) {
        cairo_move_to(cr, x - h, y - h); cairo_line_to(cr, x + h, y + h)
        cairo_move_to(cr, x - h, y + h); cairo_line_to(cr, x + h, y - h)
    }

    /// The matrix filling the axes box (row 0 on top), grid lines at the cell edges, a frame.
    static func drawHeatmap(_ map: Heatmap, in b: Rect, cr: OpaquePointer) {
        let rows = map.values.count, cols = map.values.first?.count ?? 0
        guard rows > 0, cols > 0 else { return }
        let cw = b.width / Double(cols), ch = b.height / Double(rows)
        for (r, row) in map.values.enumerated() {
            for (c, v) in row.enumerated() {
                setColor(cr, map.colormap.color((v - map.vmin) / (map.vmax - map.vmin)))
                cairo_rectangle(cr, b.x + Double(c) * cw, b.y + Double(r) * ch, cw, ch)
                cairo_fill(cr)
            }
        }
        if let grid = map.grid {
            setColor(cr, grid)
            cairo_set_line_width(cr, map.gridWidth)
            for c in 0...cols { cairo_move_to(cr, b.x + Double(c) * cw, b.y); cairo_line_to(cr, b.x + Double(c) * cw, b.y + b.height) }
            for r in 0...rows { cairo_move_to(cr, b.x, b.y + Double(r) * ch); cairo_line_to(cr, b.x + b.width, b.y + Double(r) * ch) }
            cairo_stroke(cr)
        }
        if map.frameWidth > 0 {
            setColor(cr, .black)
            cairo_set_line_width(cr, map.frameWidth)
            cairo_rectangle(cr, b.x, b.y, b.width, b.height)
            cairo_stroke(cr)
        }
    }
}

extension Renderer {
    /// The colormap as 256 stacked bands, an outline, and ticks with labels on the right.
    static func drawColorbar(_ bar: Colorbar, box b: Rect, ticks: [Tick], style: Style, cr: OpaquePointer, text: TextPainter) {
        let levels = bar.colormap.levels
        for level in 0..<levels {
            let t = (Double(level) + 0.5) / Double(levels)
            setColor(cr, bar.colormap.color(t))
            let y0 = b.y + b.height * (1 - Double(level + 1) / Double(levels))
            cairo_rectangle(cr, b.x, y0, b.width, b.height / Double(levels) + 0.01)   // overlap: no hairline seams
            cairo_fill(cr)
        }
        setColor(cr, style.foreground)
        cairo_set_line_width(cr, style.axesLineWidth)
        cairo_rectangle(cr, b.x, b.y, b.width, b.height)
        cairo_stroke(cr)
        let gap = style.tickLength + style.tickPad
        var widest = 0.0
        for tick in ticks {
            let py = b.y + b.height * (1 - (tick.value - bar.vmin) / (bar.vmax - bar.vmin))
            if style.showTicks {
                cairo_set_line_width(cr, style.tickWidth)
                cairo_move_to(cr, b.x + b.width, py)
                cairo_line_to(cr, b.x + b.width + style.tickLength, py)
                cairo_stroke(cr)
            }
            if let label = tick.label {
                let box = text.measure(label, size: style.tickLabelSize)
                text.draw(label, size: style.tickLabelSize, x: b.x + b.width + gap, y: py, ax: 0, ay: box.centerBaseline / box.height,
                          color: style.foreground)
                widest = max(widest, box.width)
            }
        }
        if let label = bar.label {
            text.draw(label, size: style.labelSize, x: b.x + b.width + gap + widest + style.labelPad, y: b.y + b.height / 2,
                      ax: 0.5, ay: 0, color: style.foreground, degrees: 90)
        }
    }
}
