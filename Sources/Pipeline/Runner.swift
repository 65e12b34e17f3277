// Runner: runs the runs of experiments on `jobs` workers and stores each result as soon as it is done.
//
// Determinism: every run is a computation on its configuration alone (threads inside a run do not
// change its bits), so results do not depend on `jobs`, on the shard, or on which worker ran them.
// Resume: a run whose stored result has the same config hash is kept (unless `force`); a corrupt
// stored result is reported by name and rerun; a file that is not the run's (another configuration
// or program) is kept and the run fails, unless `force`.

import Experiments
import Foundation

public enum RunOutcome: Sendable {
    case ran(StoredResult)
    case reused(StoredResult)
    case failed(String, String)
}

/// Shard `index` of `count` (0-based): the runs whose position in the sorted run list is
/// congruent to `index` modulo `count`. Round robin spreads the expensive settings evenly.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public static let all = Shard(index: 0, count: 1)

    public init(index: Int, count: Int) { self.index = index; self.count = count }

    /// "i/n", 1-based as users count shards (`--shard 1/3` … `--shard 3/3`).
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
        self.init(index: i - 1, count: n)
    }

    /// SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT (task ids 0…n−1, or 1…n when SLURM_ARRAY_TASK_MIN
    /// is 1), else Kubernetes' JOB_COMPLETION_INDEX with SHARD_COUNT; nil when neither is set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        func number(_ key: String) throws -> Int? {
            guard let text = environment[key] else { return nil }
            guard let value = Int(text) else { throw PipelineError.usage("\(key)=\(text) is not a number") }
            return value
        }
        if let task = try number("SLURM_ARRAY_TASK_ID") {
            guard let count = try number("SLURM_ARRAY_TASK_COUNT") else {
                throw PipelineError.usage("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
            }
            let index = task - (try number("SLURM_ARRAY_TASK_MIN") ?? 0)
            guard count >= 1, (0..<count).contains(index) else {
                throw PipelineError.usage("SLURM array task \(task) is outside 0..<\(count) (use --array=0-\(count - 1))")
            }
            return Shard(index: index, count: count)
        }
        if let index = try number("JOB_COMPLETION_INDEX") {
            guard let count = try number("SHARD_COUNT") else {
                throw PipelineError.usage("JOB_COMPLETION_INDEX is set but SHARD_COUNT is not (set it to the Job's completions)")
            }
            guard count >= 1, (0..<count).contains(index) else { throw PipelineError.usage("JOB_COMPLETION_INDEX \(index) is outside 0..<\(count)") }
            return Shard(index: index, count: count)
        }
        return nil
    }

    public func select<T>(_ items: [T]) -> [T] {
        items.enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    public var description: String { "\(index + 1)/\(count)" }
}

public struct Runner: Sendable {
    public var jobs: Int
    public var store: ResultStore
    public var force: Bool
    public var shard: Shard
    /// Threads each run may use; by default the cores shared out among the jobs.
    public var threadsPerRun: Int

    public init(jobs: Int, store: ResultStore, force: Bool = false, shard: Shard = .all, threadsPerRun: Int? = nil) {
        self.jobs = max(1, jobs)
        self.store = store
        self.force = force
        self.shard = shard
        self.threadsPerRun = threadsPerRun ?? max(1, ProcessInfo.processInfo.activeProcessorCount / max(1, jobs))
    }

    /// Every run of the list in order (experiments as given, runs sorted by id), this shard only.
    public func plan(_ runs: RunSet) -> [RunSpec] {
        shard.select(runs.specs)
    }

    /// Runs the planned runs (largest first) and returns their outcomes in plan order.
    public func run(_ runs: RunSet, progress: ProgressBoard, save: Bool = true) -> [RunOutcome] {
        run(plan(runs), progress: progress, save: save)
    }

    public func run(_ specs: [RunSpec], progress: ProgressBoard, save: Bool = true) -> [RunOutcome] {
        let experiments = Dictionary(Registry.all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var pending: [Int] = []
        var outcomes = [RunOutcome?](repeating: nil, count: specs.count)
        var kept = 0
        for (i, spec) in specs.enumerated() {
            guard !force else { pending.append(i); continue }
            do {
                if let stored = try store.load(spec) {
                    outcomes[i] = .reused(stored)
                    kept += 1
                } else {
                    pending.append(i)
                }
            } catch let error as PipelineError {
                if case .foreign = error {
                    // Never replaced silently: someone else's file, or another configuration's.
                    outcomes[i] = .failed(label(spec), "\(error); kept as it is (--force replaces it)")
                } else {
                    progress.say("warning: \(error); running \(label(spec)) again")
                    pending.append(i)
                }
            } catch {
                progress.say("warning: \(error); running \(label(spec)) again")
                pending.append(i)
            }
        }
        if kept > 0 { progress.say("kept   \(kept) of \(specs.count) runs: results for their configurations are already in \(store.directory.path)") }
        pending.sort { specs[$0].estimatedSeconds > specs[$1].estimatedSeconds }
        progress.plan(runs: pending.count, estimatedSeconds: pending.reduce(0) { $0 + specs[$1].estimatedSeconds })
        let work = WorkQueue(pending: pending, outcomes: outcomes)
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(pending.count, 1))) { _ in
            while let i = work.take() {
                let spec = specs[i]
                guard let experiment = experiments[spec.experiment] else {
                    work.set(i, .failed(label(spec), "no experiment named \(spec.experiment)")); continue
                }
                work.set(i, runOne(spec, of: experiment, progress: progress, save: save))
            }
        }
        return work.values.map { $0! }
    }

    /// Runs one run and (with `save`) stores it atomically.
    public func runOne(_ spec: RunSpec, of experiment: any Experiment, progress: ProgressBoard, save: Bool = true) -> RunOutcome {
        let name = label(spec)
        progress.started(name, total: spec.steps)
        if save { store.markRunning(spec) }
        defer { if save { store.clearMarker(spec) } }
        let start = Date()
        let output: ExperimentOutput
        do {
            output = try experiment.run(spec, threads: threadsPerRun) { progress.advance(name, by: $0) }
        } catch {
            progress.finished(name, seconds: Date().timeIntervalSince(start), estimated: spec.estimatedSeconds, note: "FAILED")
            return .failed(name, "\(error)")
        }
        let seconds = Date().timeIntervalSince(start)
        let result = StoredResult(spec, output: output, seconds: seconds, threads: threadsPerRun)
        if save {
            do { try store.save(result) } catch {
                progress.finished(name, seconds: seconds, estimated: spec.estimatedSeconds, note: "NOT SAVED")
                return .failed(name, "\(error)")
            }
        }
        let perStep = seconds / Double(max(output.iterations, 1))
        progress.finished(name, seconds: seconds, estimated: spec.estimatedSeconds,
                          note: perStep < 1e-3 ? String(format: "%.1f ns/iteration", perStep * 1e9) : String(format: "%.1f ms/step", perStep * 1e3))
        return .ran(result)
    }
}

/// "experiment" for a single-run experiment, else "experiment/run".
public func label(_ spec: RunSpec) -> String {
    spec.id == spec.experiment ? spec.id : "\(spec.experiment)/\(spec.id)"
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
