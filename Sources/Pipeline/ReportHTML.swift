// The report as one self-contained HTML page (inline CSS; figures are the PNG files beside it,
// linked by relative paths). A figure whose file is missing is a "not drawn" box, never a
// broken image. A short inline script counts the images that loaded and writes the count into
// the page (data-images on <html>), so a headless browser can check that every image resolved.

import Experiments
import Figures
import Foundation
import Plot

public enum ReportHTML {
    public static func render(_ report: Report) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en" data-images="pending">
        <head>
        <meta charset="utf-8">
        <title>softmax-repro: reproduction report (\(report.title))</title>
        <style>
        body { font-family: "TeX Gyre Termes", "Times New Roman", serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #111; }
        table { border-collapse: collapse; font-size: 0.85em; margin: 0.6em 0; }
        th, td { border-bottom: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
        th { background: #eee; }
        code { font-size: 0.9em; }
        .PASS { background: #e3f4e3; } .FAILED { background: #fbdede; } .not-run, .not-verified { background: #f3f3f3; color: #555; }
        .figures img { max-width: 100%; border: 1px solid #ddd; margin: 0.3em; }
        .headline img { max-height: 420px; }
        .thumbs img { height: 120px; }
        .missing { display: inline-block; border: 2px solid #b00; color: #b00; padding: 1em; margin: 0.3em; }
        section { border-top: 2px solid #333; margin-top: 2em; }
        </style>
        </head>
        <body>
        <h1>Reproduction report: arXiv 2603.06248 (\(report.title))</h1>
        <p id="image-status">Images: checking…</p>
        <table>\n
        """
        for (key, value) in report.header { html += "<tr><th>\(escape(key))</th><td>\(escape(value))</td></tr>\n" }
        html += "</table>\n<h2>Figures, checks and commands</h2>\n<table>\n"
        html += "<tr><th>Figure</th><th>Files</th><th>Runs</th><th>Golden check</th><th>Determinism</th><th>Run time</th><th>Regenerate</th></tr>\n"
        for row in report.rows {
            let drawn = row.files.filter(\.drawn).count
            html += "<tr class=\"\(cssClass(row.verdict))\"><td><a href=\"#\(row.figure.id)\">\(row.figure.id)</a> \(escape(row.figure.title))<br><b>\(row.verdict.rawValue)</b></td>"
            html += "<td>\(drawn) of \(row.files.count) drawn<br><code>\(escape(filesLabel(row)))</code></td>"
            html += cell(row.runs) + cell(row.golden) + cell(row.determinism)
            html += "<td>\(escape(row.runtime))</td><td><code>\(escape(row.command))</code></td></tr>\n"
        }
        html += "</table>\n"
        for row in report.rows { html += section(row, note: report.headingNote) }
        html += "<section><h2>Deviations from the authors' pipeline</h2>\n<ul>\n"
        html += report.deviations.map { "<li>\(escape($0))</li>" }.joined(separator: "\n")
        html += """
        \n</ul></section>
        <script>
        window.addEventListener("load", function () {
          var images = Array.prototype.slice.call(document.images);
          var loaded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
          document.documentElement.setAttribute("data-images", loaded + "/" + images.length);
          document.getElementById("image-status").textContent = "Images: " + loaded + " of " + images.length + " loaded.";
        });
        </script>
        </body>
        </html>\n
        """
        return html
    }

    static func section(_ row: ReportRow, note: String) -> String {
        let f = row.figure
        var html = "<section id=\"\(f.id)\"><h2>\(f.id): \(escape(f.title + note)) <small class=\"\(cssClass(row.verdict))\">\(row.verdict.rawValue)</small></h2>\n"
        html += "<p><b>In the paper:</b> \(escape(f.paperPlace)). <b>Experiment:</b> \(escape(f.experiment)).</p>\n"
        html += "<div class=\"figures headline\">" + f.headline.map { image($0, row) }.joined() + "</div>\n"
        let others = f.files.filter { !f.headline.contains($0) }
        if !others.isEmpty {
            html += "<details><summary>All \(f.files.count) files of this figure</summary><div class=\"figures thumbs\">"
                + others.map { image($0, row) }.joined() + "</div></details>\n"
        }
        html += "<p><b>What it shows.</b> \(escape(f.shows))</p>\n<p><b>What the paper claims it shows</b> (from the abstract; no caption is public). \(escape(f.claim))</p>\n"
        for check in row.claims {
            html += "<p><b>Claim \(check.claim.id)</b> (checked on the runs, docs/spec.md §12): \(escape(check.claim.statement)) "
                + "<span class=\"\(cssClass(check.verdict))\"><b>\(check.verdict.word)</b></span>: \(escape(check.verdict.evidence))</p>\n"
        }
        if let problem = row.measurementProblem {
            html += "<p class=\"\(cssClass(row.runs.0 == .pass ? .fail : .notRun))\"><b>Measured:</b> \(escape(problem))</p>\n"
        } else if !row.measurements.isEmpty {
            html += "<table><tr><th>Measured</th><th>Value</th></tr>\n"
                + row.measurements.map { "<tr><td>\(escape($0.label))</td><td>\(escape($0.value))</td></tr>" }.joined(separator: "\n") + "</table>\n"
        }
        return html + "</section>\n"
    }

    static func image(_ name: String, _ row: ReportRow) -> String {
        guard row.files.first(where: { $0.name == name })?.drawn == true else {
            return "<span class=\"missing\">not drawn: \(escape(name))</span>"
        }
        return "<a href=\"\(escape(name)).pdf\"><img src=\"\(escape(name)).png\" alt=\"\(escape(name))\" title=\"\(escape(name))\"></a>"
    }

    static func filesLabel(_ row: ReportRow) -> String {
        row.files.count == 1 ? row.files[0].name : "\(row.files[0].name), … (\(row.files.count))"
    }

    static func cell(_ status: (Verdict, String)) -> String {
        "<td class=\"\(cssClass(status.0))\"><b>\(status.0.rawValue)</b><br>\(escape(status.1))</td>"
    }

    static func cssClass(_ verdict: Verdict) -> String { verdict.rawValue.replacingOccurrences(of: " ", with: "-") }

    /// A claim's verdict in the report's colours: holds as PASS, fails as FAILED, undecided greyed.
    static func cssClass(_ verdict: ClaimVerdict) -> String {
        switch verdict {
        case .holds: return cssClass(Verdict.pass)
        case .fails: return cssClass(Verdict.fail)
        case .undecided: return cssClass(Verdict.notRun)
        }
    }

    static func escape(_ text: String) -> String { Writer.escape(text) }
}
