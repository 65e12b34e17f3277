// F10 (docs/spec.md §5.6): the three models of induction_save_attn_patterns, trained with seed 0
// (the notebook sets none), and the layer-1 attention maps of evaluation samples 0–4, every head.
//
// As in the notebook: softmax uses positional "add", sigmoid (sigmoid_unnorm) and linear
// (raw_dotproduct_unnorm) keep the yaml default "concat"; 4 heads, shift, lr 1e-3, aux 0.2.
// The runs: sweeps/<scale>/attention-maps.yaml (smoke: the tiny model of the induction smoke
// scale; default: one epoch, 391 steps; paper: the notebook's 10 epochs).

import Records
import Transformer

public struct AttentionMapsExperiment: Experiment {
    public let name = "attention-maps"
    public let title = "Induction attention maps of softmax, sigmoid and linear attention (F10, seed 0)"
    public let section = "Sec. 4.1, §5.6"

    /// The notebook's file labels and models.
    static let models: [(label: String, attention: AttentionKind, positional: Positional)] = [
        ("softmax", .softmax, .add), ("sigmoid", .sigmoidUnnorm, .concat), ("linear", .rawDotProductUnnorm, .concat),
    ]
    public static let samples = 0..<5, layer = 1, heads = 4

    public var figures: [String] {
        Self.models.flatMap { model in
            Self.samples.flatMap { sample in
                (0..<Self.heads).map { FigureName.attentionMap(attention: model.label, sample: sample, layer: Self.layer, head: $0) }
            }
        }
    }

    public init() {}

    public func spec(_ config: JSON) throws -> RunSpec {
        let setup = try InductionSetup(config: config, experiment: name)
        let label = try ConfigReader(experiment: name, config: config).string("label")
        guard !label.isEmpty, label.allSatisfy({ $0.isLetter || $0.isNumber || "-_".contains($0) }) else {
            throw ExperimentError.badConfig(name, "'label' must be letters, digits, - or _ (it names the figure files)")
        }
        return RunSpec(experiment: name, id: label, config: config, steps: setup.steps, estimatedSeconds: setup.estimatedSeconds)
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let setup = try InductionSetup(config: spec.config, experiment: name)
        var maps: [[[[Double]]]] = []
        let outcome = InductionTraining.run(setup, threads: threads, step: progress, trained: { model in
            let (_, evaluation) = InductionData.make(train: setup.train, evaluation: setup.evaluation,
                                                     seed: UInt64(setup.seed), shiftQuery: setup.shiftQuery)
            let t = InductionData.length, samples = Array(Self.samples)
            // One batch: every sequence's attention has the bits of a batch of one.
            model.forward(tokens: evaluation.batch(samples).inputs, batch: samples.count, length: t)
            let a = model.attentionMaps(layer: Self.layer)
            maps = samples.indices.map { s in
                (0..<setup.heads).map { h in
                    (0..<t).map { i in a.rowValues(sequence: s, head: h, query: i) }
                }
            }
        })
        let history = JSON.object([("maps", .array(maps.map { .array($0.map { .array($0.map(JSON.doubles)) }) }))])
        return ExperimentOutput(summary: outcome.summary, history: history, iterations: setup.steps)
    }


}
