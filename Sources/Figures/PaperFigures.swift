// The paper's figures as the report presents them (docs/spec.md §1): which experiment and files make
// each one, what it shows, what the paper says it shows, and the numbers worth reading off the
// stored runs. The report never recomputes: `measure` reads the runs' summaries only.
//
// Only the paper's abstract and introduction are public (docs/spec.md §0), so every "claim" below is
// the abstract's statement that the figure illustrates, not a caption.

import Experiments
import SIMDCore
import Transformer
import Records

/// One number read off the stored runs, with its label.
public struct FigureNumber: Sendable, Equatable {
    public var label: String
    public var value: String

    public init(_ label: String, _ value: String) { self.label = label; self.value = value }
}

public struct PaperFigure: Sendable {
    /// Our id (F1 … F13, as docs/spec.md §1 numbers the figure files).
    public var id: String
    public var title: String
    /// Where it sits in the paper (docs/spec.md §1 gives the confidence of each guess).
    public var paperPlace: String
    /// The experiment whose runs it draws (a `Registry` name).
    public var experiment: String
    /// Every file (without extension) of this figure.
    public var files: [String]
    /// The files shown large on the figure's report page.
    public var headline: [String]
    public var shows: String
    public var claim: String
    public var measure: @Sendable ([RunRecord]) throws -> [FigureNumber]
}

/// Formats a number for the report: 4 significant digits, exponent form outside [1e-3, 1e4).
public func reportNumber(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x == 0 { return "0" }
    let a = abs(x)
    return a >= 1e-3 && a < 1e4 ? String(format: "%.4g", x) : String(format: "%.3e", x)
}

func percent(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.0f %%", 100 * x) }

public enum PaperFigures {
    /// In docs/spec.md §1 order.
    public static let all: [PaperFigure] = [
        PaperFigure(
            id: "F1", title: "Logistic loss: σ(a) polarizes", paperPlace: "Sec. 3 (probably Fig. 1)", experiment: "logistic",
            files: ["softmax_and_u_evolution_icml_2col"], headline: ["softmax_and_u_evolution_icml_2col"],
            shows: "Gradient descent on the value-softmax model L(Wσ(a)) with logistic loss: the coordinates σ(a)_d over iterations (log-log) and u = Wᵀβ (semilog-x).",
            claim: "Gradient flow drives σ(a) towards a low-entropy, near one-hot solution: one coordinate goes to 1, the others to 0.",
            measure: { runs in
                let s = try single(runs)
                let sigma = s["final_sigma"]?.array?.compactMap(\.double) ?? []
                return [FigureNumber("dimension D", runs[0].config["dim"]?.int.map(String.init) ?? "–"),
                        FigureNumber("final max σ(a)_d", reportNumber(sigma.max() ?? .nan)),
                        // Counted from 1, as the figure's legend labels the lines (σ(a)₁ … σ(a)_D).
                        FigureNumber("the coordinate that wins", s["argmax_sigma"]?.int.map { "σ(a)_\($0 + 1)" } ?? "–"),
                        FigureNumber("loss: initial → final", "\(num(s, "initial_loss")) → \(num(s, "final_loss"))")]
            }),
        normalization("F2", loss: "square", experiment: "normalization-square", file: "square_loss_comparison"),
        normalization("F3", loss: "logistic", experiment: "normalization-logistic", file: "log_loss_comparison"),
        PaperFigure(
            id: "F4", title: "Tied value-softmax: massive activations", paperPlace: "appendix", experiment: "tied",
            files: ["massive_activations_2"], headline: ["massive_activations_2"],
            shows: "The tied model σ(Ua) for D ∈ {10, 20, 50, 100}: loss, σ(Ua) and the norm of the column of U that σ selects.",
            claim: "Polarization is proposed as a mechanism for massive activations: the selected column of U grows while σ(Ua) becomes one-hot.",
            measure: { runs in
                let s = try single(runs)
                return ["D10", "D20", "D50", "D100"].map { d in
                    FigureNumber("\(d): max σ(Ua), column norm initial → final",
                                "\(num(s, "\(d).final_alpha_max")), \(num(s, "\(d).initial_column_norm")) → \(num(s, "\(d).final_column_norm"))")
                }
            }),
        conditioning("F5", title: "Ill-conditioned square loss: all panels", place: "appendix", file: "condition_numbers"),
        conditioning("F6", title: "Ill-conditioned square loss: a for κ = 1 and 5", place: "Sec. 3 (probably Fig. 2)",
                     file: "condition_numbers_small"),
        PaperFigure(
            id: "F7", title: "Cross-entropy to a target distribution", paperPlace: "appendix", experiment: "kl",
            files: ["kl"], headline: ["kl"],
            shows: "The objective CE(p*, softmax(Vᵀσ(a))): loss, gradient norms and the logits a over iterations.",
            claim: "The polarization of σ(a) is not specific to the logistic or square loss.",
            measure: { runs in
                let s = try single(runs)
                return [FigureNumber("final max σ(a)_d", num(s, "final_sigma_max")),
                        FigureNumber("entropy of the target p*", num(s, "entropy_target")),
                        FigureNumber("loss: initial → final", "\(num(s, "initial_loss")) → \(num(s, "final_loss"))")]
            }),
        PaperFigure(
            id: "F8", title: "Induction heads: share of sink heads", paperPlace: "Sec. 4.1 (aux0.2_shift_add probably Fig. 4)",
            experiment: "induction", files: InductionSweep.settings.map {
                FigureName.induction("sink_proportions", aux: $0.aux, shift: $0.shift, positional: $0.positional)
            }, headline: ["sink_proportions_aux0.2_shift_add"],
            shows: "Two-layer transformers trained on the induction task with 11 attention kinds; a bar is the share of layer-1 heads whose relative attention to BOS exceeds \(InductionRunRecord.sinkHead), over the runs that learned the task (acc_induction > \(InductionRunRecord.learnedAccuracy)). A red × marks a kind with no such run.",
            claim: "Attention sinks as a consequence of polarization: softmax attention puts most heads on the BOS token, unnormalized kinds far fewer.",
            measure: { runs in
                let records = try InductionSweep().records(runs)
                return kindsInOrder.compactMap { kind in
                    let of = records.filter { $0.attention == kind }
                    guard !of.isEmpty else { return nil }
                    let learned = of.filter(\.isLearned)
                    let heads = learned.reduce(0) { $0 + $1.presentHeads }, sinks = learned.reduce(0) { $0 + $1.sinkHeads }
                    return FigureNumber(kind.rawValue, "learned \(learned.count)/\(of.count) runs; sink heads \(sinks)/\(heads)"
                                       + (heads == 0 ? "" : " (\(percent(Double(sinks) / Double(heads))))"))
                }
            }),
        PaperFigure(
            id: "F9", title: "Induction heads: accuracy", paperPlace: "appendix or beside F8", experiment: "induction",
            files: InductionSweep.settings.map {
                FigureName.induction("accuracy", aux: $0.aux, shift: $0.shift, positional: $0.positional)
            }, headline: ["accuracy_aux0.2_shift_add"],
            shows: "Mean induction accuracy (last position) of every run of each attention kind, no filter.",
            claim: "Which attention kinds learn the induction task at all; F8 only counts the runs that did.",
            measure: { runs in
                let records = try InductionSweep().records(runs)
                return kindsInOrder.compactMap { kind in
                    let acc = records.filter { $0.attention == kind }.map(\.accuracyInduction)
                    return acc.isEmpty ? nil : FigureNumber(kind.rawValue, "mean acc_induction \(reportNumber(acc.filter { !$0.isNaN }.mean)) over \(acc.count) runs")
                }
            }),
        PaperFigure(
            id: "F10", title: "Induction attention maps: softmax, sigmoid, linear", paperPlace: "Sec. 4.1 (probably Fig. 3)",
            experiment: "attention-maps", files: AttentionMapsExperiment().figures,
            headline: ["attention_map_softmax_0_1_0", "attention_map_sigmoid_0_1_0", "attention_map_linear_0_1_0"],
            shows: "Layer-1 attention matrices (12 × 12, query rows, key columns) of three trained models (seed 0): five samples × four heads each; the report shows sample 0, head 0.",
            claim: "Softmax heads put their mass on BOS plus the induction target (a sink); sigmoid and linear attention do not need a sink.",
            measure: { runs in
                runs.sorted { $0.id > $1.id }.map { run in
                    let sinks = (try? readTable(run.summary, "rel_attn_bos_global", experiment: "attention-maps"))?.dropFirst().first ?? []
                    return FigureNumber(run.id, "acc_induction \(num(run.summary, "acc_induction")); layer-1 relative attention to BOS per head "
                                       + sinks.map(reportNumber).joined(separator: ", "))
                }
            }),
        PaperFigure(
            id: "F11", title: "Classification: flip rate", paperPlace: "Sec. 4.2 (vocab41_nomlp_noln the best guess)",
            experiment: "classification", files: ClassificationSweep.flipSettings.map {
                FigureName.flipRate(vocabulary: $0.vocabulary, mlp: $0.mlp, layerNorm: $0.layerNorm)
            }, headline: ["fliprate_vocab41_nomlp_noln"],
            shows: "Token-group classification with one layer and one head: the flip rate is how often swapping the top-attended token of two samples with different labels swaps the prediction (top-1 dominance).",
            claim: "Softmax attention polarizes onto one token, which then decides the label; unnormalized kinds spread their weight.",
            measure: { runs in
                let records = try ClassificationSweep().records(runs).filter { $0.layers == 1 && $0.heads == 1 }
                return kindsInOrder.compactMap { kind in
                    let of = records.filter { $0.attention == kind }
                    let main = of.filter { $0.vocabulary == 41 && !$0.mlp && !$0.layerNorm }.map(\.dominance)
                    guard !of.isEmpty else { return nil }
                    return FigureNumber(kind.rawValue, "flip rate \(reportNumber(main.mean)) (vocab 41, no MLP, no LN); "
                                       + "\(reportNumber(of.map(\.dominance).mean)) over all \(of.count) one-head runs")
                }
            }),
        PaperFigure(
            id: "S1", title: "Classification: sparsity score overviews", paperPlace: "not saved by the authors (classification[4])",
            experiment: "classification", files: ClassificationSweep.overviewSettings.map {
                FigureName.sparsityOverview(layers: $0.layers, heads: $0.heads)
            }, headline: ["sparsity_layers2_heads4"],
            shows: "Vocabulary 41: the mean over heads of the largest CLS-row attention weight (relative), per kind, for every (layers, heads) and the four MLP × LayerNorm variants.",
            claim: "Softmax CLS rows are sparse (one weight near 1) across depths and widths.",
            measure: { runs in
                let records = try ClassificationSweep().records(runs)
                return kindsInOrder.compactMap { kind in
                    let scores = records.filter { $0.attention == kind && $0.vocabulary == 41 }.map(\.sparsity).filter { !$0.isNaN }
                    return scores.isEmpty ? nil : FigureNumber(kind.rawValue, "mean sparsity score \(reportNumber(scores.mean)) over \(scores.count) runs")
                }
            }),
        PaperFigure(
            id: "F12", title: "Classification: one tracked sample per label", paperPlace: "Sec. 4.2 (probably Fig. 5)",
            experiment: "sample-tracking", files: ["classification_with_sample_tracking"], headline: ["classification_with_sample_tracking"],
            shows: "CLS-row softmax weights of one fixed sample per label after every optimizer step (log-x), one layer, one head, vocabulary 41.",
            claim: "During training one key's weight rises to about 1 while the others decay: polarization in a trained attention layer.",
            measure: { runs in
                let s = try single(runs)
                let rows = s["final_cls_rows"]?.array?.map { $0.array?.compactMap(\.double) ?? [] } ?? []
                return [FigureNumber("accuracy", num(s, "acc"))] + rows.enumerated().map {
                    FigureNumber("label \($0.offset): final max CLS weight", reportNumber($0.element.max() ?? .nan))
                }
            }),
        PaperFigure(
            id: "F13", title: "Language models: average sparsity score per head (substitute)", paperPlace: "Fig. 7 (stated in the authors' README)",
            experiment: "language-models", files: ["sink_scores"], headline: ["sink_scores"],
            shows: "Substitute for the two 7B models, which cannot be obtained here: two character-level causal LMs (4 layers × 8 heads, width 128, context 128) trained on Shakespeare, identical except for attention (softmax vs unnormalized sigmoid σ(qk/√d − log 128)); histogram over their 32 heads each of the mean, over held-out queries, of each row's largest attention weight. It tests the same contrast on small models; it does not show how 7B models trained on the Pile behave.",
            claim: "A softmax LLM has many heads with near one-hot rows; the sigmoid LLM far fewer.",
            measure: { runs in
                try LanguageModelExperiment.kinds.flatMap { kind -> [FigureNumber] in
                    guard let run = LanguageModelExperiment.record(kind, in: runs) else { return [] }
                    let (scores, first) = try headTables(run.summary, experiment: "language-models")
                    return [FigureNumber("\(kind.rawValue): held-out loss (nats/char)", num(run.summary, "eval_loss"))]
                        + scoreNumbers(scores, label: "\(kind.rawValue): ")
                        + [FigureNumber("\(kind.rawValue): mean first-token share", reportNumber(first.mean))]
                }
            }),
        PaperFigure(
            id: "S2", title: "A pretrained softmax transformer: all-MiniLM-L6-v2", paperPlace: "not in the paper (the F13 substitute's real-model panel)",
            experiment: "minilm", files: [FigureName.miniLM], headline: [FigureName.miniLM],
            shows: "The 72 heads of the pretrained sentence encoder all-MiniLM-L6-v2 (BERT, 6 layers × 12 heads, bidirectional) on 256 held-out Shakespeare passages: the avg. sparsity score of F13 and the share of each row's weight on the first token ([CLS]).",
            claim: "Softmax attention in a trained model concentrates on few keys, often the first token (an attention sink).",
            measure: { runs in
                let s = try single(runs)
                let (scores, first) = try headTables(s, experiment: "minilm")
                return [FigureNumber("passages, query tokens", "\(s["passages"]?.int ?? 0), \(s["eval_queries"]?.int ?? 0)")]
                    + scoreNumbers(scores, label: "")
                    + [FigureNumber("mean [CLS] share; heads with share > 0.5", "\(reportNumber(first.mean)); \(first.filter { $0 > 0.5 }.count)")]
            }),
    ]

    /// What the reproduction does differently from the authors' pipeline, and why.
    public static func deviations(scale: Scale?) -> [String] {
        var list = [
            "The notebooks induction_save_attn_patterns (F10) and classification_with_sample_tracking (F12) are unseeded; we train them with seed 0 so that the figures are reproducible.",
            "Classification data (§6.1) is drawn from CPython's random stream instead of torch's randint/randperm after model initialisation, which cannot be reproduced outside torch; the distribution is the same. Induction data equals the authors' exactly.",
            "Weights are initialised with our own deterministic generator, not torch's; runs are therefore statistically, not bit-for-bit, comparable with the authors'.",
            "F13 (paper Fig. 7) needs two 7B checkpoints that cannot be obtained here. It is replaced by a substitute at a scale this machine can run: two 4-layer character LMs trained on Shakespeare (softmax vs sigmoid with bias −log n, no hybrid norm or ALiBi) and the pretrained all-MiniLM-L6-v2 (S2). It tests the softmax/sigmoid contrast on small models and one real pretrained model; it says nothing about 7B models trained on the Pile.",
            "The sparsity-score overviews (S1) are only shown by the authors' notebook; we save them as sparsity_layers{L}_heads{H}.",
        ]
        switch scale {
        case .default:
            list.insert("Reduced default scale: induction runs seed 0, 4 heads, lr 1e-3, every (aux, shift, positional) × 11 kinds, 1 epoch instead of 10 (132 of 8640 runs); the F10 models train 1 epoch; classification runs seed 0, lr 1e-3, 4 epochs instead of 10, the F11 grid and the vocabulary-41 overview grid (352 of 12 960 runs). `--scale paper` runs the authors' grids.", at: 0)
        case .smoke:
            list.insert("Smoke scale: tiny models and iteration counts for tests; the transformer figures do not show the paper's effects at this scale.", at: 0)
        case .paper:
            break
        case nil:
            list.insert("Runs of a user's sweep file: the settings of each run are in its configuration (paper-repro table).", at: 0)
        }
        return list
    }

    static let kindsInOrder: [AttentionKind] = KindBars.bases.flatMap { [$0.kinds.normalized, $0.kinds.unnormalized].compactMap { $0 } }

    static func normalization(_ id: String, loss: String, experiment: String, file: String) -> PaperFigure {
        PaperFigure(
            id: id, title: "Normalizations under \(loss) loss", paperPlace: "appendix", experiment: experiment,
            files: [file], headline: [file],
            shows: "The normalized value model with L1, Sum, L2, Softmax, ReLU and Sigmoid normalizations under \(loss) loss: the weights α and the logits a over iterations.",
            claim: "Softmax normalization polarizes; the paper contrasts it with other normalizations.",
            measure: { runs in
                let s = try single(runs)
                return ["l1", "sum", "l2", "softmax", "relu", "sigmoid"].map { n in
                    let alpha = s[n]?["final_alpha"]?.array?.compactMap(\.double) ?? []
                    return FigureNumber("\(n): final max α, loss", "\(reportNumber(alpha.max() ?? .nan)), \(num(s, "\(n).final_loss"))")
                }
            })
    }

    static func conditioning(_ id: String, title: String, place: String, file: String) -> PaperFigure {
        PaperFigure(
            id: id, title: title, paperPlace: place, experiment: "conditioning", files: [file], headline: [file],
            shows: "Square-loss regression through a value-softmax layer with design matrices of condition number κ = 1 … 5.",
            claim: "Polarization under ill-conditioned data: the numbers below say, for each κ, how far σ(a) has moved from uniform (1/20) by the last step.",
            measure: { runs in
                let s = try single(runs)
                return (1...5).map { k in
                    let a = s["kappa\(k)"]?["final_a"]?.array?.compactMap(\.double) ?? []
                    let top = a.isEmpty ? Double.nan : softmax(a).max()!
                    // The state is read off the run with claim C3's thresholds, not typed.
                    let state = PaperClaims.conditioningState(top, dimension: a.count)
                    return FigureNumber("κ = \(k): final max σ(a), loss", "\(reportNumber(top)) (\(state)), \(num(s, "kappa\(k).final_loss"))")
                }
            })
    }

    /// The §7 per-head tables of a summary (`AttentionSparsity`), every head once.
    static func headTables(_ summary: JSON, experiment: String) throws -> (scores: [Double], firstShare: [Double]) {
        (try readTable(summary, "max_proportion", experiment: experiment).flatMap { $0 },
         try readTable(summary, "first_token_proportion", experiment: experiment).flatMap { $0 })
    }

    /// Mean [min, max] of the heads' avg. sparsity scores and how many exceed 0.5.
    static func scoreNumbers(_ scores: [Double], label: String) -> [FigureNumber] {
        [FigureNumber("\(label)sparsity score mean [min, max]",
                      "\(reportNumber(scores.mean)) [\(reportNumber(scores.min() ?? .nan)), \(reportNumber(scores.max() ?? .nan))]"),
         FigureNumber("\(label)heads with score > 0.5", "\(scores.filter { $0 > 0.5 }.count) of \(scores.count)")]
    }

    static func single(_ runs: [RunRecord]) throws -> JSON {
        guard runs.count == 1, let only = runs.first else { throw ExperimentError.badRecords("report", "expected one run, got \(runs.count)") }
        return only.summary
    }

    /// A dotted summary path as a report number ("–" when absent).
    static func num(_ summary: JSON, _ path: String) -> String {
        (try? summary.node(path))?.double.map(reportNumber) ?? "–"
    }
}
