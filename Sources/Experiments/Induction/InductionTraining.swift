// One induction run (docs/spec.md §5.2–5.3): train with AdamW, evaluate every epoch, then measure how
// much every head attends to BOS. The architecture is TransformerLM of §4.1.
//
// Loss per batch of B: aux·CE_mean(positions 0…10) + CE_mean(position 11). Evaluation: the plain
// mean of the per-batch losses; acc_all over all 12 positions, acc_induction at position 11.
// Differences from the authors' runs, by necessity: weights are drawn from MT19937 (PyTorch's
// distributions, not its bits) and the epoch shuffles from a CPython `random` stream
// (`EpochTraining`).

import Foundation
import SIMDCore
import Transformer

public struct InductionSetup: Sendable, Hashable {
    public var seed = 0
    public var shiftQuery = true
    public var heads = 4
    public var attention = AttentionKind.softmax
    public var positional = Positional.concat
    public var learningRate = 1e-3
    public var auxWeight = 0.2
    // The base configuration (conf/induction_config.yaml); scales shrink these.
    public var train = 100_000, evaluation = 1_000, epochs = 10, batch = 256
    public var width = 128, layers = 2

    public init() {}

    public var model: ModelConfig {
        let outputs = InductionData.vocabulary * (shiftQuery ? 2 : 1)
        return ModelConfig(vocabulary: outputs, outputs: outputs, width: width, layers: layers, heads: heads,
                           attention: attention, positional: positional)
    }

    public var steps: Int { epochs * Parallel.chunkCount(train, batch) }
}

/// Mean attention of one (layer, head) over the evaluation set, rows 1…9 of every map.
public struct SinkMetrics: Sendable, Hashable {
    public var absoluteBOS = 0.0, absoluteAll = 0.0, relativeBOS = 0.0, relativeBOSGlobal = 0.0

    public init(absoluteBOS: Double = 0, absoluteAll: Double = 0, relativeBOS: Double = 0, relativeBOSGlobal: Double = 0) {
        self.absoluteBOS = absoluteBOS; self.absoluteAll = absoluteAll
        self.relativeBOS = relativeBOS; self.relativeBOSGlobal = relativeBOSGlobal
    }

    /// The docs/spec.md §5.3 metrics of one map (sequence `s`, head `h`), over its rows R = 1…9.
    public init(_ maps: AttentionMaps, sequence s: Int, head h: Int) {
        var bos = 0.0, all = 0.0, relative = 0.0
        for r in 1...9 {
            let row = maps.row(sequence: s, head: h, query: r)
            let first = Double(row[0])
            var total = 0.0
            for j in 0..<maps.length { total += Double(row[j]) }
            bos += first; all += total; relative += first / (total + 1e-9)
        }
        self.init(absoluteBOS: bos / 9, absoluteAll: all / 9, relativeBOS: relative / 9, relativeBOSGlobal: bos / (all + 1e-9))
    }
}

public struct InductionOutcome: Sendable {
    public var trainLoss: [Double] = [], evalLoss: [Double] = [], accuracyAll: [Double] = [], accuracyInduction: [Double] = []
    /// The step (1-based) whose loss was NaN; training stops there and the run is scored as the
    /// authors' pipeline would score its NaN parameters: NaN losses and metrics, accuracy 0.
    public var divergedAtStep: Int?
    /// [layer][head].
    public var sinks: [[SinkMetrics]] = []
}

public enum InductionTraining {
    public static func weights(batch: Int, aux: Double) -> [Float] {
        (0..<InductionData.length).map { $0 < InductionData.length - 1 ? Float(aux) / Float(batch * 11) : 1 / Float(batch) }
    }

    /// `trained` receives the model after training (for attention maps).
    public static func run(_ setup: InductionSetup, threads: Int, step tick: (Int) -> Void = { _ in },
                           trained: (TransformerModel) -> Void = { _ in }) -> InductionOutcome {
        let (train, evaluation) = InductionData.make(train: setup.train, evaluation: setup.evaluation,
                                                     seed: UInt64(setup.seed), shiftQuery: setup.shiftQuery)
        let model = TransformerModel(setup.model, seed: UInt32(setup.seed), learningRate: setup.learningRate, threads: threads)
        var outcome = InductionOutcome()
        let (diverged, step) = EpochTraining.run(
            model, samples: train.count, batch: setup.batch, epochs: setup.epochs, seed: setup.seed, length: InductionData.length,
            makeBatch: { train.batch($0) }, weights: { weights(batch: $0, aux: setup.auxWeight) }, tick: tick
        ) { trainLoss in
            outcome.trainLoss.append(trainLoss)
            let scores = evaluate(model, evaluation, setup)
            outcome.evalLoss.append(scores.loss)
            outcome.accuracyAll.append(scores.all)
            outcome.accuracyInduction.append(scores.induction)
        }
        outcome.divergedAtStep = diverged
        if outcome.divergedAtStep != nil {
            tick(setup.steps - step)
            outcome.trainLoss.append(.nan); outcome.evalLoss.append(.nan)
            outcome.accuracyAll.append(0); outcome.accuracyInduction.append(0)
            let nan = SinkMetrics(absoluteBOS: .nan, absoluteAll: .nan, relativeBOS: .nan, relativeBOSGlobal: .nan)
            outcome.sinks = Array(repeating: Array(repeating: nan, count: setup.heads), count: setup.layers)
        } else {
            outcome.sinks = sinkMetrics(model, evaluation, setup)
        }
        trained(model)
        return outcome
    }

    /// Loss (mean over batches of 256), accuracy at all positions and at the query position.
    static func evaluate(_ model: TransformerModel, _ data: InductionData, _ setup: InductionSetup)
        -> (loss: Double, all: Double, induction: Double) {
        var losses = 0.0, batches = 0, correct = 0, correctInduction = 0
        let t = InductionData.length
        for start in stride(from: 0, to: data.count, by: setup.batch) {
            let indices = start ..< min(data.count, start + setup.batch)
            let (inputs, targets) = data.batch(indices)
            model.forward(tokens: inputs, batch: indices.count, length: t)
            losses += model.loss(targets: targets, positionWeights: weights(batch: indices.count, aux: setup.auxWeight))
            batches += 1
            let predicted = model.predictions()
            for i in predicted.indices where predicted[i] == targets[i] {
                correct += 1
                if i % t == t - 1 { correctInduction += 1 }
            }
        }
        return (losses / Double(batches), Double(correct) / Double(data.count * t), Double(correctInduction) / Double(data.count))
    }

    /// §5.3 `get_metrics_for_dataset`: per sample, rows r = 1…9 of A (12×12) of every layer and
    /// head; means over the samples. Forwards run in batches: every sequence's attention is
    /// computed independently of the others, with the same bits as in a batch of one.
    static func sinkMetrics(_ model: TransformerModel, _ data: InductionData, _ setup: InductionSetup) -> [[SinkMetrics]] {
        let t = InductionData.length
        var sums = Array(repeating: Array(repeating: SinkMetrics(), count: setup.heads), count: setup.layers)
        model.visitAttention(count: data.count, batch: setup.batch, length: t, layers: setup.layers,
                             inputs: { data.batch($0).inputs }) { samples, layer, maps in
            for head in 0..<setup.heads {
                for sample in 0..<samples.count {
                    let m = SinkMetrics(maps, sequence: sample, head: head)
                    sums[layer][head].absoluteBOS += m.absoluteBOS
                    sums[layer][head].absoluteAll += m.absoluteAll
                    sums[layer][head].relativeBOS += m.relativeBOS
                    sums[layer][head].relativeBOSGlobal += m.relativeBOSGlobal
                }
            }
        }
        let n = Double(data.count)
        return sums.map { layer in
            layer.map { SinkMetrics(absoluteBOS: $0.absoluteBOS / n, absoluteAll: $0.absoluteAll / n,
                                    relativeBOS: $0.relativeBOS / n, relativeBOSGlobal: $0.relativeBOSGlobal / n) }
        }
    }
}
