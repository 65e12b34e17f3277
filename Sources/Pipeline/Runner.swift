// Runner: runs experiments on `jobs` worker threads and stores each result as soon as it is done.
//
// Determinism: every experiment is a sequential computation, so its result does not depend on
// `jobs` or on which worker ran it. Resume: an experiment whose stored result has the same config
// hash is skipped (unless `force`); a corrupt stored result is reported by name and rerun.

import Experiments
import Foundation

public enum RunOutcome: Sendable {
    case ran(StoredResult)
    case reused(StoredResult)
    case failed(String, String)
}

public struct Runner: Sendable {
    public var scale: Scale
    public var jobs: Int
    public var store: ResultStore
    public var force: Bool

    public init(scale: Scale, jobs: Int, store: ResultStore, force: Bool = false) {
        self.scale = scale
        self.jobs = max(1, jobs)
        self.store = store
        self.force = force
    }

    /// Runs `experiments` (largest first) and returns their outcomes in the order given.
    public func run(_ experiments: [any Experiment], progress: ProgressBoard, save: Bool = true) -> [RunOutcome] {
        var pending: [Int] = []
        var outcomes = [RunOutcome?](repeating: nil, count: experiments.count)
        for (i, experiment) in experiments.enumerated() {
            if !force, let reused = reusable(experiment, progress: progress) {
                outcomes[i] = .reused(reused)
                progress.say("skip   \(experiment.name): result for this configuration already in \(store.path(experiment.name))")
            } else {
                pending.append(i)
            }
        }
        pending.sort { experiments[$0].iterations(scale) > experiments[$1].iterations(scale) }
        let work = WorkQueue(pending: pending, outcomes: outcomes)
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(pending.count, 1))) { _ in
            while let i = work.take() {
                work.set(i, runOne(experiments[i], progress: progress, save: save))
            }
        }
        return work.values.map { $0! }
    }

    /// Runs one experiment and (with `save`) stores it atomically.
    public func runOne(_ experiment: any Experiment, progress: ProgressBoard, save: Bool = true) -> RunOutcome {
        let name = experiment.name
        progress.started(name, total: experiment.iterations(scale))
        let start = Date()
        let output = experiment.run(scale) { progress.advance(name, by: $0) }
        let seconds = Date().timeIntervalSince(start)
        let result = StoredResult(experiment: name, scale: experiment.effectiveScale(scale),
                                  config: experiment.configuration(scale), output: output, seconds: seconds)
        if save {
            do { try store.save(result) } catch {
                progress.finished(name, seconds: seconds, note: "NOT SAVED")
                return .failed(name, "\(error)")
            }
        }
        progress.finished(name, seconds: seconds, note: String(format: "%.1f ns/iteration", seconds * 1e9 / Double(max(output.iterations, 1))))
        return .ran(result)
    }

    private func reusable(_ experiment: any Experiment, progress: ProgressBoard) -> StoredResult? {
        do {
            guard let stored = try store.load(experiment.name) else { return nil }
            return stored.configHash == SHA256.hex(experiment.configuration(scale).compact()) ? stored : nil
        } catch {
            progress.say("warning: \(error); running \(experiment.name) again")
            return nil
        }
    }
}

/// The indices still to run and the outcomes so far, shared by the worker threads.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [Int]
    private var storage: [RunOutcome?]
    init(pending: [Int], outcomes: [RunOutcome?]) { self.pending = pending; storage = outcomes }
    func take() -> Int? { lock.withLock { pending.isEmpty ? nil : pending.removeFirst() } }
    func set(_ i: Int, _ value: RunOutcome) { lock.withLock { storage[i] = value } }
    var values: [RunOutcome?] { lock.withLock { storage } }
}
