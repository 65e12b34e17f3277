// The induction sweep of docs/spec.md §5.4 as data (→ F8 sink proportions, F9 accuracy).
//
// Every run is one InductionSetup; its id names every grid coordinate, its configuration holds
// every parameter (the authors' key names). Weights and epoch shuffles derive from the run's own
// seed only, so any subset of runs can execute anywhere, in any order.
//
// The runs of each scale are sweeps/<scale>/induction.yaml (the paper scale is the authors' grid).

import Records
import Transformer

extension InductionSetup {
    /// The run's parameters, keyed as in conf/induction_config.yaml.
    public var config: JSON {
        .object([
            ("seed", .int(seed)), ("shift_query_token", .bool(shiftQuery)), ("num_heads", .int(heads)),
            ("attention_type", .string(attention.rawValue)), ("positional_type", .string(positional.rawValue)),
            ("lr", .number(learningRate)), ("aux_loss_weight", .number(auxWeight)),
            ("num_train", .int(train)), ("num_eval", .int(evaluation)), ("num_epochs", .int(epochs)),
            ("batch_size", .int(batch)), ("embed_dim", .int(width)), ("num_layers", .int(layers)),
        ])
    }

    init(config: JSON, experiment: String) throws {
        let read = ConfigReader(experiment: experiment, config: config)
        self.init()
        seed = try read.seed(); shiftQuery = try read.bool("shift_query_token"); heads = try read.int("num_heads", in: 1...64)
        attention = try read.attention(); positional = try read.positional()
        learningRate = try read.positive("lr"); auxWeight = try read.nonNegative("aux_loss_weight")
        train = try read.int("num_train", in: 1...10_000_000); evaluation = try read.int("num_eval", in: 1...1_000_000)
        epochs = try read.int("num_epochs", in: 1...10_000); batch = try read.int("batch_size", in: 1...65_536)
        width = try read.int("embed_dim", in: 1...4096); layers = try read.int("num_layers", in: 2...64)
        guard width % heads == 0 else { throw ExperimentError.badConfig(experiment, "embed_dim \(width) is not a multiple of num_heads \(heads)") }
        guard positional != .concat || width % 2 == 0 else { throw ExperimentError.badConfig(experiment, "embed_dim \(width) is odd: concat positions take half of it") }
    }

    /// e.g. "softmax_concat_shift_aux0.2_lr0.001_h4_s0".
    var runID: String {
        "\(attention.rawValue)_\(positional.rawValue)_\(shiftQuery ? "shift" : "noshift")_aux\(auxWeight)_lr\(learningRate)_h\(heads)_s\(seed)"
    }

    /// Seconds on one core of the reference machine (RunSpec): about 130 GFLOP/s in training, plus
    /// data and metrics.
    var estimatedSeconds: Double {
        Double(steps) * model.trainingFLOPs(batch: batch, length: InductionData.length,
                                            positionWeights: InductionTraining.weights(batch: batch, aux: auxWeight)) / 130e9
            + Double(train) * 1e-6
    }

}

extension InductionOutcome {
    /// Final-epoch scores (the wandb summary keeps the last epoch) and the [layer][head] sink tables.
    var summary: JSON {
        .object([
            ("acc_induction", .number(accuracyInduction.last ?? .nan)), ("acc_all", .number(accuracyAll.last ?? .nan)),
            ("eval_loss", .number(evalLoss.last ?? .nan)), ("train_loss", .number(trainLoss.last ?? .nan)),
            ("diverged_at_step", divergedAtStep.map(JSON.int) ?? .null),
            ("abs_attn_bos", .matrix(sinks.map { $0.map(\.absoluteBOS) })),
            ("abs_attn_all", .matrix(sinks.map { $0.map(\.absoluteAll) })),
            ("rel_attn_bos", .matrix(sinks.map { $0.map(\.relativeBOS) })),
            ("rel_attn_bos_global", .matrix(sinks.map { $0.map(\.relativeBOSGlobal) })),
        ])
    }

    var history: JSON {
        .object([("train_loss", .doubles(trainLoss)), ("eval_loss", .doubles(evalLoss)),
                 ("acc_all", .doubles(accuracyAll)), ("acc_induction", .doubles(accuracyInduction))])
    }
}

public struct InductionSweep: Experiment {
    public let name = "induction"
    public let title = "Induction heads, 2-layer transformer, 12 attention kinds: sink heads (F8) and accuracy (F9)"
    public let section = "Sec. 4.1, §5.4-5.5"

    /// The (aux, shift, positional) settings of F8/F9, in the authors' loop order.
    public static let settings: [(aux: Double, shift: Bool, positional: Positional)] =
        [0.0, 0.2].flatMap { aux in [false, true].flatMap { shift in [Positional.add, .concat, .no].map { (aux, shift, $0) } } }

    public var figures: [String] {
        ["sink_proportions", "accuracy"].flatMap { kind in
            Self.settings.map { FigureName.induction(kind, aux: $0.aux, shift: $0.shift, positional: $0.positional) }
        }
    }

    public let program: String? = "exp_induction.py"

    public init() {}

    public func spec(_ config: JSON) throws -> RunSpec {
        let setup = try InductionSetup(config: config, experiment: name)
        return RunSpec(experiment: name, id: setup.runID, config: config, steps: setup.steps, estimatedSeconds: setup.estimatedSeconds)
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let setup = try InductionSetup(config: spec.config, experiment: name)
        let outcome = InductionTraining.run(setup, threads: threads, step: progress)
        return ExperimentOutput(summary: outcome.summary, history: outcome.history, iterations: setup.steps)
    }

    /// What the figures read from each stored run (uniform dropped, as the notebook does).
    public func records(_ runs: [RunRecord]) throws -> [InductionRunRecord] {
        try runs.map { run -> InductionRunRecord in
            let setup = try InductionSetup(config: run.config, experiment: name)
            let sinks = try readTable(run.summary, "rel_attn_bos_global", experiment: name)
            guard sinks.count > 1, let accuracy = run.summary["acc_induction"]?.double else {
                throw ExperimentError.badRecords(name, "run \(run.id) has no layer-1 sink metrics or acc_induction")
            }
            return InductionRunRecord(attention: setup.attention, shiftQuery: setup.shiftQuery, positional: setup.positional,
                                      auxWeight: setup.auxWeight, accuracyInduction: accuracy, relativeBOSGlobal: sinks[1])
        }.filter { $0.attention != .uniform }
    }



    /// The coordinates of planned runs (their metrics NaN): the N of a partial sweep's n of N marks.
    public func plannedRecords(_ specs: [RunSpec]) throws -> [InductionRunRecord] {
        try specs.map { spec -> InductionRunRecord in
            let s = try InductionSetup(config: spec.config, experiment: name)
            return InductionRunRecord(attention: s.attention, shiftQuery: s.shiftQuery, positional: s.positional,
                                      auxWeight: s.auxWeight, accuracyInduction: .nan, relativeBOSGlobal: [])
        }.filter { $0.attention != .uniform }
    }
}
