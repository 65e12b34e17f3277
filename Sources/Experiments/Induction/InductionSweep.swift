// The induction sweep of PAPER.md §5.4 as data (→ F8 sink proportions, F9 accuracy).
//
// Every run is one InductionSetup; its id names every grid coordinate, its configuration holds
// every parameter (the authors' key names). Weights and epoch shuffles derive from the run's own
// seed only, so any subset of runs can execute anywhere, in any order.
//
// Scales:
//   smoke    6 runs of a tiny model (width 16, 256 sequences, 4 steps): exercises the pipeline
//   default  132 runs: seed 0, 4 heads, lr 1e-3, one epoch (391 steps) instead of 10, every
//            (aux, shift, positional) setting × the 11 plotted kinds (no uniform)
//   paper    the authors' grid: 5 seeds × shift × heads {1,2,4,8} × 12 kinds × 3 positionals ×
//            lr {1e-2,1e-3,1e-4} × aux {0, 0.2} = 8640 runs of 10 epochs

import Plot
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
        seed = try read.int("seed"); shiftQuery = try read.bool("shift_query_token"); heads = try read.int("num_heads")
        attention = try read.attention(); positional = try read.positional()
        learningRate = try read.double("lr"); auxWeight = try read.double("aux_loss_weight")
        train = try read.int("num_train"); evaluation = try read.int("num_eval"); epochs = try read.int("num_epochs")
        batch = try read.int("batch_size"); width = try read.int("embed_dim"); layers = try read.int("num_layers")
    }

    /// e.g. "softmax_concat_shift_aux0.2_lr0.001_h4_s0".
    var runID: String {
        "\(attention.rawValue)_\(positional.rawValue)_\(shiftQuery ? "shift" : "noshift")_aux\(auxWeight)_lr\(learningRate)_h\(heads)_s\(seed)"
    }

    /// Single-core seconds on the reference machine: about 56 GFLOP/s in training, plus data and metrics.
    var estimatedSeconds: Double {
        Double(steps) * model.trainingFLOPs(batch: batch, length: InductionData.length) / 56e9 + Double(train) * 2e-6
    }

    func spec(_ experiment: String, _ scale: Scale) -> RunSpec {
        RunSpec(experiment: experiment, id: runID, scale: scale, config: config, steps: steps, estimatedSeconds: estimatedSeconds)
    }

    /// The tiny model of the smoke scale.
    static var smoke: InductionSetup {
        var s = InductionSetup()
        s.width = 16; s.train = 256; s.evaluation = 64; s.epochs = 1; s.batch = 64
        return s
    }
}

extension InductionOutcome {
    /// Final-epoch scores (the wandb summary keeps the last epoch) and the [layer][head] sink tables.
    var summary: JSON {
        .object([
            ("acc_induction", .number(accuracyInduction.last ?? .nan)), ("acc_all", .number(accuracyAll.last ?? .nan)),
            ("eval_loss", .number(evalLoss.last ?? .nan)), ("train_loss", .number(trainLoss.last ?? .nan)),
            ("diverged_at_step", divergedAtStep.map(JSON.int) ?? .null),
            ("abs_attn_bos", table(sinks.map { $0.map(\.absoluteBOS) })),
            ("abs_attn_all", table(sinks.map { $0.map(\.absoluteAll) })),
            ("rel_attn_bos", table(sinks.map { $0.map(\.relativeBOS) })),
            ("rel_attn_bos_global", table(sinks.map { $0.map(\.relativeBOSGlobal) })),
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
    static let settings: [(aux: Double, shift: Bool, positional: Positional)] =
        [0.0, 0.2].flatMap { aux in [false, true].flatMap { shift in [Positional.add, .concat, .no].map { (aux, shift, $0) } } }

    public var figures: [String] {
        ["sink_proportions", "accuracy"].flatMap { kind in
            Self.settings.map { InductionSweepFigures.name(kind, aux: $0.aux, shift: $0.shift, positional: $0.positional) }
        }
    }

    public init() {}

    public func effectiveScale(_ scale: Scale) -> Scale { scale }

    public func grid(_ scale: Scale) -> [InductionSetup] {
        let plotted = AttentionKind.paper.filter { $0 != .uniform }
        switch scale {
        case .smoke:
            return [(0.2, true, Positional.concat), (0.0, false, .add)].flatMap { aux, shift, positional in
                [AttentionKind.softmax, .sigmoidUnnorm, .linear].map { kind in
                    var s = InductionSetup.smoke
                    s.auxWeight = aux; s.shiftQuery = shift; s.positional = positional; s.attention = kind; s.heads = 2
                    return s
                }
            }
        case .default:
            return Self.settings.flatMap { setting in
                plotted.map { kind in
                    var s = InductionSetup()
                    s.auxWeight = setting.aux; s.shiftQuery = setting.shift; s.positional = setting.positional
                    s.attention = kind; s.epochs = 1
                    return s
                }
            }
        case .paper:
            var all: [InductionSetup] = []
            for seed in 0..<5 { for shift in [true, false] { for heads in [1, 2, 4, 8] { for kind in AttentionKind.paper {
                for positional in [Positional.concat, .add, .no] { for lr in [1e-2, 1e-3, 1e-4] { for aux in [0.0, 0.2] {
                    var s = InductionSetup()
                    s.seed = seed; s.shiftQuery = shift; s.heads = heads; s.attention = kind
                    s.positional = positional; s.learningRate = lr; s.auxWeight = aux
                    all.append(s)
                } } }
            } } } }
            return all
        }
    }

    public func runs(_ scale: Scale) -> [RunSpec] {
        grid(scale).map { $0.spec(name, scale) }.sorted { $0.id < $1.id }
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let setup = try InductionSetup(config: spec.config, experiment: name)
        let outcome = InductionTraining.run(setup, threads: threads, step: progress)
        return ExperimentOutput(summary: outcome.summary, history: outcome.history, iterations: setup.steps)
    }

    /// What the figures read from each stored run (uniform dropped, as the notebook does).
    func records(_ runs: [RunRecord]) throws -> [InductionRunRecord] {
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

    public func figures(_ runs: [RunRecord]) throws -> [(name: String, figure: Figure)] {
        let records = try records(runs)
        return Self.settings.flatMap { s in
            [(InductionSweepFigures.name("sink_proportions", aux: s.aux, shift: s.shift, positional: s.positional),
              InductionSweepFigures.sinkProportions(records, aux: s.aux, shift: s.shift, positional: s.positional)),
             (InductionSweepFigures.name("accuracy", aux: s.aux, shift: s.shift, positional: s.positional),
              InductionSweepFigures.accuracy(records, aux: s.aux, shift: s.shift, positional: s.positional))]
        }
    }
}
