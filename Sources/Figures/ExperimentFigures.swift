// The figures of an experiment, drawn from its stored runs: the Figures module's side of the
// `Experiment` contract (experiments compute and name; this module draws).

import Experiments
import Plot
import Records

public protocol ExperimentFigures: Experiment {
    /// The figures drawn from stored runs, keyed by file name. `planned`: for a sweep that is not
    /// complete, all of its runs, so that each bar says how many of its runs it averages (n of N).
    func figures(_ runs: [RunRecord], planned: [RunSpec]?) throws -> [(name: String, figure: Figure)]
}

/// A single-run experiment draws its figures from the one result's summary and history.
public protocol SingleRunFigures: ExperimentFigures, SingleRunExperiment {
    func figures(summary: JSON, history: JSON) throws -> [(name: String, figure: Figure)]
}

extension SingleRunFigures {
    public func figures(_ runs: [RunRecord], planned: [RunSpec]?) throws -> [(name: String, figure: Figure)] {
        guard let only = runs.first, runs.count == 1 else { throw ExperimentError.badRecords(name, "expected one run, got \(runs.count)") }
        return try figures(summary: only.summary, history: only.history)
    }
}

public enum Drawing {
    /// The figures of `experiment` from `runs` (see `ExperimentFigures`).
    public static func figures(of experiment: any Experiment, _ runs: [RunRecord], planned: [RunSpec]? = nil) throws
        -> [(name: String, figure: Figure)] {
        guard let drawer = experiment as? any ExperimentFigures else {
            throw ExperimentError.badRecords(experiment.name, "the Figures module draws nothing for it")
        }
        return try drawer.figures(runs, planned: planned)
    }
}

extension SingleRunFigures {
    /// The numbers n of a summary keyed "<prefix>n" per trained model (κ of E4, D of E3), in order.
    func modelKeys(_ summary: JSON, prefix: String) throws -> [Int] {
        let keys = (summary.pairs ?? []).compactMap { $0.key.hasPrefix(prefix) ? Int($0.key.dropFirst(prefix.count)) : nil }
        guard !keys.isEmpty else { throw ExperimentError.badRecords(name, "summary has no '\(prefix)…' entries") }
        return keys
    }
}

