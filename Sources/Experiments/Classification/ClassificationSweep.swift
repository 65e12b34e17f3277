// The classification sweep of PAPER.md §6.4 as data (→ F11 flip rates, the six sparsity overviews).
//
// Scales:
//   smoke    7 runs of a tiny model (width 16, 256 samples, 4 steps, 50 mixing pairs)
//   default  352 runs: seed 0, lr 1e-3, 4 epochs (160 steps) instead of 10, the 11 plotted kinds
//            (no uniform) × the union of F11's grid (1 layer, 1 head, every vocabulary, MLP, LN)
//            and the overview's (vocabulary 41, layers {1,2}, heads {1,2,4}, MLP, LN)
//   paper    the authors' grid: 5 seeds × vocabulary {41,81,161} × layers {1,2} × heads {1,2,4} ×
//            MLP × LN × 12 kinds × lr {1e-2,1e-3,1e-4} = 12 960 runs of 10 epochs

import Plot
import Transformer

extension ClassificationSetup {
    /// The run's parameters, keyed as in conf/classification_config.yaml.
    public var config: JSON {
        .object([
            ("seed", .int(seed)), ("vocab_size", .int(vocabulary)), ("num_layers", .int(layers)), ("num_heads", .int(heads)),
            ("use_mlp", .bool(mlp)), ("use_layernorm", .bool(layerNorm)), ("attention_type", .string(attention.rawValue)),
            ("lr", .number(learningRate)), ("num_train", .int(train)), ("num_eval", .int(evaluation)),
            ("num_epochs", .int(epochs)), ("batch_size", .int(batch)), ("embed_dim", .int(width)),
            ("mixing_pairs", .int(mixingPairs)),
        ])
    }

    init(config: JSON, experiment: String) throws {
        let read = ConfigReader(experiment: experiment, config: config)
        self.init()
        seed = try read.int("seed"); vocabulary = try read.int("vocab_size"); layers = try read.int("num_layers")
        heads = try read.int("num_heads"); mlp = try read.bool("use_mlp"); layerNorm = try read.bool("use_layernorm")
        attention = try read.attention(); learningRate = try read.double("lr")
        train = try read.int("num_train"); evaluation = try read.int("num_eval"); epochs = try read.int("num_epochs")
        batch = try read.int("batch_size"); width = try read.int("embed_dim"); mixingPairs = try read.int("mixing_pairs")
    }

    /// e.g. "softmax_v41_L1_H1_nomlp_noln_lr0.001_s0".
    var runID: String {
        "\(attention.rawValue)_v\(vocabulary)_L\(layers)_H\(heads)_\(mlp ? "mlp" : "nomlp")_\(layerNorm ? "ln" : "noln")_lr\(learningRate)_s\(seed)"
    }

    /// Single-core seconds on the reference machine: training at about 45 GFLOP/s, then metrics
    /// and label mixing (one forward of 2 × pairs sequences per head).
    var estimatedSeconds: Double {
        let flops = model.trainingFLOPs(batch: batch, length: ClassificationData.length)
        let forwardPerSequence = flops / 3 / Double(batch)
        let evaluationSequences = Double(evaluation * (epochs + 1) + layers * heads * 2 * mixingPairs)
        return (Double(steps) * flops + evaluationSequences * forwardPerSequence) / 45e9 + 0.05
    }

    func spec(_ experiment: String, _ scale: Scale) -> RunSpec {
        RunSpec(experiment: experiment, id: runID, scale: scale, config: config, steps: steps, estimatedSeconds: estimatedSeconds)
    }

    static var smoke: ClassificationSetup {
        var s = ClassificationSetup()
        s.width = 16; s.train = 256; s.evaluation = 64; s.epochs = 1; s.batch = 64; s.mixingPairs = 50
        return s
    }
}

extension ClassificationOutcome {
    /// Final-epoch scores and [layer][head] tables of the CLS-row metrics and mixing rates.
    var summary: JSON {
        func metric(_ value: (CLSHeadMetrics) -> Double) -> JSON { table(heads.map { $0.map(value) }) }
        return .object([
            ("acc", .number(accuracy.last ?? .nan)), ("eval_loss", .number(evalLoss.last ?? .nan)),
            ("train_loss", .number(trainLoss.last ?? .nan)), ("diverged_at_step", divergedAtStep.map(JSON.int) ?? .null),
            ("abs_attn_max", metric(\.absoluteMax)), ("abs_attn_sum", metric(\.absoluteSum)), ("rel_attn_max", metric(\.relativeMax)),
            ("top1_dominance_rate_a", metric(\.dominanceA)), ("top1_dominance_rate_b", metric(\.dominanceB)),
            ("avg_top1_dominance_rate", metric(\.averageDominance)),
        ])
    }

    var history: JSON {
        .object([("train_loss", .doubles(trainLoss)), ("eval_loss", .doubles(evalLoss)), ("acc", .doubles(accuracy))])
    }
}

public struct ClassificationSweep: Experiment {
    public let name = "classification"
    public let title = "Token-group classification, 12 attention kinds: flip rates (F11) and sparsity overviews"
    public let section = "Sec. 4.2, §6.4-6.5"

    static let flipSettings: [(vocabulary: Int, mlp: Bool, layerNorm: Bool)] =
        [41, 81, 161].flatMap { v in [false, true].flatMap { mlp in [false, true].map { (v, mlp, $0) } } }
    static let overviewSettings: [(layers: Int, heads: Int)] = [1, 2].flatMap { l in [1, 2, 4].map { (l, $0) } }

    public var figures: [String] {
        Self.flipSettings.map { FlipRateFigure.name(vocabulary: $0.vocabulary, mlp: $0.mlp, layerNorm: $0.layerNorm) }
            + Self.overviewSettings.map { SparsityOverviewFigure.name(layers: $0.layers, heads: $0.heads) }
    }

    public init() {}

    public func effectiveScale(_ scale: Scale) -> Scale { scale }

    public func grid(_ scale: Scale) -> [ClassificationSetup] {
        func setup(_ base: ClassificationSetup, _ v: Int, _ l: Int, _ h: Int, _ mlp: Bool, _ ln: Bool, _ kind: AttentionKind) -> ClassificationSetup {
            var s = base
            s.vocabulary = v; s.layers = l; s.heads = h; s.mlp = mlp; s.layerNorm = ln; s.attention = kind
            return s
        }
        switch scale {
        case .smoke:
            let base = ClassificationSetup.smoke
            return [(false, false), (true, true)].flatMap { mlp, ln in
                [AttentionKind.softmax, .sigmoidUnnorm, .linear].map { setup(base, 41, 1, 1, mlp, ln, $0) }
            } + [setup(base, 41, 2, 2, true, true, .softmax)]
        case .default:
            var base = ClassificationSetup()
            base.epochs = 4
            var all: [ClassificationSetup] = []
            for kind in AttentionKind.paper where kind != .uniform {
                for s in Self.flipSettings { all.append(setup(base, s.vocabulary, 1, 1, s.mlp, s.layerNorm, kind)) }
                for o in Self.overviewSettings where o != (1, 1) {
                    for mlp in [false, true] { for ln in [false, true] { all.append(setup(base, 41, o.layers, o.heads, mlp, ln, kind)) } }
                }
            }
            return all
        case .paper:
            var all: [ClassificationSetup] = []
            for seed in 0..<5 { for v in [41, 81, 161] { for l in [1, 2] { for h in [1, 2, 4] { for mlp in [true, false] {
                for ln in [true, false] { for kind in AttentionKind.paper { for lr in [1e-2, 1e-3, 1e-4] {
                    var s = setup(ClassificationSetup(), v, l, h, mlp, ln, kind)
                    s.seed = seed; s.learningRate = lr
                    all.append(s)
                } } }
            } } } } }
            return all
        }
    }

    public func runs(_ scale: Scale) -> [RunSpec] {
        grid(scale).map { $0.spec(name, scale) }.sorted { $0.id < $1.id }
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let setup = try ClassificationSetup(config: spec.config, experiment: name)
        let outcome = ClassificationTraining.run(setup, threads: threads, step: progress)
        return ExperimentOutput(summary: outcome.summary, history: outcome.history, iterations: setup.steps)
    }

    /// What the figures read from each stored run (uniform dropped, as the notebook does).
    func records(_ runs: [RunRecord]) throws -> [ClassificationRunRecord] {
        try runs.map { run -> ClassificationRunRecord in
            let s = try ClassificationSetup(config: run.config, experiment: name)
            // dominance_rate: the row-wise max over the run's mixing columns (NaN entries skipped).
            let dominance = try readTable(run.summary, "avg_top1_dominance_rate", experiment: name).joined().filter { !$0.isNaN }.max() ?? .nan
            let sparsity = SparsityOverviewFigure.score(try readTable(run.summary, "rel_attn_max", experiment: name))
            return ClassificationRunRecord(attention: s.attention, vocabulary: s.vocabulary, layers: s.layers, heads: s.heads,
                                           mlp: s.mlp, layerNorm: s.layerNorm, dominance: dominance, sparsity: sparsity)
        }.filter { $0.attention != .uniform }
    }

    public func figures(_ runs: [RunRecord]) throws -> [(name: String, figure: Figure)] {
        let records = try records(runs)
        return Self.flipSettings.map { s in
            (FlipRateFigure.name(vocabulary: s.vocabulary, mlp: s.mlp, layerNorm: s.layerNorm),
             FlipRateFigure.make(records, vocabulary: s.vocabulary, mlp: s.mlp, layerNorm: s.layerNorm))
        } + Self.overviewSettings.map { o in
            (SparsityOverviewFigure.name(layers: o.layers, heads: o.heads), SparsityOverviewFigure.make(records, layers: o.layers, heads: o.heads))
        }
    }
}
