// The reproduction report's content, gathered from what earlier commands stored: result files
// (runs, run times, measured numbers), golden files (checked here: it costs no rerun), the
// determinism record of `verify`, the figure files of `figures`, and the machine. Nothing is
// recomputed; anything missing or broken becomes an explicit "not run" / "FAILED" entry.
// `ReportHTML` and `ReportPDF` render it.

import Experiments
import Figures
import Foundation
import Plot

public enum Verdict: String, Sendable {
    case pass = "PASS", fail = "FAILED", notRun = "not run", unverified = "not verified"
}

public struct ReportRow: Sendable {
    public var figure: PaperFigure
    /// Each file with whether both its PDF and PNG exist.
    public var files: [(name: String, drawn: Bool)]
    public var runs: (Verdict, String)
    public var golden: (Verdict, String)
    public var determinism: (Verdict, String)
    public var runtime: String
    public var command: String
    public var measurements: [FigureNumber]
    /// Why no numbers could be read (nil when they were).
    public var measurementProblem: String?
    /// The paper's claims read off this figure, decided on its runs (docs/spec.md §12).
    public var claims: [ClaimCheck] = []

    /// The row's overall state: the worst of its parts. PASS only when the runs are stored, the
    /// golden check and the determinism check passed and every file is drawn.
    public var verdict: Verdict {
        let parts = [runs.0, golden.0, determinism.0, files.allSatisfy(\.drawn) ? .pass : (runs.0 == .pass ? .fail : .notRun)]
        for verdict in [Verdict.fail, .notRun, .unverified] where parts.contains(verdict) { return verdict }
        return .pass
    }
}

public struct Report: Sendable {
    /// The run list: a scale name or a sweep file.
    public var label: String
    public var scale: Scale?
    public var header: [(String, String)]
    public var rows: [ReportRow]
    public var deviations: [String]
    /// The figure directory the report lives in (image paths are relative to it).
    public var figuresDirectory: String

    /// "default scale" or "sweep FILE", for headings.
    public var title: String { scale.map { "\($0.rawValue) scale" } ?? "sweep \(label)" }

    /// What every figure heading adds at the smoke scale, whose tiny runs show no paper effect.
    public var headingNote: String { scale == .smoke ? " — smoke scale: a pipeline test, not a result" : "" }

    /// Gathers the report of a run list from the results in `store` and the figures in `figuresDirectory`.
    public static func gather(store: ResultStore, figuresDirectory: String, goldenRoot: String, runs list: RunSet) -> Report {
        let determinism: [String: DeterminismEntry]
        var recordProblem: String?
        do { determinism = try DeterminismRecord.read(store, label: list.label) } catch {
            determinism = [:]; recordProblem = "\(error)"
        }
        var collected: [String: ExperimentResults] = [:]
        func results(_ name: String) -> ExperimentResults {
            if let r = collected[name] { return r }
            let r = store.collect(name, specs: list.specs(of: name), label: list.label)
            collected[name] = r
            return r
        }
        var rows: [ReportRow] = []
        for figure in PaperFigures.all {
            let files = figure.files.map { name in
                (name, ["pdf", "png"].allSatisfy { FileManager.default.fileExists(atPath: "\(figuresDirectory)/\(name).\($0)") })
            }
            let name = figure.experiment, r = results(name)
            let selector = list.selector.map(shellQuoted).joined(separator: " ")
            let command = "paper-repro run \(name) \(selector); paper-repro figures \(name) \(selector)"
            let stored = r.stored.values
            let seconds = stored.reduce(0) { $0 + $1.seconds }
            let threads = Set(stored.map(\.threads)).sorted().map(String.init).joined(separator: "/")
            let runtime = stored.isEmpty ? "–" : "\(duration(seconds)) on \(threads) thread\(threads == "1" ? "" : "s")"
            let problem = r.problems.keys.sorted().first.map { r.problems[$0]! }
            let runs: (Verdict, String) = r.specs.isEmpty ? (.notRun, "not in \(list.label)")
                : r.stored.isEmpty ? problem.map { (.fail, $0) } ?? (.notRun, "none of \(r.specs.count) runs stored")
                : r.gap.map { (.fail, $0) } ?? (.pass, "\(r.specs.count)/\(r.specs.count) runs of \(list.label) stored" + barCounts(figure, r))
            var measurements: [FigureNumber] = [], unmeasured: String?
            if r.isComplete {
                do { measurements = try figure.measure(r.records) } catch { unmeasured = "\(error)" }
            } else {
                unmeasured = runs.0 == .notRun ? "not run" : "incomplete: \(r.gap ?? "")"
            }
            rows.append(ReportRow(figure: figure, files: files, runs: runs,
                                  golden: r.stored.isEmpty ? (runs.0, "no results") : golden(r, root: goldenRoot),
                                  determinism: r.stored.isEmpty ? (runs.0, "–") : recordProblem.map { (.fail, $0) } ?? determinismStatus(determinism[name], current: r),
                                  runtime: runtime, command: command, measurements: measurements, measurementProblem: unmeasured,
                                  claims: PaperClaims.all.filter { $0.figures.contains(figure.id) && $0.experiment == name }
                                    .map { ClaimCheck(claim: $0, verdict: ClaimChecks.decide($0, r)) }))
        }
        return Report(label: list.label, scale: list.scale,
                      header: MachineDescription.header(label: list.label, store: store, collected: Array(collected.values)),
                      rows: rows, deviations: PaperFigures.deviations(scale: list.scale), figuresDirectory: figuresDirectory)
    }

    /// "; each bar averages n runs" (or "bars average n–m runs") for a figure of bars over runs.
    static func barCounts(_ figure: PaperFigure, _ results: ExperimentResults) -> String {
        guard results.specs.count > 1, let experiment = Registry.experiment(named: results.experiment),
              let drawn = try? Drawing.figures(of: experiment, results.records, planned: results.specs) else { return "" }
        // The partial drawing marks each bar "n/N"; of a complete sweep n = N.
        let counts = drawn.filter { figure.files.contains($0.name) }
            .flatMap { $0.figure.axes.flatMap(\.annotations) }.compactMap { Int($0.text.split(separator: "/")[0]) }
        guard let low = counts.min(), let high = counts.max() else { return "" }
        return low == high ? "; each bar averages \(low) run\(low == 1 ? "" : "s")" : "; bars average \(low)–\(high) runs"
    }

    /// The golden check of one experiment, with the number of scalars and the worst relative difference.
    static func golden(_ results: ExperimentResults, root: String) -> (Verdict, String) {
        let lines: [CheckLine]
        do {
            guard let (checked, golden) = try Golden.reference(for: results, goldenRoot: root) else {
                return (.unverified, "no golden values for these runs (\(results.label))")
            }
            lines = Golden.check(checked, golden: golden)
        } catch {
            return (.fail, "\(error)")
        }
        let failed = lines.filter { !$0.passed }
        var worst = 0.0
        for line in lines {
            // Values at the rounding floor (converged losses, 1e-20 and below) pass on their atol and say nothing relative.
            guard let e = line.expected, let o = line.obtained, e.isFinite, o.isFinite, abs(e) >= 1e-6 else { continue }
            worst = max(worst, abs(o - e) / abs(e))
        }
        guard failed.isEmpty else {
            let first = failed[0]
            return (.fail, "\(failed.count) of \(lines.count) failed; first: \(first.quantity)\(first.note.isEmpty ? "" : " (\(first.note))")")
        }
        return (.pass, "\(lines.count) quantities, worst rel. diff. \(worst == 0 ? "0" : String(format: "%.1e", worst))")
    }

    static func determinismStatus(_ entry: DeterminismEntry?, current: ExperimentResults) -> (Verdict, String) {
        guard let entry else { return (.unverified, "not verified (run `paper-repro verify`)") }
        guard entry.contentHash == current.contentHash else { return (.unverified, "results changed since the last verify") }
        let n = entry.runs.count
        if entry.identical {
            return (.pass, "\(n) rerun\(n == 1 ? "" : "s") bit-identical, sha256 \(entry.runs[0].stored.prefix(8))…")
        }
        let differing = entry.runs.filter { $0.stored != $0.rerun }
        return (.fail, "\(differing.count) of \(n) reruns differ; first: \(differing.first?.run ?? "")")
    }
}
