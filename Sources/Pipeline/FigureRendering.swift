// Figures from stored results, like make targets: a figure whose inputs (the result's content
// hash and the program that draws it) are unchanged since it was written is skipped, and said so.
// Each figure is written as <name>.pdf and <name>.png (atomically); a stamp file in
// <figures>/.stamps/<name> records what it was made from.

import Experiments
import Figures
import Foundation
import Plot
import Records

/// SHA-256 of the running executable: a rebuilt program redraws every figure.
let programHash: String = {
    guard let bytes = FileManager.default.contents(atPath: "/proc/self/exe") else { return "unknown-program" }
    return SHA256.hex(Array(bytes))
}()

public enum FigureOutcome: Sendable {
    case written(String)
    case upToDate(String)
    case failed(String, String)
}

public struct FigureRendering: Sendable {
    public var store: ResultStore
    public var directory: String
    public var force: Bool

    public init(store: ResultStore, directory: String, force: Bool = false) {
        self.store = store; self.directory = directory; self.force = force
    }

    /// Every figure name with the experiment that draws it.
    public static var catalog: [(figure: String, experiment: any Experiment)] {
        Registry.all.flatMap { e in e.figures.map { ($0, e) } }
    }

    /// Renders the figures of a run list from its stored runs (restricted to `only` when given).
    /// An experiment with runs missing draws nothing unless `partial`: a figure never silently
    /// shows part of a sweep (a partial one says on every bar how many runs it averages).
    public func render(_ runs: RunSet, only: Set<String>? = nil, partial: Bool = false, progress: ProgressBoard) -> [FigureOutcome] {
        do { try Fonts.check() } catch { return [.failed("fonts", "\(error)")] }
        var outcomes: [FigureOutcome] = []
        for (experiment, specs) in runs.groups {
            let wanted = experiment.figures.filter { only?.contains($0) ?? true }
            guard !wanted.isEmpty else { continue }
            let results = store.collect(experiment.name, specs: specs, label: runs.label)
            if let gap = results.gap, !partial || results.stored.isEmpty {
                let command = (["paper-repro", "run", experiment.name] + runs.selector).map(shellQuoted).joined(separator: " ")
                outcomes += wanted.map { .failed($0, "\(gap); run `\(command)`\(partial ? "" : " (or draw what is there with --partial)")") }
                continue
            }
            let stamp = "results \(results.contentHash)\nprogram \(programHash)\nplanned \(results.configHash)\n"
            let stale = wanted.filter { force || !isUpToDate($0, stamp: stamp) }
            outcomes += wanted.filter { !stale.contains($0) }.map { .upToDate($0) }
            guard !stale.isEmpty else { continue }
            do {
                let drawn = try Drawing.figures(of: experiment, results.records, planned: results.isComplete ? nil : specs)
                for (name, figure) in drawn where stale.contains(name) {
                    // Each figure succeeds or fails on its own: a full disk names the file it could not write.
                    do {
                        let start = Date()
                        try writeAtomically(Renderer.pdf(figure), to: path(name, "pdf"), under: directory)
                        try writeAtomically(Renderer.png(figure), to: path(name, "png"), under: directory)
                        try writeAtomically(stamp, to: stampPath(name), under: directory)
                        progress.say(String(format: "figure %@ (%.2f s)", name, Date().timeIntervalSince(start)))
                        outcomes.append(.written(name))
                    } catch {
                        outcomes.append(.failed(name, "\(error)"))
                    }
                }
                let missing = Set(stale).subtracting(drawn.map(\.name))
                outcomes += missing.sorted().map { .failed($0, "\(experiment.name) did not draw it") }
            } catch {
                outcomes += stale.map { .failed($0, "\(error)") }
            }
        }
        return outcomes
    }

    func path(_ name: String, _ ext: String) -> String { "\(directory)/\(name).\(ext)" }
    func stampPath(_ name: String) -> String { "\(directory)/.stamps/\(name)" }

    func isUpToDate(_ name: String, stamp: String) -> Bool {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path(name, "pdf")), manager.fileExists(atPath: path(name, "png")),
              let data = manager.contents(atPath: stampPath(name)) else { return false }
        return String(decoding: data, as: UTF8.self) == stamp
    }
}
