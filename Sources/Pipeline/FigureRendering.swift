// Figures from stored results, like make targets: a figure whose inputs (the result's content
// hash and the program that draws it) are unchanged since it was written is skipped, and said so.
// Each figure is written as <name>.pdf and <name>.png (atomically); a stamp file in
// <figures>/.stamps/<name> records what it was made from.

import Experiments
import Foundation
import Plot

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

    /// Renders the figures of `experiments` from their runs at `scale` (restricted to `only` when given).
    /// An experiment with runs missing draws nothing: a figure never silently shows part of a sweep.
    public func render(_ experiments: [any Experiment], scale: Scale, only: Set<String>? = nil, progress: ProgressBoard) -> [FigureOutcome] {
        do { try Fonts.check() } catch { return [.failed("fonts", "\(error)")] }
        var outcomes: [FigureOutcome] = []
        for experiment in experiments {
            let wanted = experiment.figures.filter { only?.contains($0) ?? true }
            guard !wanted.isEmpty else { continue }
            let results = store.collect(experiment, scale: scale)
            if let gap = results.gap {
                outcomes += wanted.map { .failed($0, "\(gap); run `paper-repro run \(experiment.name) --scale \(scale.rawValue)`") }
                continue
            }
            let stamp = "results \(results.contentHash)\nprogram \(programHash)\n"
            let stale = wanted.filter { force || !isUpToDate($0, stamp: stamp) }
            outcomes += wanted.filter { !stale.contains($0) }.map { .upToDate($0) }
            guard !stale.isEmpty else { continue }
            do {
                let drawn = try experiment.figures(results.records)
                for (name, figure) in drawn where stale.contains(name) {
                    let start = Date()
                    try writeAtomically(Renderer.pdf(figure), to: path(name, "pdf"))
                    try writeAtomically(Renderer.png(figure), to: path(name, "png"))
                    try writeAtomically(stamp, to: stampPath(name))
                    progress.say(String(format: "figure %@ (%.2f s)", name, Date().timeIntervalSince(start)))
                    outcomes.append(.written(name))
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
