// The paper's qualitative claims as named checks over stored runs (docs/spec.md §12 states and
// justifies every threshold). A claim reads only the runs' summaries, like the report; its verdict
// says what was measured. A claim that fails is a finding, reported as such, never an error: `check`
// prints the verdicts without changing its exit status, the report shows them beside the figures.

import Experiments
import Records
import SIMDCore
import Transformer

public enum ClaimVerdict: Sendable, Equatable {
    case holds(String)
    case fails(String)
    /// The runs cannot decide it (none stored, or no run that learned the task).
    case undecided(String)

    public var word: String {
        switch self {
        case .holds: return "holds"
        case .fails: return "fails"
        case .undecided: return "undecided"
        }
    }

    public var evidence: String {
        switch self {
        case let .holds(e), let .fails(e), let .undecided(e): return e
        }
    }
}

public struct PaperClaim: Sendable {
    /// "C1" … in docs/spec.md §12 order.
    public var id: String
    /// The figures it is read off (F1 … F13).
    public var figures: [String]
    /// The experiment whose runs decide it (a `Registry` name).
    public var experiment: String
    /// The claim with its thresholds, as a sentence.
    public var statement: String
    public var judge: @Sendable ([RunRecord]) throws -> ClaimVerdict
}

public enum PaperClaims {
    /// One coordinate holding more than this share of the mass is a one-hot (polarized) end point.
    public static let oneHot = 0.95
    /// E4: σ(a) has polarized when one coordinate holds the majority of the mass …
    public static let polarized = 0.5
    /// … and is still near uniform when no coordinate exceeds twice the uniform weight 1/D.
    public static func nearUniform(dimension: Int) -> Double { 2 / Double(dimension) }
    /// F4: the selected column of U has grown when its norm at least doubled.
    public static let columnGrowth = 2.0
    /// F11: the flip rate that counts as "the top token decides the label", and as "it does not".
    public static let decidingFlipRate = 0.9, nonDecidingFlipRate = 0.1
    /// F12: the tracked CLS rows end with one key above this weight.
    public static let trackedWeight = 0.9

    public static let all: [PaperClaim] = [
        PaperClaim(id: "C1", figures: ["F1"], experiment: "logistic",
                   statement: "Under the logistic loss σ(a) polarizes: one coordinate ends above \(oneHot).") { runs in
            let s = try single(runs)
            let sigma = s["final_sigma"]?.array?.compactMap(\.double) ?? []
            guard let top = sigma.max(), let at = sigma.firstIndex(of: top) else { return .undecided("no final σ(a) stored") }
            return verdict(top > oneHot, "max final σ(a) = \(reportNumber(top)) (σ(a)_\(at + 1) of \(sigma.count))")
        },
        PaperClaim(id: "C2", figures: ["F4"], experiment: "tied",
                   statement: "In the tied model, for every D, σ(Ua) ends one-hot (max above \(oneHot)) while the column of U it selects grows at least \(Int(columnGrowth))-fold.") { runs in
            let s = try single(runs)
            var ok = true
            let parts = try TiedExperiment().modelKeys(s, prefix: "D").map { "D\($0)" }.map { d -> String in
                let top = s[d]?["final_alpha_max"]?.double ?? .nan
                let growth = (s[d]?["final_column_norm"]?.double ?? .nan) / (s[d]?["initial_column_norm"]?.double ?? .nan)
                ok = ok && top > oneHot && growth >= columnGrowth
                return "\(d): max σ(Ua) \(reportNumber(top)), column norm ×\(reportNumber(growth))"
            }
            return verdict(ok, parts.joined(separator: "; "))
        },
        PaperClaim(id: "C3", figures: ["F5", "F6"], experiment: "conditioning",
                   statement: "With ill-conditioned data σ(a) stays near uniform for κ = 1, 2 (max below 2/D) and polarizes for κ ≥ 3 (max above \(polarized)).") { runs in
            let s = try single(runs)
            var ok = true, parts: [String] = []
            for k in try ConditioningExperiment().modelKeys(s, prefix: "kappa") {
                let a = s["kappa\(k)"]?["final_a"]?.array?.compactMap(\.double) ?? []
                guard !a.isEmpty else { return .undecided("κ = \(k): no final a stored") }
                let top = softmax(a).max()!
                let expected = k <= 2 ? top < nearUniform(dimension: a.count) : top > polarized
                ok = ok && expected
                parts.append("κ = \(k): \(reportNumber(top)) (\(conditioningState(top, dimension: a.count)))")
            }
            return verdict(ok, parts.joined(separator: "; "))
        },
        PaperClaim(id: "C4", figures: ["F7"], experiment: "kl",
                   statement: "Under cross-entropy to a target distribution σ(a) polarizes too: one coordinate ends above \(oneHot).") { runs in
            let s = try single(runs)
            guard let top = s["final_sigma_max"]?.double else { return .undecided("no final σ(a) stored") }
            return verdict(top > oneHot, "max final σ(a) = \(reportNumber(top))")
        },
        PaperClaim(id: "C5", figures: ["F8"], experiment: "induction",
                   statement: "Induction heads, main setting (aux 0.2, shifted query, additive positions): among runs that learned the task (acc > \(InductionRunRecord.learnedAccuracy)), softmax's mean share of sink heads exceeds that of every unnormalized kind.") { runs in
            let main = try InductionSweep().records(runs).filter { $0.auxWeight == 0.2 && $0.shiftQuery && $0.positional == .add && $0.isLearned }
            func share(_ kind: AttentionKind) -> Double? {
                let of = main.filter { $0.attention == kind }
                return of.isEmpty ? nil : of.map(\.sinkProportion).mean
            }
            guard let softmaxShare = share(.softmax) else { return .undecided("no softmax run learned the task in this setting") }
            // The "w/o norm." bars of the figure.
            let others = KindBars.bases.compactMap(\.kinds.unnormalized).compactMap { k in share(k).map { (k, $0) } }
            guard !others.isEmpty else { return .undecided("softmax \(percent(softmaxShare)); no unnormalized run learned the task") }
            return verdict(others.allSatisfy { $0.1 < softmaxShare },
                           "softmax \(percent(softmaxShare)); " + others.map { "\($0.0.rawValue) \(percent($0.1))" }.joined(separator: ", "))
        },
        PaperClaim(id: "C6", figures: ["F11"], experiment: "classification",
                   statement: "Classification with one layer and one head (vocabulary 41, no MLP, no LN): softmax's mean flip rate is at least \(decidingFlipRate), unnormalized sigmoid's at most \(nonDecidingFlipRate).") { runs in
            let main = try ClassificationSweep().records(runs).filter { $0.layers == 1 && $0.heads == 1 && $0.vocabulary == 41 && !$0.mlp && !$0.layerNorm }
            let softmaxRate = main.filter { $0.attention == .softmax }.map(\.dominance)
            let sigmoidRate = main.filter { $0.attention == .sigmoidUnnorm }.map(\.dominance)
            guard !softmaxRate.isEmpty, !sigmoidRate.isEmpty else { return .undecided("softmax or sigmoid_unnorm runs missing") }
            return verdict(softmaxRate.mean >= decidingFlipRate && sigmoidRate.mean <= nonDecidingFlipRate,
                           "softmax \(reportNumber(softmaxRate.mean)) over \(softmaxRate.count) runs, sigmoid_unnorm \(reportNumber(sigmoidRate.mean)) over \(sigmoidRate.count)")
        },
        PaperClaim(id: "C7", figures: ["F12"], experiment: "sample-tracking",
                   statement: "During training the CLS row of each tracked sample polarizes: one key ends above \(trackedWeight) (labels 0 and 1, as drawn).") { runs in
            let s = try single(runs)
            let rows = (s["final_cls_rows"]?.array ?? []).prefix(2).map { $0.array?.compactMap(\.double).max() ?? .nan }
            guard rows.count == 2 else { return .undecided("final CLS rows not stored") }
            return verdict(rows.allSatisfy { $0 > trackedWeight }, rows.enumerated().map { "label \($0.offset): \(reportNumber($0.element))" }.joined(separator: ", "))
        },
        PaperClaim(id: "C8", figures: ["F13"], experiment: "language-models",
                   statement: "Language models (substitute for Fig. 7): the softmax model's mean avg. sparsity score exceeds the sigmoid model's.") { runs in
            guard let soft = LanguageModelExperiment.record(.softmax, in: runs), let sig = LanguageModelExperiment.record(.sigmoidLogN, in: runs) else {
                return .undecided("a model is missing")
            }
            let a = try readTable(soft.summary, "max_proportion", experiment: "language-models").flatMap { $0 }.mean
            let b = try readTable(sig.summary, "max_proportion", experiment: "language-models").flatMap { $0 }.mean
            return verdict(a > b, "softmax \(reportNumber(a)), sigmoid \(reportNumber(b))")
        },
    ]

    /// The word E4's report numbers use for a final max σ(a) (the thresholds of claim C3).
    public static func conditioningState(_ top: Double, dimension: Int) -> String {
        top.isNaN ? "–" : top > polarized ? "polarized" : top < nearUniform(dimension: dimension) ? "near uniform" : "in between"
    }

    static func verdict(_ ok: Bool, _ evidence: String) -> ClaimVerdict { ok ? .holds(evidence) : .fails(evidence) }

    static func single(_ runs: [RunRecord]) throws -> JSON { try PaperFigures.single(runs) }
}
