// The reproduction report as a reader meets it: a partial reproduction (one corrupt result,
// most experiments not run) gives PASS / FAILED / "not run" rows instead of a crash; the PDF has
// one page per section with embedded fonts; the HTML loads in headless Chromium with every image.
//
// Chromium (Debian `chromium`) is installed by `./paper-repro.sh test`, which sets
// SOFTMAX_REPRO_REQUIRE_CHROMIUM=1 so that the browser test cannot be skipped in CI.

import Foundation
import Testing

@Suite(.serialized) struct ReportTests {
    let scratch = ScratchFolder("paper-repro-report")
    var directory: String { scratch.path }
    var results: String { directory + "/data" }
    var figures: String { directory + "/figures" }

    /// Runs, verifies and draws logistic, kl and tied at the smoke scale, then corrupts tied's result;
    /// conditioning is run and drawn but not verified.
    func partialReproduction() throws {
        let names = ["logistic", "kl", "tied", "conditioning"]
        #expect(try PaperReproBinary.run(["run"] + names + ["--scale", "smoke", "--output", results]).status == 0)
        #expect(try PaperReproBinary.run(["verify", "logistic", "kl", "--scale", "smoke", "--output", results]).status == 0)
        #expect(try PaperReproBinary.run(["figures"] + names + ["--scale", "smoke", "--output", results, "--figures", figures]).status == 0)
        try "{\"schema\": 3, \"experi".write(toFile: try resultFile(results, "tied", "tied"), atomically: true, encoding: .utf8)
    }

    func report() throws -> Invocation {
        try PaperReproBinary.run(["report", "--scale", "smoke", "--output", results, "--figures", figures])
    }

    @Test func partialReproductionGivesExplicitRows() throws {
        try partialReproduction()
        let first = try report()
        #expect(first.status == 1, "a FAILED row fails the command: \(first.output)")
        // F5 and F6 (conditioning) passed their golden check but were never verified: not PASS.
        #expect(first.output.contains("figures  2 PASS, 1 FAILED, 10 not run, 2 not verified"), "\(first.output)")
        #expect(first.output.contains("F5 not verified: not verified (run `paper-repro verify`)"), "\(first.output)")
        #expect(first.output.contains("F4 FAILED: corrupt result file"), "\(first.output)")
        #expect(!first.output.contains("warning"), "a PDF page overflows: \(first.output)")

        let html = try String(contentsOfFile: figures + "/report.html", encoding: .utf8)
        for id in ["F1", "F2", "F4", "F7", "F8", "F10", "F11", "S1", "F12", "F13"] { #expect(html.contains("id=\"\(id)\"")) }
        #expect(html.contains("bit-identical") && html.contains("corrupt result file"))
        #expect(html.components(separatedBy: "<img ").count - 1 == 5, "one image per drawn file")
        #expect(html.contains("Reduced") == false && html.contains("Smoke scale"))
        // Every figure heading of a smoke report says it is a pipeline test.
        #expect(html.components(separatedBy: "smoke scale: a pipeline test, not a result").count - 1 == 15)

        // One page per section (overview, 15 figures, deviations); every font embedded.
        let pdf = String(decoding: try Data(contentsOf: URL(fileURLWithPath: figures + "/report.pdf")), as: UTF8.self)
        #expect(count(#"/Type /Page[^s]"#, in: pdf) == 17)
        let descriptors = count("/Type /FontDescriptor", in: pdf)
        #expect(descriptors > 0 && count(#"/FontFile[23]? "#, in: pdf) == descriptors, "fonts not embedded")
        #expect(pdf.contains("/CreationDate (20260306000000Z)"), "the fixed creation date")

        // Regenerated from the same inputs: the same bytes.
        let before = try Data(contentsOf: URL(fileURLWithPath: figures + "/report.pdf"))
        #expect(try report().status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: figures + "/report.pdf")) == before)
        #expect(try String(contentsOfFile: figures + "/report.html", encoding: .utf8) == html)
    }

    @Test func emptyResultDirectoryIsAllNotRun() throws {
        let result = try report()
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("figures  0 PASS, 0 FAILED, 15 not run, 0 not verified"), "\(result.output)")
    }

    @Test(.enabled(if: Chromium.path != nil || Chromium.required, "chromium is not installed (./paper-repro.sh test installs it)"))
    func htmlLoadsInHeadlessChromiumWithEveryImage() throws {
        let chromium = try #require(Chromium.path, "SOFTMAX_REPRO_REQUIRE_CHROMIUM is set but chromium is not on PATH")
        try partialReproduction()
        #expect(try report().status == 1)
        let page = "file://" + figures + "/report.html"
        let flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=5000"]
        let dom = try Chromium.run(chromium, flags + ["--dump-dom", page])
        #expect(dom.status == 0, "\(dom.error)")
        #expect(dom.output.contains("data-images=\"5/5\""), "not every image loaded: \(dom.output.prefix(300))")
        #expect(!dom.error.contains("ERR_FILE_NOT_FOUND") && !dom.error.contains("Uncaught"), "\(dom.error)")
        let shot = directory + "/report-screenshot.png"
        let screenshot = try Chromium.run(chromium, flags + ["--window-size=1200,2400", "--screenshot=\(shot)", page])
        #expect(screenshot.status == 0, "\(screenshot.error)")
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4e, 0x47]) && png.count > 20_000, "screenshot missing or blank")
    }

    func count(_ pattern: String, in text: String) -> Int {
        (try? NSRegularExpression(pattern: pattern))?.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text)) ?? -1
    }
}

enum Chromium {
    static let required = ProcessInfo.processInfo.environment["SOFTMAX_REPRO_REQUIRE_CHROMIUM"] == "1"

    static let path: String? = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap { name in
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }.first

    static func run(_ executable: String, _ arguments: [String]) throws -> Invocation {
        try Invocation.of(URL(fileURLWithPath: executable), arguments)
    }
}
