// Palettes, TeX markup, PNG chunks, deterministic output and a layout snapshot of a small figure.

@testable import Plot
import CCairoPango
import Foundation
import Testing

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

/// The small two-panel figure of the snapshot test: log-log with a legend, linear with fixed decimals.
func sampleFigure() -> Figure {
    var figure = Figure(widthInches: 3.25, heightInches: 1.8, rows: 1, columns: 2, pad: 0.2, wPad: 0.6)
    let x = (1...1000).map(Double.init)
    var left = Axes(title: "\\textbf{Loss} ($D = 10$)", xLabel: "Iteration $t$", yLabel: "$\\|U^{(m)}\\|_F$", xScale: .log, yScale: .log)
    left.lines = [Line(x: [0] + x, y: [1] + x.map { 1 / $0 }, color: Palette.deep[0], label: "$\\sigma(a)_{1}$"),
                  Line(x: x, y: x.map { 1 / ($0 * $0) }, color: Palette.deep[1], width: 1.2, alpha: 0.9, label: "$\\|\\nabla_W L\\|$")]
    left.legend = Legend(location: .best)
    var right = Axes(title: "$\\kappa = 5$", xLabel: "Iteration $t$")
    right.lines = [Line(x: x, y: x.map { sin($0 / 100) }, color: Palette.husl(10)[3], alpha: 0.8)]
    right.yTickFormat = .fixed(decimals: 3)
    figure[0, 0] = left
    figure[0, 1] = right
    return figure
}

@Suite struct PaletteTests {
    /// Every palette listed in the spec's palettes.txt, to the hex digit.
    @Test func palettesMatchSeaborn() throws {
        let text = try String(contentsOf: fixtures.appendingPathComponent("palettes.txt"), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") where line.hasPrefix("hls") || line.hasPrefix("husl") {
            let name = line.split(separator: " ")[0]
            let hexes = line.split(separator: "'").filter { $0.hasPrefix("#") }.map(String.init)
            let n = Int(name.drop { !$0.isNumber }.prefix { $0.isNumber })!
            let colors = name.hasPrefix("hls") ? Palette.hls(n) : Palette.husl(n)
            #expect(colors.map(\.hex) == hexes, "\(name)")
            checked += 1
        }
        #expect(checked >= 7)
        // sns.barplot's desaturation (docs/spec.md §2.2).
        #expect(Palette.desaturated(Palette.hls(8)[3], 0.75).hex == "#67cb86")
        #expect(Palette.desaturated(Palette.hls(8)[5], 0.75).hex == "#677acb")
    }
}

@Suite struct TeXTests {
    @Test func markup() {
        #expect(TeX.markup("\\textbf{L1}", size: 10) == "<b>L1</b>")
        #expect(TeX.markup("Iteration $t$", size: 10) == "Iteration <i>t</i>")
        #expect(TeX.markup("$\\sigma(a)_{3}$", size: 10) == "<i>σ</i>(<i>a</i>)<span size=\"7168\" rise=\"-2048\">3</span>")
        #expect(TeX.markup("$10^{-4}$", size: 8) == "10<span size=\"5734\" rise=\"3113\">\u{2212}4</span>")
        #expect(TeX.markup("$\\kappa = 5$ & <b>", size: 10) == "<i>κ</i> = 5 &amp; &lt;b&gt;")
        #expect(TeX.markup("$\\|\\nabla_W L\\|$", size: 10).hasPrefix("‖∇<span"))
    }
}

@Suite struct OutputTests {
    @Test func pngHasAPhysChunkWithAValidCRC() throws {
        let png = try Renderer.png(sampleFigure(), dpi: 300)
        #expect(Array(png[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10])
        #expect(String(decoding: png[37..<41], as: UTF8.self) == "pHYs")
        let body = Array(png[37..<50])
        #expect(body[4..<8] == [0, 0, 0x2e, 0x23][...] && body[12] == 1)   // 11811 px/m = 300 dpi
        let crc = png[50..<54].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(crc == PNG.crc32(body))
        // The nominal page, 3.25 × 1.8 in, at 300 and at 150 dpi (487.5 px: rounded up).
        func width(_ png: [UInt8]) -> UInt32 { png[16..<20].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
        #expect(width(try Renderer.png(sampleFigure(), dpi: 300, crop: false)) == 975)
        #expect(width(try Renderer.png(sampleFigure(), dpi: 150, crop: false)) == 488)
    }

    /// A page that ends inside a pixel (3.375 in at 300 dpi is 1012.5 px) still has a white last column.
    @Test func noStrayPixelsAtThePageEdge() throws {
        var figure = Figure(widthInches: 3.375, heightInches: 1.3, rows: 1, columns: 1)
        figure[0, 0].lines = [Line(x: [0, 1], y: [0, 1], color: .black)]
        let surface = try Renderer.raster(figure, dpi: 300, crop: false)
        defer { cairo_surface_destroy(surface) }
        let width = Int(cairo_image_surface_get_width(surface)), height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface)) / 4
        let pixels = cairo_image_surface_get_data(surface)!.withMemoryRebound(to: UInt32.self, capacity: stride * height) { $0 }
        #expect(width == 1013)
        let lastColumn = (0..<height).map { pixels[$0 * stride + width - 1] & 0xffffff }
        #expect(lastColumn.allSatisfy { $0 == 0xffffff }, "non-white pixels in the last column: \(Set(lastColumn).map { String($0, radix: 16) })")
    }

    /// The cropped page is the drawn content plus 0.02 in on each side, inside the nominal page here.
    @Test func cropIsTheContentPlusTwoHundredthsOfAnInch() throws {
        let figure = sampleFigure()
        let page = try Renderer.page(figure, crop: true)
        let content = Renderer.withScratchContext {
            let text = TextPainter(cr: $0, family: Fonts.family)
            return Layout.contentBox(figure, panels: Layout.panels(figure, text: text), text: text)
        }
        #expect(abs(page.x - (content.x - 1.44)) < 1e-9 && abs(page.width - (content.width + 2.88)) < 1e-9)
        #expect(page.width < figure.widthPoints && page.height < figure.heightPoints && page.x > 0 && page.y > 0)
        let panels = Renderer.withScratchContext { Layout.panels(figure, text: TextPainter(cr: $0, family: Fonts.family)) }
        for panel in panels {   // every axes box lies inside the cropped page
            #expect(panel.box.x >= page.x && panel.box.x + panel.box.width <= page.x + page.width)
            #expect(panel.box.y >= page.y && panel.box.y + panel.box.height <= page.y + page.height)
        }
        let pdf = String(decoding: try Renderer.pdf(figure), as: UTF8.self)
        let box = pdf.components(separatedBy: "/MediaBox [ 0 0 ").dropFirst().first?.split(separator: " ").prefix(2).compactMap { Double($0) }
        #expect(box.map { abs($0[0] - page.width) < 0.01 && abs($0[1] - page.height) < 0.01 } == true, "\(String(describing: box)) vs \(page)")
    }

    /// One family in every PDF: Termes (regular, italic, bold), DejaVu only for ∇, whatever the
    /// text holds (thin spaces, ×, ·, bold and math).
    @Test func pdfsEmbedTermesAndDejaVuOnly() throws {
        var figure = sampleFigure()
        figure[0, 1].title = "\\textbf{Gradient Norms} ($\\kappa = 5$, $1.2\\times10^{0}$, $a \\cdot b$, $x\\,y$,\u{2009}thin)"
        figure[0, 1].yLabel = "$\\|\\nabla_a L\\|$"
        let pdf = String(decoding: try Renderer.pdf(figure), as: UTF8.self)
        let names = pdf.components(separatedBy: "/FontName /").dropFirst().map { String($0.prefix { !" /\n>".contains($0) }) }
        let families = Set(names.map { $0.split(separator: "+").last.map(String.init) ?? $0 })
        #expect(!families.isEmpty)
        #expect(families.allSatisfy { $0.hasPrefix("TeXGyreTermes-") || $0.hasPrefix("DejaVu") }, "\(families)")
        #expect(families.contains("TeXGyreTermes-Bold") && families.contains("TeXGyreTermes-Italic"))
    }

    /// SVG through Cairo: the same bytes whatever was drawn before in the process.
    @Test func svgIsByteIdenticalAndIndependentOfEarlierDrawings() throws {
        let first = try Renderer.svg(sampleFigure())
        var other = sampleFigure()
        other[0, 0].title = "something else"
        _ = try Renderer.svg(other)
        _ = try Renderer.pdf(other)
        #expect(try Renderer.svg(sampleFigure()) == first)
        #expect(String(decoding: first.prefix(200), as: UTF8.self).contains("<svg"))
    }

    @Test func rendersAreByteIdentical() throws {
        let figure = sampleFigure()
        #expect(try Renderer.pdf(figure) == (try Renderer.pdf(figure)))
        #expect(try Renderer.png(figure) == (try Renderer.png(figure)))
        let pdf = String(decoding: try Renderer.pdf(figure), as: UTF8.self)
        // 2026-03-06 (or SOURCE_DATE_EPOCH); cairo 1.16 writes it without the "D:" prefix.
        let date = Renderer.creationDate.filter { !"-:T".contains($0) }
        #expect(pdf.contains("/CreationDate (\(date))"), "\(date)")
        #expect(String(decoding: try Renderer.pdf(figure, crop: false), as: UTF8.self).contains("/MediaBox [ 0 0 234 129.6 ]"))
    }

    /// The layout (boxes, limits, labelled ticks, legend) of the sample figure, as `figures
    /// --layout-json` writes it: any change to text measurement, ticks or tight_layout shows here.
    @Test func layoutSnapshot() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let obtained = String(decoding: try encoder.encode(FigureLayout(sampleFigure(), name: "sample")), as: UTF8.self) + "\n"
        let expected = try? String(contentsOf: fixtures.appendingPathComponent("layout_snapshot.json"), encoding: .utf8)
        if obtained != expected {
            try obtained.write(to: URL(fileURLWithPath: NSTemporaryDirectory() + "layout_snapshot.json"), atomically: true, encoding: .utf8)
        }
        #expect(obtained == expected, "layout changed; new snapshot in \(NSTemporaryDirectory())layout_snapshot.json")
    }
}
