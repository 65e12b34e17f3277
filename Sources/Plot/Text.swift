// Text with Pango on Cairo, in a pinned font.
//
// Fonts: a private fontconfig configuration sees only TeX Gyre Termes (Debian fonts-texgyre; the
// other TeX Gyre families in its folder are rejected) and DejaVu (fallback for the few symbols
// Termes lacks, e.g. ∇), so the figures do not depend on what else is installed. `Fonts.check()`
// fails with a clear message when the resolved family is not Termes. Metrics are unhinted and the
// resolution is 72 dpi, so one unit is one point and a text measures the same on the PDF and on
// the 300-dpi PNG; boxes are then rounded as matplotlib's Agg canvas rounds them (`TextBox`).

import CCairoPango
import Foundation

public struct FontError: Error, CustomStringConvertible {
    public let description: String
}

public enum Fonts {
    public static let family = "TeX Gyre Termes"
    static let directories = ["/usr/share/texmf/fonts/opentype/public/tex-gyre", "/usr/share/fonts/truetype/dejavu"]

    /// Installs the private fontconfig configuration (once) and checks the resolved family.
    public static func check() throws {
        if let error = setup { throw error }
    }

    private static let setup: FontError? = {
        let cache = NSTemporaryDirectory() + "softmax-repro-fontconfig"
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "fonts.dtd">
        <fontconfig>
        \(directories.map { "  <dir>\($0)</dir>" }.joined(separator: "\n"))
          <cachedir>\(cache)</cachedir>
          <selectfont>
            <rejectfont><glob>\(directories[0])/*</glob></rejectfont>
            <acceptfont><glob>\(directories[0])/texgyretermes-*</glob></acceptfont>
          </selectfont>
          <alias><family>monospace</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>
          <alias><family>serif</family><prefer><family>\(family)</family><family>DejaVu Serif</family></prefer></alias>
        </fontconfig>
        """
        guard let config = FcConfigCreate(),
              FcConfigParseAndLoadFromMemory(config, xml, FcTrue) == FcTrue,
              FcConfigBuildFonts(config) == FcTrue,
              FcConfigSetCurrent(config) == FcTrue else {
            return FontError(description: "cannot set up the private fontconfig configuration")
        }
        // Ask Pango which family it really uses for the figures' font.
        let fontMap = pango_cairo_font_map_get_default()
        let context = pango_font_map_create_context(fontMap)
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        let description = pango_font_description_from_string("\(family) 10")
        defer { pango_font_description_free(description) }
        guard let font = pango_context_load_font(context, description) else {
            return FontError(description: "no font could be loaded; install fonts-texgyre (Debian: apt-get install fonts-texgyre)")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(font)) }
        let described = pango_font_describe(font)
        defer { pango_font_description_free(described) }
        let resolved = String(cString: pango_font_description_get_family(described))
        guard resolved == family else {
            return FontError(description: "the figure font '\(family)' resolved to '\(resolved)'; install fonts-texgyre (Debian: apt-get install fonts-texgyre)")
        }
        return nil
    }()
}

/// Size of a laid-out text, in points, measured as matplotlib measures text: the width of the
/// glyphs' ink, and the height of the ink but never less than that of "lp" (one line of
/// ascenders and descenders), so that "0" and "0.5" stand in boxes of the same height.
/// `baseline` is measured from the top of the box.
struct TextBox {
    var width: Double
    var height: Double
    var baseline: Double
    /// Where the box sits in Pango's layout: the ink's left edge and the baseline, from the layout origin.
    var inkLeft = 0.0
    var layoutBaseline = 0.0

    /// matplotlib's "center_baseline" anchor (y tick labels): halfway between the top and the baseline.
    var centerBaseline: Double { baseline / 2 }
}

/// Lays out and draws Pango markup on one Cairo context.
struct TextPainter {
    let cr: OpaquePointer
    let family: String

    /// A layout for `markup` (TeX-like `text` converted) at `size` points.
    func layout(_ text: String, size: Double) -> OpaquePointer {
        let layout = pango_cairo_create_layout(cr)!
        let context = pango_layout_get_context(layout)
        pango_cairo_context_set_resolution(context, 72)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_layout_context_changed(layout)
        let description = pango_font_description_from_string(family)
        pango_font_description_set_size(description, Int32((size * Double(PANGO_SCALE)).rounded()))
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        // No kerning: matplotlib's Agg does not apply Termes' (GPOS) kerning, so neither do we.
        pango_layout_set_markup(layout, "<span font_features=\"kern 0\">" + TeX.markup(text, size: size) + "</span>", -1)
        return layout
    }

    func measure(_ text: String, size: Double) -> TextBox {
        let l = layout(text, size: size)
        defer { g_object_unref(UnsafeMutableRawPointer(l)) }
        return box(l, floor: text == "lp" ? nil : measure("lp", size: size), math: text.contains("$"))
    }

    /// matplotlib measures text on its Agg canvas at the figure's 150 dpi: ink rounded out to
    /// whole pixels, and a mathtext box (any `$…$`) as wide as its advances and padded by one
    /// pixel on every side.
    static let pixel = 72.0 / 150

    private func box(_ l: OpaquePointer, floor lp: TextBox?, math: Bool = false) -> TextBox {
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_extents(l, &ink, &logical)
        let scale = Double(PANGO_SCALE), px = Self.pixel
        let baseline = Double(pango_layout_get_baseline(l)) / scale
        let margin = math ? px : 0
        let ascent = ((baseline - Double(ink.y) / scale) / px).rounded(.up) * px + margin
        let inkDescent = ((Double(ink.y + ink.height) / scale - baseline) / px).rounded(.up) * px + margin
        var height = ink.height > 0 ? ascent + inkDescent : 0, descent = ink.height > 0 ? inkDescent : 0
        if let lp {
            height = max(height, lp.height)
            descent = max(descent, lp.height - lp.baseline)
        }
        // Mathtext boxes are as wide as the glyphs' advances, plain text as its ink.
        let (left, right) = math ? (logical.x, ink.x + ink.width) : (ink.x, ink.x + ink.width)
        let width = ink.width > 0 ? (Double(right - left) / scale / px).rounded(.up) * px + 2 * margin : 0
        return TextBox(width: width, height: height, baseline: height - descent,
                       inkLeft: Double(left) / scale - margin, layoutBaseline: baseline)
    }

    /// Draws `text` so that the point (x, y) sits at the fractions (ax, ay) of its box
    /// (0, 0 = top left; 0.5, 0.5 = centre), rotated by `degrees` counter-clockwise about (x, y).
    /// Returns the text's (unrotated) box.
    @discardableResult
    func draw(_ text: String, size: Double, x: Double, y: Double, ax: Double, ay: Double,
              color: Color, degrees: Double = 0) -> TextBox {
        let l = layout(text, size: size)
        defer { g_object_unref(UnsafeMutableRawPointer(l)) }
        let b = box(l, floor: measure("lp", size: size), math: text.contains("$"))
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_rotate(cr, -degrees * .pi / 180)
        cairo_set_source_rgba(cr, color.red, color.green, color.blue, color.alpha)
        cairo_move_to(cr, -ax * b.width - b.inkLeft, -ay * b.height + b.baseline - b.layoutBaseline)
        pango_cairo_update_layout(cr, l)
        pango_cairo_show_layout(cr, l)
        cairo_restore(cr)
        return b
    }

    /// Draws with the baseline (not the box top) at y.
    func drawOnBaseline(_ text: String, size: Double, x: Double, y: Double, ax: Double, color: Color) {
        let b = measure(text, size: size)
        draw(text, size: size, x: x, y: y - b.baseline, ax: ax, ay: 0, color: color)
    }
}
