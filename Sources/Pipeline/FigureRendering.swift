// Figures from stored results, like make targets: a figure whose inputs (the result's content
// hash, the program that draws it and the output options) are unchanged since it was written is
// skipped, and said so. Each figure is written as <name>.pdf and <name>.png by default (any of
// pdf, png, svg; atomically); a stamp file in <figures>/.stamps/<name> records what it was made
// from. With a layout directory, every selected figure is drawn and its layout written there as
// <name>.json (`Plot.FigureLayout`, the form Tests/Reference/matplotlib_layout.py writes).

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

public enum FigureFormat: String, CaseIterable, Sendable {
    case pdf, png, svg
}

public struct FigureRendering: Sendable {
    public var store: ResultStore
    public var directory: String
    public var force: Bool
    public var formats: [FigureFormat] = [.pdf, .png]
    /// PNG resolution (the authors' savefig.dpi is 300).
    public var dpi = 300.0
    /// Tight crop (content + 0.02 in); false keeps the nominal page.
    public var crop = true
    /// Where to write each drawn figure's layout as JSON; nil for none.
    public var layoutDirectory: String?

    public init(store: ResultStore, directory: String, force: Bool = false) {
        self.store = store; self.directory = directory; self.force = force
    }

    func bytes(_ figure: Figure, _ format: FigureFormat) throws -> [UInt8] {
        switch format {
        case .pdf: return try Renderer.pdf(figure, crop: crop)
        case .png: return try Renderer.png(figure, dpi: dpi, crop: crop)
        case .svg: return try Renderer.svg(figure, crop: crop)
        }
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
            let options = "formats \(formats.map(\.rawValue).joined(separator: ",")) dpi \(dpi) crop \(crop)"
            let stamp = "results \(results.contentHash)\nprogram \(programHash)\nplanned \(results.configHash)\n\(options)\n"
            let stale = wanted.filter { force || layoutDirectory != nil || !isUpToDate($0, stamp: stamp) }
            outcomes += wanted.filter { !stale.contains($0) }.map { .upToDate($0) }
            guard !stale.isEmpty else { continue }
            do {
                let drawn = try Drawing.figures(of: experiment, results.records, planned: results.isComplete ? nil : specs)
                for (name, figure) in drawn where stale.contains(name) {
                    // Each figure succeeds or fails on its own: a full disk names the file it could not write.
                    do {
                        let start = Date()
                        for format in formats {
                            try writeAtomically(bytes(figure, format), to: path(name, format.rawValue), under: directory)
                        }
                        try writeAtomically(stamp, to: stampPath(name), under: directory)
                        if let layouts = layoutDirectory {
                            try writeAtomically(Self.layoutJSON(FigureLayout(figure, name: name)), to: "\(layouts)/\(name).json", under: layouts)
                        }
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
        guard formats.allSatisfy({ manager.fileExists(atPath: path(name, $0.rawValue)) }),
              let data = manager.contents(atPath: stampPath(name)) else { return false }
        return String(decoding: data, as: UTF8.self) == stamp
    }
}

extension FigureRendering {
    /// A figure's layout as pretty, key-sorted JSON with snake_case keys.
    public static func layoutJSON(_ layout: FigureLayout) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(layout), as: UTF8.self) + "\n"
    }
}
