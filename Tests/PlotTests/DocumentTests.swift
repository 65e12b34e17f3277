// The report's PDF pages: when a page counts as overflowing.

@testable import Plot
import CCairoPango
import Testing

@Suite struct DocumentTests {
    /// A page whose last block ends on the bottom margin fits (the gap that would follow it is
    /// not content); a page whose last block crosses the margin is reported.
    @Test func lastBlockEndingOnTheMarginFits() throws {
        let first = "Golden check: scalars compared with the golden file of the same configuration."
        let second = "Determinism: reruns compared by content hash."
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 10, 10)!
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr); cairo_surface_destroy(surface) }
        var document = Document(title: "test", pages: [[.paragraph(first, size: 9), .paragraph(second, size: 9)]])
        document.width = 400
        let writer = Writer(cr: cr), textWidth = document.width - 2 * document.margin
        let content = writer.measure(first, size: 9, width: textWidth) + 5 + writer.measure(second, size: 9, width: textWidth)
        #expect(content > 10)

        document.height = 2 * document.margin + content
        #expect(try document.pdf().overflowingPages == [], "ends on the margin")
        document.height = 2 * document.margin + content - 2
        #expect(try document.pdf().overflowingPages == [0], "ends 2 pt inside the margin")
    }
}
