// Determinism check: rerun stored runs without touching their files and compare content hashes.
// Every single-run experiment is rerun; of a sweep, `runsPerSweep` runs spread evenly over its
// sorted run list. The outcome is kept in the determinism record for the report; an experiment
// with a missing or failed rerun is not recorded as verified.

import Experiments
import Foundation
import Records

/// What a checking command found: one line per item, a verdict, and whether it passed.
public struct CheckOutcome: Sendable {
    public var lines: [String] = []
    public var verdict: String = ""
    public var passed: Bool = false
}

public enum Verification {
    public static func run(_ list: RunSet, store: ResultStore, jobs: Int, runsPerSweep: Int, progress: ProgressBoard) throws -> CheckOutcome {
        var outcome = CheckOutcome()
        var differ = 0
        var stored: [StoredResult] = [], specs: [RunSpec] = [], contentHashes: [String: String] = [:]
        for collected in store.collect(list) {
            contentHashes[collected.experiment] = collected.contentHash
            let n = collected.specs.count
            let chosen = n <= runsPerSweep ? collected.specs : (0..<runsPerSweep).map { collected.specs[$0 * n / runsPerSweep] }
            for spec in chosen {
                guard let r = collected.stored[spec.id] else {
                    outcome.lines.append("MISSING  \(label(spec)): \(collected.problems[spec.id] ?? "no stored result in \(store.directory.path)")")
                    differ += 1
                    continue
                }
                stored.append(r); specs.append(spec)
            }
        }
        let reruns = Runner(jobs: jobs, store: store, force: true).run(specs, progress: progress, save: false)
        var record: [String: DeterminismEntry] = [:]
        for ((spec, old), rerun) in zip(zip(specs, stored), reruns) {
            guard case let .ran(new) = rerun else { outcome.lines.append("FAILED   \(label(spec))"); differ += 1; continue }
            record[spec.experiment, default: DeterminismEntry(contentHash: contentHashes[spec.experiment] ?? "", runs: [])]
                .runs.append((spec.id, old.contentHash, new.contentHash))
            if new.contentHash == old.contentHash {
                outcome.lines.append("identical  \(label(spec))  sha256 \(new.contentHash)")
            } else {
                differ += 1
                outcome.lines.append("DIFFERS    \(label(spec))  stored \(old.contentHash.prefix(16))  rerun \(new.contentHash.prefix(16))")
            }
        }
        try DeterminismRecord.update(store, label: list.label, with: record.filter { name, entry in
            entry.runs.count == specs.filter { $0.experiment == name }.count
        })
        // "deterministic" means at least one rerun was compared.
        if stored.isEmpty {
            outcome.verdict = "FAIL (nothing was rerun)"
        } else {
            outcome.passed = differ == 0
            outcome.verdict = differ == 0 ? "deterministic (\(stored.count) results identical)" : "FAIL (\(differ) differ or missing)"
        }
        return outcome
    }
}
