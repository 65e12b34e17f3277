// Document: a multi-page PDF of text, tables and PNG images, laid out top to bottom with Pango
// on Cairo (the report's PDF). One `Page` is one PDF page: blocks are never moved to another
// page, and a page whose blocks do not fit is reported in `overflowingPages` rather than split.
// Images shrink to fit the space left below the text. Output is byte-identical from run to run
// (fixed creation date, as `Renderer`).

import CCairoPango
import Foundation

public struct Document {
    public enum Block {
        /// A section title.
        case heading(String)
        /// Pango markup, wrapped to the page width.
        case paragraph(String, size: Double = 9)
        case table(Table)
        /// PNG files side by side, scaled to share the width and fit the height left on the page.
        case images([(path: String, caption: String)])
    }

    public struct Table {
        /// Column titles and widths in points.
        public var columns: [(title: String, width: Double)]
        /// Cells as Pango markup, with an optional background.
        public var rows: [[(markup: String, background: Color?)]]
        public var size: Double

        public init(columns: [(title: String, width: Double)], rows: [[(markup: String, background: Color?)]], size: Double = 7) {
            self.columns = columns; self.rows = rows; self.size = size
        }
    }

    public typealias Page = [Block]

    public var pages: [Page]
    public var title: String
    /// A4 landscape, in points.
    public var width = 842.0, height = 595.0, margin = 30.0

    public init(title: String, pages: [Page]) { self.title = title; self.pages = pages }

    /// The PDF, and the (0-based) pages whose text did not fit.
    public func pdf() throws -> (bytes: [UInt8], overflowingPages: [Int]) {
        try Fonts.check()
        let sink = ByteSink()
        let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, Renderer.creationDate)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "softmax-repro")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        let cr = cairo_create(surface)!
        var overflowing: [Int] = []
        for (index, page) in pages.enumerated() {
            if !draw(page, on: cr) { overflowing.append(index) }
            cairo_show_page(cr)
        }
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw FontError(description: "cairo PDF error \(status)") }
        return (sink.bytes, overflowing)
    }

    /// Draws one page; false when a block ran past the bottom margin. The gap after a block
    /// separates it from the next one, so the last block's gap may lie in the margin.
    func draw(_ page: Page, on cr: OpaquePointer) -> Bool {
        let writer = Writer(cr: cr)
        let textWidth = width - 2 * margin
        var (y, bottom) = (margin, margin)   // where the next block starts; where the last one ended
        for block in page {
            let (used, gap): (Double, Double)
            switch block {
            case let .heading(text):
                (used, gap) = (writer.show(Writer.escape(text), size: 15, bold: true, x: margin, y: y, width: textWidth), 6)
            case let .paragraph(markup, size):
                (used, gap) = (writer.show(markup, size: size, x: margin, y: y, width: textWidth), 5)
            case let .table(table):
                (used, gap) = (drawTable(table, writer: writer, y: y), 6)
            case let .images(images):
                (used, gap) = (drawImages(images, writer: writer, y: y, height: height - margin - y), 0)
            }
            bottom = y + used
            y = bottom + gap
        }
        return bottom <= height - margin + 0.5
    }

    func drawTable(_ table: Table, writer: Writer, y top: Double) -> Double {
        let pad = 1.6
        var y = top
        let header = table.columns.map { (markup: "<b>\(Writer.escape($0.title))</b>", background: Optional(Color(hex: "#e8e8e8"))) }
        let hasHeader = table.columns.contains { !$0.title.isEmpty }
        for row in (hasHeader ? [header] : []) + table.rows {
            var x = margin
            let heights = zip(row, table.columns).map { cell, column in
                writer.measure(cell.markup, size: table.size, width: column.width - 2 * pad)
            }
            let rowHeight = (heights.max() ?? 0) + 2 * pad
            for (cell, column) in zip(row, table.columns) {
                if let background = cell.background {
                    cairo_set_source_rgb(writer.cr, background.red, background.green, background.blue)
                    cairo_rectangle(writer.cr, x, y, column.width, rowHeight)
                    cairo_fill(writer.cr)
                }
                _ = writer.show(cell.markup, size: table.size, x: x + pad, y: y + pad, width: column.width - 2 * pad)
                x += column.width
            }
            cairo_set_source_rgb(writer.cr, 0.6, 0.6, 0.6)
            cairo_set_line_width(writer.cr, 0.4)
            cairo_move_to(writer.cr, margin, y + rowHeight)
            cairo_line_to(writer.cr, x, y + rowHeight)
            cairo_stroke(writer.cr)
            y += rowHeight
        }
        return y - top
    }

    /// Returns the height used. A file that cannot be read is drawn as a framed "not drawn" box.
    func drawImages(_ images: [(path: String, caption: String)], writer: Writer, y top: Double, height available: Double) -> Double {
        guard !images.isEmpty else { return 0 }
        let gap = 12.0, captionHeight = 12.0
        let slot = (width - 2 * margin - gap * Double(images.count - 1)) / Double(images.count)
        let surfaces = images.map { image -> OpaquePointer? in
            guard FileManager.default.fileExists(atPath: image.path) else { return nil }
            let s = cairo_image_surface_create_from_png(image.path)!
            guard cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else { cairo_surface_destroy(s); return nil }
            return s
        }
        defer { surfaces.forEach { $0.map(cairo_surface_destroy) } }
        // One scale for the row: every image fits its slot and the height left.
        let sizes = surfaces.map { s in s.map { (Double(cairo_image_surface_get_width($0)), Double(cairo_image_surface_get_height($0))) } ?? (300, 200) }
        let scale = sizes.map { min(slot / $0.0, (available - captionHeight) / $0.1) }.min() ?? 1
        var used = 0.0
        for (i, (image, surface)) in zip(images, surfaces).enumerated() {
            let x = margin + Double(i) * (slot + gap)
            let (w, h) = (sizes[i].0 * scale, sizes[i].1 * scale)
            let left = x + (slot - w) / 2
            if let surface {
                cairo_save(writer.cr)
                cairo_translate(writer.cr, left, top)
                cairo_scale(writer.cr, scale, scale)
                cairo_set_source_surface(writer.cr, surface, 0, 0)
                cairo_pattern_set_filter(cairo_get_source(writer.cr), CAIRO_FILTER_GOOD)
                cairo_paint(writer.cr)
                cairo_restore(writer.cr)
            } else {
                cairo_set_source_rgb(writer.cr, 0.8, 0, 0)
                cairo_set_line_width(writer.cr, 1)
                cairo_rectangle(writer.cr, left, top, w, h)
                cairo_stroke(writer.cr)
                _ = writer.show("<b>not drawn</b>: \(Writer.escape((image.path as NSString).lastPathComponent))", size: 9,
                                x: left + 6, y: top + 6, width: w - 12)
            }
            _ = writer.show("<i>\(Writer.escape(image.caption))</i>", size: 7, x: left, y: top + h + 2, width: w)
            used = max(used, h + captionHeight)
        }
        return used
    }
}

/// Wrapped Pango markup in the report font.
public struct Writer {
    let cr: OpaquePointer

    /// Text as Pango markup (and as HTML: the same XML escapes).
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    func layout(_ markup: String, size: Double, bold: Bool, width: Double) -> OpaquePointer {
        let l = TextPainter(cr: cr, family: Fonts.family).layout("", size: size)
        if bold {
            let description = pango_font_description_from_string("\(Fonts.family) Bold")
            pango_font_description_set_size(description, Int32((size * Double(PANGO_SCALE)).rounded()))
            pango_layout_set_font_description(l, description)
            pango_font_description_free(description)
        }
        pango_layout_set_width(l, Int32((width * Double(PANGO_SCALE)).rounded()))
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_markup(l, markup, -1)
        return l
    }

    func measure(_ markup: String, size: Double, width: Double) -> Double {
        let l = layout(markup, size: size, bold: false, width: width)
        defer { g_object_unref(UnsafeMutableRawPointer(l)) }
        var logical = PangoRectangle()
        pango_layout_get_extents(l, nil, &logical)
        return Double(logical.height) / Double(PANGO_SCALE)
    }

    /// Draws at (x, y) = top left; returns the height.
    func show(_ markup: String, size: Double, bold: Bool = false, x: Double, y: Double, width: Double) -> Double {
        let l = layout(markup, size: size, bold: bold, width: width)
        defer { g_object_unref(UnsafeMutableRawPointer(l)) }
        var logical = PangoRectangle()
        pango_layout_get_extents(l, nil, &logical)
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_move_to(cr, x, y)
        pango_cairo_update_layout(cr, l)
        pango_cairo_show_layout(cr, l)
        return Double(logical.height) / Double(PANGO_SCALE)
    }
}

extension Fonts {
    /// The drawing libraries this build links, as the report's header names them.
    public static var libraryVersions: String {
        "cairo \(String(cString: cairo_version_string())), pango \(String(cString: pango_version_string()))"
    }
}
