// Renderer: draws a Figure once, in points, on any Cairo context, and writes it as a vector PDF,
// an SVG or a PNG (300 dpi unless asked, with a pHYs chunk). The page is cropped to the drawn
// content plus 0.02 in, as the authors' `bbox_inches="tight"`, unless `crop` is false (then it is
// the figure size × 72). Every output is byte-identical from run to run: fixed PDF creation date
// (SOURCE_DATE_EPOCH when set), SVG ids numbered per file, no clocks, no randomness.

import CCairoPango
import Foundation

public enum Renderer {
    /// The PDF creation date: SOURCE_DATE_EPOCH if set, else the paper's submission date.
    public static var creationDate: String {
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Double(epoch) {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            return formatter.string(from: Date(timeIntervalSince1970: seconds))
        }
        return "2026-03-06T00:00:00Z"
    }

    public typealias Page = (x: Double, y: Double, width: Double, height: Double)

    /// The page drawn: the figure's nominal page, or (`crop`) the drawn content plus 0.02 in on
    /// each side, as matplotlib's `savefig(bbox_inches="tight", pad_inches=0.02)`.
    public static func page(_ figure: Figure, crop: Bool) throws -> Page { try laidOut(figure, crop: crop).page }

    /// The figure's layout (computed once per output) and its page.
    static func laidOut(_ figure: Figure, crop: Bool) throws -> (panels: [PanelLayout], page: Page) {
        try Fonts.check()
        return withScratchContext { cr in
            let text = TextPainter(cr: cr, family: figure.style.fontFamily)
            let panels = Layout.panels(figure, text: text)
            guard crop else { return (panels, (0, 0, figure.widthPoints, figure.heightPoints)) }
            let content = Layout.contentBox(figure, panels: panels, text: text), pad = 0.02 * 72
            return (panels, (content.x - pad, content.y - pad, content.width + 2 * pad, content.height + 2 * pad))
        }
    }

    public static func pdf(_ figure: Figure, crop: Bool = true) throws -> [UInt8] {
        let (panels, page) = try laidOut(figure, crop: crop)
        let sink = ByteSink()
        let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                          page.width, page.height)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, creationDate)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "softmax-repro")
        return try finish(surface, sink, figure, panels, page, "PDF")
    }

    /// SVG 1.1 through Cairo; ids are numbered per file, so the bytes do not depend on what
    /// else the process drew before.
    public static func svg(_ figure: Figure, crop: Bool = true) throws -> [UInt8] {
        let (panels, page) = try laidOut(figure, crop: crop)
        let sink = ByteSink()
        let surface = cairo_svg_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                          page.width, page.height)
        cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT)
        return SVG.renumbered(try finish(surface, sink, figure, panels, page, "SVG"))
    }

    private static func finish(_ surface: OpaquePointer?, _ sink: ByteSink, _ figure: Figure, _ panels: [PanelLayout],
                               _ page: Page, _ kind: String) throws -> [UInt8] {
        let cr = cairo_create(surface)!
        cairo_translate(cr, -page.x, -page.y)
        draw(figure, panels, on: cr, page: page)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw FontError(description: "cairo \(kind) error \(status)") }
        return sink.bytes
    }

    public static func png(_ figure: Figure, dpi: Double = 300, crop: Bool = true) throws -> [UInt8] {
        let surface = try raster(figure, dpi: dpi, crop: crop)
        defer { cairo_surface_destroy(surface) }
        let sink = ByteSink()
        let status = cairo_surface_write_to_png_stream(surface, ByteSink.write, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw FontError(description: "cairo PNG error \(status)") }
        return PNG.withPhysicalSize(sink.bytes, dpi: dpi)
    }

    /// The figure drawn on an RGB image of whole pixels (the caller destroys it).
    static func raster(_ figure: Figure, dpi: Double, crop: Bool) throws -> OpaquePointer {
        let (panels, page) = try laidOut(figure, crop: crop)
        let scale = dpi / 72
        // Whole pixels, rounded up (less a rounding error: 234 pt at 300 dpi is 975, not 976).
        let pixels = { (points: Double) in Int32((points * scale - 1e-6).rounded(.up)) }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pixels(page.width), pixels(page.height))!
        let cr = cairo_create(surface)!
        // Every pixel white first: a page that ends inside a pixel leaves no grey column.
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_scale(cr, scale, scale)
        cairo_translate(cr, -page.x, -page.y)
        draw(figure, panels, on: cr, page: page)
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        return surface
    }

    /// Runs `body` with a fresh 1 × 1 image context, for measuring text outside a drawing.
    static func withScratchContext<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr); cairo_surface_destroy(surface) }
        return try body(cr)
    }

    /// Draws the whole figure, laid out as `panels`, in points on `cr`.
    static func draw(_ figure: Figure, _ panels: [PanelLayout], on cr: OpaquePointer, page: Page) {
        let style = figure.style
        let text = TextPainter(cr: cr, family: style.fontFamily)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, page.x, page.y, page.width, page.height)
        cairo_fill(cr)
        if let suptitle = figure.suptitle {
            text.draw(suptitle, size: style.titleSize, x: figure.widthPoints / 2, y: (1 - figure.suptitleY) * figure.heightPoints,
                      ax: 0.5, ay: 0, color: style.foreground)
        }
        for (axes, panel) in zip(figure.axes, panels) {
            if let map = axes.heatmap { drawHeatmap(map, in: panel.box, cr: cr) }
            if let bar = axes.colorbar, let slot = panel.colorbar {
                drawColorbar(bar, box: slot.box, ticks: slot.ticks, style: style, cr: cr, text: text)
            }
            // matplotlib's z-order: patches, then lines and markers, then the frame, then the legend.
            cairo_save(cr)
            cairo_rectangle(cr, panel.box.x, panel.box.y, panel.box.width, panel.box.height)
            cairo_clip(cr)
            axes.bars.forEach { drawBars($0, panel, cr: cr) }
            cairo_restore(cr)
            drawLines(axes.lines, panel, cr: cr, roundCaps: style.roundCaps)
            axes.markers.forEach { drawMarkers($0, panel, cr: cr) }
            for note in axes.annotations {
                let (px, py) = panel.point(note.x, note.y)
                text.draw(note.text, size: note.size, x: px, y: py, ax: 0.5, ay: 1, color: style.foreground)
            }
            drawFrame(axes, panel, style: style, cr: cr, text: text)
            if let legend = axes.legend { drawLegend(legend, axes, panel, style: style, cr: cr, text: text) }
        }
    }

    static func setColor(_ cr: OpaquePointer, _ c: Color, alpha: Double = 1) {
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha * alpha)
    }

    static func drawLines(_ lines: [Line], _ panel: PanelLayout, cr: OpaquePointer, roundCaps: Bool) {
        cairo_save(cr)
        cairo_rectangle(cr, panel.box.x, panel.box.y, panel.box.width, panel.box.height)
        cairo_clip(cr)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, roundCaps ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_SQUARE)
        for line in lines {
            var penDown = false
            for (x, y) in zip(line.x, line.y) {
                let usable = x.isFinite && y.isFinite && (panel.x.scale == .linear || x > 0) && (panel.y.scale == .linear || y > 0)
                guard usable else { penDown = false; continue }
                let (px, py) = panel.point(x, y)
                if penDown { cairo_line_to(cr, px, py) } else { cairo_move_to(cr, px, py); penDown = true }
            }
            setColor(cr, line.color, alpha: line.alpha)
            cairo_set_line_width(cr, line.width)
            cairo_stroke(cr)
        }
        cairo_restore(cr)
    }

    static func drawFrame(_ axes: Axes, _ panel: PanelLayout, style: Style, cr: OpaquePointer, text: TextPainter) {
        let b = panel.box
        let fg = style.foreground
        defer {   // the title is drawn last, with or without the axis
            if let title = axes.title {
                text.drawOnBaseline(title, size: style.titleSize, x: b.x + b.width / 2, y: b.y - style.titlePad, ax: 0.5, color: fg)
            }
        }
        if axes.axisOff { return }
        setColor(cr, fg)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        // Spines: left and bottom (top and right are off in every figure).
        cairo_set_line_width(cr, style.axesLineWidth)
        cairo_move_to(cr, b.x, b.y)
        cairo_line_to(cr, b.x, b.y + b.height)
        cairo_line_to(cr, b.x + b.width, b.y + b.height)
        cairo_stroke(cr)
        var xLabelReach = style.labelGap(major: true), yLabelReach = style.labelGap(major: true)
        for tick in panel.x.ticks {
            let px = b.x + panel.x.fraction(tick.value) * b.width
            if style.showTicks {
                cairo_set_line_width(cr, tick.major ? style.tickWidth : style.minorTickWidth)
                cairo_move_to(cr, px, b.y + b.height)
                cairo_line_to(cr, px, b.y + b.height + (tick.major ? style.tickLength : style.minorTickLength))
                cairo_stroke(cr)
            }
            if let label = tick.label {
                // Rotated labels: the rotated box is centred under the tick, its top `gap` below the axis.
                let box = Layout.rotated(text.measure(label, size: style.tickLabelSize), axes.xTickRotation)
                let gap = style.labelGap(major: tick.major)
                text.draw(label, size: style.tickLabelSize, x: px, y: b.y + b.height + gap + box.height / 2, ax: 0.5, ay: 0.5,
                          color: fg, degrees: axes.xTickRotation)
                xLabelReach = max(xLabelReach, gap + box.height)
            }
        }
        for tick in panel.y.ticks {
            let py = b.y + (1 - panel.y.fraction(tick.value)) * b.height
            if style.showTicks {
                setColor(cr, fg)
                cairo_set_line_width(cr, tick.major ? style.tickWidth : style.minorTickWidth)
                cairo_move_to(cr, b.x, py)
                cairo_line_to(cr, b.x - (tick.major ? style.tickLength : style.minorTickLength), py)
                cairo_stroke(cr)
            }
            if let label = tick.label {
                let gap = style.labelGap(major: tick.major)
                let box = text.measure(label, size: style.tickLabelSize)
                text.draw(label, size: style.tickLabelSize, x: b.x - gap, y: py, ax: 1, ay: box.centerBaseline / box.height, color: fg)
                yLabelReach = max(yLabelReach, gap + box.width)
            }
        }
        if let label = axes.xLabel {
            text.draw(label, size: style.labelSize, x: b.x + b.width / 2, y: b.y + b.height + xLabelReach + style.labelPad,
                      ax: 0.5, ay: 0, color: fg)
        }
        if let label = axes.yLabel {
            text.draw(label, size: style.labelSize, x: b.x - yLabelReach - style.labelPad, y: b.y + b.height / 2,
                      ax: 0.5, ay: 1, color: fg, degrees: 90)
        }
    }
}

/// Collects the bytes a Cairo stream writes.
final class ByteSink {
    var bytes: [UInt8] = []

    static let write: cairo_write_func_t = { closure, data, length in
        let sink = Unmanaged<ByteSink>.fromOpaque(closure!).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}

/// SVG post-processing: Cairo numbers glyphs, surfaces, clips and images with process-wide
/// counters; renumbering them in order of first appearance makes a file independent of what was
/// drawn before it.
enum SVG {
    static func renumbered(_ bytes: [UInt8]) -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self)
        for prefix in ["glyph", "surface", "clip", "image", "pattern", "mask", "source", "filter"] {
            text = renumber(text, prefix: prefix)
        }
        return Array(text.utf8)
    }

    /// Ids `<prefix>N` or `<prefix>N-M` (in id="…", href="#…" and url(#…)) → `<prefix>K` in order of first use.
    private static func renumber(_ text: String, prefix: String) -> String {
        guard let pattern = try? NSRegularExpression(pattern: "(?<=[\"#])\(prefix)(\\d+(?:-\\d+)?)(?=[\")])") else { return text }
        let ns = text as NSString
        var mapping: [String: Int] = [:]
        var out = ""
        var last = 0
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let id = ns.substring(with: match.range(at: 1))
            let number = mapping[id] ?? { mapping[id] = mapping.count; return mapping.count - 1 }()
            out += ns.substring(with: NSRange(location: last, length: match.range.location - last)) + "\(prefix)-r\(number)"
            last = match.range.location + match.range.length
        }
        return out + ns.substring(from: last)
    }
}

/// PNG post-processing: the pHYs chunk that `cairo_surface_write_to_png` leaves out.
public enum PNG {
    /// Inserts pHYs (pixels per metre) right after IHDR.
    public static func withPhysicalSize(_ png: [UInt8], dpi: Double) -> [UInt8] {
        let ihdrEnd = 8 + 4 + 4 + 13 + 4
        guard png.count > ihdrEnd else { return png }
        let perMetre = UInt32((dpi / 0.0254).rounded())
        var chunk: [UInt8] = Array("pHYs".utf8)
        for _ in 0..<2 { chunk += bigEndian(perMetre) }
        chunk.append(1)   // unit: metre
        let body = bigEndian(UInt32(chunk.count - 4)) + chunk + bigEndian(crc32(chunk))
        return Array(png[..<ihdrEnd]) + body + Array(png[ihdrEnd...])
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }

    /// CRC-32 (ISO 3309), as PNG chunks use it.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
