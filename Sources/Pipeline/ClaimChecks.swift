// The paper's claims (`Figures.PaperClaims`) decided on the stored runs of a run list: what
// `check` prints after the golden values and the report shows beside the figures. A claim whose
// experiment has runs missing is undecided, never judged on part of its runs.

import Figures
import Records

public struct ClaimCheck: Sendable {
    public var claim: PaperClaim
    public var verdict: ClaimVerdict

    /// One line: "CLAIM <verdict> <id> (<figure>) <statement> — <evidence>".
    public var line: String {
        "CLAIM \(verdict.word.padding(toLength: 9, withPad: " ", startingAt: 0)) \(claim.id) (\(claim.figures.joined(separator: ", "))) \(claim.statement) — \(verdict.evidence)"
    }
}

public enum ClaimChecks {
    /// The claims of the experiments in `runs`, in docs/spec.md §12 order.
    public static func run(_ runs: RunSet, store: ResultStore) -> [ClaimCheck] {
        let results = Dictionary(store.collect(runs).map { ($0.experiment, $0) }, uniquingKeysWith: { a, _ in a })
        return PaperClaims.all.compactMap { claim in
            guard let stored = results[claim.experiment] else { return nil }
            return ClaimCheck(claim: claim, verdict: decide(claim, stored))
        }
    }

    public static func decide(_ claim: PaperClaim, _ results: ExperimentResults) -> ClaimVerdict {
        guard results.isComplete else {
            return .undecided("\(results.stored.count) of \(results.specs.count) runs of \(results.experiment) stored")
        }
        do {
            return try claim.judge(results.records)
        } catch {
            return .undecided("cannot read the runs: \(error)")
        }
    }
}
