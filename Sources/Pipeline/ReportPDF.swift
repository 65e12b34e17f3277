// The report as a PDF drawn with the project's Cairo/Pango engine: one page per section
// (overview, one per paper figure, deviations), A4 landscape, figures embedded from their PNGs.

import Experiments
import Figures
import Foundation
import Plot

public enum ReportPDF {
    /// Number of sections (= pages) of `report`'s PDF.
    public static func sectionCount(_ report: Report) -> Int { report.rows.count + 2 }

    public static func document(_ report: Report) -> Document {
        var pages: [Document.Page] = [overview(report)]
        pages += report.rows.map { page($0, directory: report.figuresDirectory, note: report.headingNote) }
        pages.append([.heading("Deviations from the authors' pipeline")]
                     + report.deviations.map { .paragraph("• " + escape($0), size: 10) })
        return Document(title: "softmax-repro: reproduction report (\(report.title))", pages: pages)
    }

    static func overview(_ report: Report) -> Document.Page {
        let header = Document.Table(columns: [("", 90), ("", 680)],
                                    rows: report.header.map { [("<b>\(escape($0.0))</b>", nil), (escape($0.1), nil)] }, size: 6.5)
        let rows = report.rows.map { row -> [(markup: String, background: Color?)] in
            let drawn = row.files.filter(\.drawn).count
            return [("<b>\(row.figure.id) \(row.verdict.rawValue)</b> \(escape(row.figure.title))", color(row.verdict)),
                    ("\(drawn) of \(row.files.count) drawn", nil),
                    status(row.runs), status(row.golden), status(row.determinism),
                    (escape(row.runtime), nil), ("<span font_family=\"monospace\" size=\"5.5pt\">\(escape(row.command))</span>", nil)]
        }
        let table = Document.Table(columns: [("Figure", 160), ("Files", 45), ("Runs", 95), ("Golden check", 110),
                                             ("Determinism", 115), ("Run time", 55), ("Regenerate", 200)], rows: rows, size: 6.5)
        return [.heading("Reproduction report: arXiv 2603.06248 (\(report.title))"), .table(header), .table(table),
                .paragraph("Golden check: scalars compared with the golden file of the same configuration in golden/, each with its tolerance; the worst relative difference is over expected values of magnitude ≥ 1e-6. Determinism: reruns of `paper-repro verify` compared by content hash.", size: 7)]
    }

    static func page(_ row: ReportRow, directory: String, note: String) -> Document.Page {
        let f = row.figure
        var blocks: [Document.Block] = [
            .heading("\(f.id): \(f.title)\(note) (\(row.verdict.rawValue))"),
            .paragraph("<b>In the paper:</b> \(escape(f.paperPlace)). <b>Experiment:</b> \(escape(f.experiment)). "
                       + "<b>Files:</b> \(row.files.filter(\.drawn).count) of \(row.files.count) drawn. <b>Runs:</b> \(escape(row.runs.1)). <b>Golden:</b> \(escape(row.golden.1)). "
                       + "<b>Determinism:</b> \(escape(row.determinism.1))."),
            .paragraph("<b>What it shows.</b> \(escape(f.shows))"),
            .paragraph("<b>What the paper claims it shows</b> (from the abstract; no caption is public). \(escape(f.claim))"),
        ]
        for check in row.claims {
            blocks.append(.paragraph("<b>Claim \(check.claim.id)</b> (checked on the runs, docs/spec.md §12): \(escape(check.claim.statement)) "
                                     + "<b>\(check.verdict.word)</b>: \(escape(check.verdict.evidence))"))
        }
        if let problem = row.measurementProblem {
            blocks.append(.paragraph("<b>Measured:</b> \(escape(problem))"))
        } else if !row.measurements.isEmpty {
            blocks.append(.table(Document.Table(columns: [("Measured", 220), ("Value", 550)],
                                                rows: row.measurements.map { [(escape($0.label), nil), (escape($0.value), nil)] })))
        }
        blocks.append(.images(f.headline.map { (path: "\(directory)/\($0).png", caption: $0) }))
        return blocks
    }

    /// A status cell of the overview; long explanations are cut there (the figure's page has them whole).
    static func status(_ s: (Verdict, String)) -> (markup: String, background: Color?) {
        let text = s.1.count > 70 ? s.1.prefix(69) + "…" : s.1
        return ("<b>\(s.0.rawValue)</b>\n\(escape(String(text)))", color(s.0))
    }

    static func color(_ verdict: Verdict) -> Color? {
        switch verdict {
        case .pass: Color(hex: "#e3f4e3")
        case .fail: Color(hex: "#fbdede")
        case .notRun, .unverified: Color(hex: "#f0f0f0")
        }
    }

    static func escape(_ text: String) -> String { Writer.escape(text) }
}
