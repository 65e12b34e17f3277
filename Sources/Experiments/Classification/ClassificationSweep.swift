// The classification sweep of docs/spec.md §6.4 as data (→ F11 flip rates, the six sparsity overviews).
//
// The runs of each scale are sweeps/<scale>/classification.yaml (the paper scale is the authors' grid).

import Records
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
        seed = try read.seed(); vocabulary = try read.int("vocab_size", in: 3...100_000); layers = try read.int("num_layers", in: 1...64)
        heads = try read.int("num_heads", in: 1...64); mlp = try read.bool("use_mlp"); layerNorm = try read.bool("use_layernorm")
        attention = try read.attention(); learningRate = try read.positive("lr")
        train = try read.int("num_train", in: 1...10_000_000); evaluation = try read.int("num_eval", in: 1...1_000_000)
        epochs = try read.int("num_epochs", in: 1...10_000); batch = try read.int("batch_size", in: 1...65_536)
        width = try read.int("embed_dim", in: 1...4096); mixingPairs = try read.int("mixing_pairs", in: 1...1_000_000)
        guard width % heads == 0 else { throw ExperimentError.badConfig(experiment, "embed_dim \(width) is not a multiple of num_heads \(heads)") }
        let groups = ClassificationData.labels, content = ClassificationData.contentLength
        guard (vocabulary - 1) % groups == 0, (vocabulary - 1) / groups >= content else {
            throw ExperimentError.badConfig(experiment, "vocab_size \(vocabulary) is not 1 + \(groups)·k with k ≥ \(content) (41, 81, 161 in the paper)")
        }
    }

    /// e.g. "softmax_v41_L1_H1_nomlp_noln_lr0.001_s0".
    var runID: String {
        "\(attention.rawValue)_v\(vocabulary)_L\(layers)_H\(heads)_\(mlp ? "mlp" : "nomlp")_\(layerNorm ? "ln" : "noln")_lr\(learningRate)_s\(seed)"
    }

    /// Seconds on one core of the reference machine (RunSpec): training at about 150 GFLOP/s, then metrics
    /// and label mixing (one forward of 2 × pairs sequences per head).
    var estimatedSeconds: Double {
        let flops = model.trainingFLOPs(batch: batch, length: ClassificationData.length,
                                        positionWeights: ClassificationTraining.weights(batch: batch))
        let forwardPerSequence = flops / 3 / Double(batch)
        let evaluationSequences = Double(evaluation * (epochs + 1) + layers * heads * 2 * mixingPairs)
        return (Double(steps) * flops + evaluationSequences * forwardPerSequence) / 150e9 + 0.05
    }

}

extension ClassificationOutcome {
    /// Final-epoch scores and [layer][head] tables of the CLS-row metrics and mixing rates.
    var summary: JSON {
        func metric(_ value: (CLSHeadMetrics) -> Double) -> JSON { .matrix(heads.map { $0.map(value) }) }
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

    public static let flipSettings: [(vocabulary: Int, mlp: Bool, layerNorm: Bool)] =
        [41, 81, 161].flatMap { v in [false, true].flatMap { mlp in [false, true].map { (v, mlp, $0) } } }
    public static let overviewSettings: [(layers: Int, heads: Int)] = [1, 2].flatMap { l in [1, 2, 4].map { (l, $0) } }

    public var figures: [String] {
        Self.flipSettings.map { FigureName.flipRate(vocabulary: $0.vocabulary, mlp: $0.mlp, layerNorm: $0.layerNorm) }
            + Self.overviewSettings.map { FigureName.sparsityOverview(layers: $0.layers, heads: $0.heads) }
    }

    public let program: String? = "exp_classification.py"

    public init() {}

    public func spec(_ config: JSON) throws -> RunSpec {
        let setup = try ClassificationSetup(config: config, experiment: name)
        return RunSpec(experiment: name, id: setup.runID, config: config, steps: setup.steps, estimatedSeconds: setup.estimatedSeconds)
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let setup = try ClassificationSetup(config: spec.config, experiment: name)
        let outcome = ClassificationTraining.run(setup, threads: threads, step: progress)
        return ExperimentOutput(summary: outcome.summary, history: outcome.history, iterations: setup.steps)
    }

    /// What the figures read from each stored run (uniform dropped, as the notebook does).
    public func records(_ runs: [RunRecord]) throws -> [ClassificationRunRecord] {
        try runs.map { run -> ClassificationRunRecord in
            let s = try ClassificationSetup(config: run.config, experiment: name)
            // dominance_rate: the row-wise max over the run's mixing columns (NaN entries skipped).
            let dominance = try readTable(run.summary, "avg_top1_dominance_rate", experiment: name).joined().filter { !$0.isNaN }.max() ?? .nan
            let sparsity = ClassificationRunRecord.sparsityScore(try readTable(run.summary, "rel_attn_max", experiment: name))
            return ClassificationRunRecord(attention: s.attention, vocabulary: s.vocabulary, layers: s.layers, heads: s.heads,
                                           mlp: s.mlp, layerNorm: s.layerNorm, dominance: dominance, sparsity: sparsity)
        }.filter { $0.attention != .uniform }
    }



    /// The coordinates of planned runs (their metrics NaN): the N of a partial sweep's n of N marks.
    public func plannedRecords(_ specs: [RunSpec]) throws -> [ClassificationRunRecord] {
        try specs.map { spec -> ClassificationRunRecord in
            let s = try ClassificationSetup(config: spec.config, experiment: name)
            return ClassificationRunRecord(attention: s.attention, vocabulary: s.vocabulary, layers: s.layers, heads: s.heads,
                                           mlp: s.mlp, layerNorm: s.layerNorm, dominance: .nan)
        }.filter { $0.attention != .uniform }
    }
}
