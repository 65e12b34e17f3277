// merge: gathers the per-run files of several result folders (shards) into one. A run missing
// everywhere, a corrupt file, two different results of one run, or a target file with other
// content is a problem; a target file is never replaced.

import Experiments
import Foundation

public enum Merging {
    public static func run(_ list: RunSet, sources: [ResultStore], into target: ResultStore) throws -> CheckOutcome {
        var outcome = CheckOutcome()
        var problems = 0, copied = 0, present = 0
        for (e, specs) in list.groups {
            var missing: [String] = []
            for spec in specs {
                var found: [(path: String, result: StoredResult)] = []
                for store in sources {
                    do {
                        if let r = try store.load(spec) { found.append((store.path(spec), r)) }
                    } catch {
                        outcome.lines.append("CORRUPT    \(error)"); problems += 1
                    }
                }
                guard let first = found.first?.result else { missing.append(label(spec)); continue }
                if found.count > 1 {
                    let identical = Set(found.map(\.result.contentHash)).count == 1
                    outcome.lines.append("\(identical ? "duplicate" : "CONFLICT ")  \(label(spec)) in \(found.map(\.path).joined(separator: ", "))\(identical ? " (identical content)" : " (different content)")")
                    if !identical { problems += 1; continue }
                }
                present += 1
                do {
                    if let existing = try target.load(spec) {
                        if existing.contentHash != first.contentHash {
                            outcome.lines.append("CONFLICT   \(label(spec)): \(target.path(spec)) holds other content than \(found[0].path); left as it is")
                            problems += 1
                        }
                        continue
                    }
                } catch {
                    outcome.lines.append("CONFLICT   \(label(spec)): the target holds an unusable file (\(error)); left as it is")
                    problems += 1
                    continue
                }
                try target.save(first)
                copied += 1
            }
            if !missing.isEmpty {
                problems += missing.count
                outcome.lines.append("MISSING    \(missing.count) runs of \(e.name): \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", …" : "")")
            }
        }
        outcome.lines.append("\(present) runs present, \(copied) copied into \(target.directory.path), \(problems) problems")
        outcome.passed = problems == 0
        outcome.verdict = problems == 0 ? "complete" : "INCOMPLETE"
        return outcome
    }
}
