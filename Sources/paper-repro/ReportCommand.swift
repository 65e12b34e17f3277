// paper-repro report: the reproduction report (HTML + PDF) from what is stored; no run is repeated.

import ArgumentParser
import Foundation
import Pipeline

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write <figures>/report.html and report.pdf from the stored results, checks and figures.",
        discussion: """
        Golden values are checked while writing (no rerun); determinism is read from the last `verify`;
        figures are the files `figures` wrote. Missing pieces are listed as "not run" or "FAILED".
        """)

    @OptionGroup var source: SourceOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "Directory of the rendered figures; the report is written there.")
    var figures = "figures"
    @Option(help: "Directory of the golden files.")
    var golden = "golden"

    func run() throws {
        try requireWritable(figures)
        let start = Date()
        let report = Report.gather(store: ResultStore(directory: store.output), figuresDirectory: figures, goldenRoot: golden, runs: try source.runs(nil, overrides: []))
        let (pdf, overflowing) = try ReportPDF.document(report).pdf()
        try writeAtomically(ReportHTML.render(report), to: "\(figures)/report.html", under: figures)
        try writeAtomically(pdf, to: "\(figures)/report.pdf", under: figures)
        for page in overflowing { print("warning: report.pdf page \(page + 1) is longer than the page; its end is cut") }
        let counts = Dictionary(grouping: report.rows, by: \.verdict).mapValues(\.count)
        print("figures  " + [Verdict.pass, .fail, .notRun, .unverified].map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
        for row in report.rows where row.verdict != .pass {
            print("  \(row.figure.id) \(row.verdict.rawValue): \([row.runs, row.golden, row.determinism].first { $0.0 != .pass }?.1 ?? "figure files missing")")
        }
        print(String(format: "written  %@/report.html, %@/report.pdf (%d pages) in %.2f s", figures, figures,
                     ReportPDF.sectionCount(report), Date().timeIntervalSince(start)))
        // The report is written either way; a FAILED row fails the command.
        if counts[.fail, default: 0] > 0 { throw ExitCode(1) }
    }
}
