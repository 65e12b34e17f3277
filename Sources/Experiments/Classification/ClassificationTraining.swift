// One classification run (docs/spec.md §6.2–6.3): CE at the CLS (last) position, AdamW, evaluation
// every epoch; then the CLS-row attention metrics and the label-mixing test of every layer and head.
//
// Weights come from MT19937 (PyTorch's distributions), epoch shuffles from a CPython `random`
// stream seeded with seed + 2⁴⁰; the label-mixing draws use `random.seed(seed)` as the authors do.

import Randomness
import SIMDCore
import Transformer

public struct ClassificationSetup: Sendable, Hashable {
    public var seed = 0
    public var vocabulary = 41
    public var layers = 2, heads = 4
    public var mlp = true, layerNorm = true
    public var attention = AttentionKind.softmax
    public var learningRate = 1e-3
    public var train = 10_000, evaluation = 1_000, epochs = 10, batch = 256
    public var width = 128
    public var mixingPairs = 500

    public init() {}

    public var model: ModelConfig {
        ModelConfig(vocabulary: vocabulary, outputs: ClassificationData.labels, width: width, layers: layers, heads: heads,
                    mlp: mlp, layerNorm: layerNorm, causal: false, attention: attention, positional: .no)
    }

    public var steps: Int { epochs * Parallel.chunkCount(train, batch) }
}

/// CLS-row metrics and label-mixing rates of one (layer, head), means over the evaluation set.
public struct CLSHeadMetrics: Sendable, Hashable {
    public var absoluteMax = 0.0, absoluteSum = 0.0, relativeMax = 0.0
    public var dominanceA = 0.0, dominanceB = 0.0
    public var averageDominance: Double { (dominanceA + dominanceB) / 2 }

    public init() {}

    /// abs_attn_max, abs_attn_sum and rel_attn_max (max/sum, no epsilon) of docs/spec.md §6.3:
    /// means over the CLS rows (one per evaluation sample, CLS→CLS included).
    public init(clsRows rows: [[Double]]) {
        let n = Double(rows.count)
        for c in rows {
            let top = c.max()!, total = c.reduce(0, +)
            absoluteMax += top / n; absoluteSum += total / n; relativeMax += top / total / n
        }
    }
}

public struct ClassificationOutcome: Sendable {
    public var trainLoss: [Double] = [], evalLoss: [Double] = [], accuracy: [Double] = []
    public var divergedAtStep: Int?
    /// [layer][head].
    public var heads: [[CLSHeadMetrics]] = []
}

public enum ClassificationTraining {
    static func weights(batch: Int) -> [Float] {
        (0..<ClassificationData.length).map { $0 == ClassificationData.length - 1 ? 1 / Float(batch) : 0 }
    }

    /// `afterStep(model, step)` runs after every optimizer step (step 0, 1, …), e.g. to track samples.
    public static func run(_ setup: ClassificationSetup, threads: Int, step tick: (Int) -> Void = { _ in },
                           afterStep: (TransformerModel, Int) -> Void = { _, _ in }) -> ClassificationOutcome {
        let (train, evaluation) = ClassificationData.make(train: setup.train, evaluation: setup.evaluation,
                                                          vocabulary: setup.vocabulary, seed: UInt64(setup.seed))
        let model = TransformerModel(setup.model, seed: UInt32(setup.seed), learningRate: setup.learningRate, threads: threads)
        var outcome = ClassificationOutcome()
        let (diverged, step) = EpochTraining.run(
            model, samples: train.count, batch: setup.batch, epochs: setup.epochs, seed: setup.seed, length: ClassificationData.length,
            makeBatch: { train.batch($0) }, weights: { weights(batch: $0) }, tick: tick, afterStep: afterStep
        ) { trainLoss in
            outcome.trainLoss.append(trainLoss)
            let (loss, accuracy) = evaluate(model, evaluation, setup)
            outcome.evalLoss.append(loss)
            outcome.accuracy.append(accuracy)
        }
        outcome.divergedAtStep = diverged
        if outcome.divergedAtStep != nil {
            tick(setup.steps - step)
            outcome.trainLoss.append(.nan); outcome.evalLoss.append(.nan); outcome.accuracy.append(0)
        }
        outcome.heads = headMetrics(model, evaluation, setup)
        return outcome
    }

    /// Sample-weighted mean loss and accuracy at the CLS position.
    static func evaluate(_ model: TransformerModel, _ data: ClassificationData, _ setup: ClassificationSetup) -> (Double, Double) {
        var loss = 0.0, correct = 0
        let t = ClassificationData.length
        for start in stride(from: 0, to: data.count, by: setup.batch) {
            let indices = start ..< min(data.count, start + setup.batch)
            let (inputs, targets) = data.batch(indices)
            model.forward(tokens: inputs, batch: indices.count, length: t)
            loss += model.loss(targets: targets, positionWeights: weights(batch: indices.count)) * Double(indices.count)
            let predicted = model.predictions()
            for (k, i) in indices.enumerated() where predicted[k * t + t - 1] == data.labels[i] { correct += 1 }
        }
        return (loss / Double(data.count), Double(correct) / Double(data.count))
    }

    /// CLS rows of every map (11 entries, CLS→CLS included) for every evaluation sample:
    /// [layer][head][sample][key]. Batched forwards give the same bits as single samples.
    static func clsRows(_ model: TransformerModel, _ data: ClassificationData, _ setup: ClassificationSetup) -> [[[[Double]]]] {
        let t = ClassificationData.length
        var rows = Array(repeating: Array(repeating: [[Double]](), count: setup.heads), count: setup.layers)
        model.visitAttention(count: data.count, batch: setup.batch, length: t, layers: setup.layers,
                             inputs: { data.batch($0).inputs }) { samples, layer, maps in
            for head in 0..<setup.heads {
                for s in 0..<samples.count { rows[layer][head].append(maps.rowValues(sequence: s, head: head, query: t - 1)) }
            }
        }
        return rows
    }

    /// abs_attn_max, abs_attn_sum, rel_attn_max (max/sum, no epsilon) and the label-mixing rates
    /// for every (layer, head), layers outer, on one `random.seed(seed)` stream.
    static func headMetrics(_ model: TransformerModel, _ data: ClassificationData, _ setup: ClassificationSetup) -> [[CLSHeadMetrics]] {
        let rows = clsRows(model, data, setup)
        var random = PythonRandom(seed: UInt64(setup.seed))
        return (0..<setup.layers).map { layer in
            (0..<setup.heads).map { head in
                var m = CLSHeadMetrics(clsRows: rows[layer][head])
                let rankings = rows[layer][head].map { LabelMixing.ranking(Array($0.prefix(ClassificationData.contentLength))) }
                let pairs = LabelMixing.pairs(data, rankings: rankings, count: setup.mixingPairs, random: &random)
                let mixed = ClassificationData(tokens: pairs.flatMap { $0.mixedA + $0.mixedB },
                                               labels: pairs.flatMap { [$0.labelA, $0.labelB] })
                var hitsA = 0, hitsB = 0
                for start in stride(from: 0, to: mixed.count, by: setup.batch) {
                    let samples = start ..< min(mixed.count, start + setup.batch)
                    model.forward(tokens: mixed.batch(samples).inputs, batch: samples.count, length: ClassificationData.length)
                    let predicted = model.predictions()
                    for (k, i) in samples.enumerated() where predicted[k * ClassificationData.length + ClassificationData.length - 1] == mixed.labels[i] {
                        if i % 2 == 0 { hitsA += 1 } else { hitsB += 1 }
                    }
                }
                m.dominanceA = Double(hitsA) / Double(setup.mixingPairs)
                m.dominanceB = Double(hitsB) / Double(setup.mixingPairs)
                return m
            }
        }
    }
}
