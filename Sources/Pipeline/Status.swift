// status: per experiment of a run list, how many runs are stored, running (a live `.running`
// marker), pending or failed (an unusable file), and the time still needed.

import Experiments
import Foundation

public struct ExperimentStatus: Sendable {
    public var experiment: String
    public var runs: Int, done: Int
    /// Runs in progress with their markers' text.
    public var running: [(spec: RunSpec, marker: String)]
    public var pending: Int
    /// Run id → why its file cannot be used.
    public var failed: [(id: String, why: String)]
    /// Single-core seconds on the reference machine for the runs not stored.
    public var secondsNeeded: Double

    public static func of(_ list: RunSet, in store: ResultStore) -> [ExperimentStatus] {
        store.collect(list).map { collected in
            var running: [(RunSpec, String)] = [], pending = 0
            for spec in collected.missing where collected.problems[spec.id] == nil {
                if let marker = store.activeMarker(spec) { running.append((spec, marker)) } else { pending += 1 }
            }
            return ExperimentStatus(experiment: collected.experiment, runs: collected.specs.count, done: collected.stored.count,
                                    running: running, pending: pending,
                                    failed: collected.problems.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                                    secondsNeeded: collected.missing.reduce(0) { $0 + $1.estimatedSeconds })
        }
    }
}
