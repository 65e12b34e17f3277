// The training loop shared by the induction and classification runs (exp_induction.py,
// exp_classification.py): every epoch a fresh shuffle of the training set, one AdamW step per
// batch in that order, then the caller's evaluation. The shuffles come from a CPython `random`
// stream seeded with seed + 2⁴⁰ (torch's RandomSampler stream is not reproducible outside torch).

import Randomness
import Transformer

enum EpochTraining {
    /// Trains until `epochs` are done or a loss is NaN; returns the 1-based step of that NaN loss
    /// and the number of steps taken. `afterStep(model, step)` runs after every step (0, 1, …);
    /// `afterEpoch(meanTrainLoss)` after every completed epoch.
    static func run(_ model: TransformerModel, samples: Int, batch: Int, epochs: Int, seed: Int, length: Int,
                    makeBatch: (ArraySlice<Int>) -> (inputs: [Int32], targets: [Int32]),
                    weights: (_ batch: Int) -> [Float], tick: (Int) -> Void,
                    afterStep: (TransformerModel, Int) -> Void = { _, _ in },
                    afterEpoch: (Double) -> Void) -> (divergedAtStep: Int?, steps: Int) {
        var shuffler = PythonRandom(seed: UInt64(seed) + (1 << 40))
        var order = Array(0..<samples)
        var step = 0
        for _ in 0..<epochs {
            shuffler.shuffle(&order)
            var total = 0.0, batches = 0
            for start in stride(from: 0, to: order.count, by: batch) {
                let indices = order[start ..< min(order.count, start + batch)]
                let (inputs, targets) = makeBatch(indices)
                let loss = model.trainStep(tokens: inputs, targets: targets, batch: indices.count,
                                           length: length, positionWeights: weights(indices.count))
                afterStep(model, step)
                step += 1
                tick(1)
                if loss.isNaN { return (step, step) }
                total += loss
                batches += 1
            }
            afterEpoch(total / Double(batches))
        }
        return (nil, step)
    }
}

extension TransformerModel {
    /// Forwards sequences `0 ..< count` in batches of `batch` and hands each batch's attention maps,
    /// layer by layer, to `visit` (sequence s of the maps is sample `samples.lowerBound + s`). Every
    /// sequence's attention is computed independently of the others: the bits of a batch of one.
    func visitAttention(count: Int, batch: Int, length: Int, layers: Int, inputs: (Range<Int>) -> [Int32],
                        _ visit: (_ samples: Range<Int>, _ layer: Int, _ maps: AttentionMaps) -> Void) {
        for start in stride(from: 0, to: count, by: batch) {
            let samples = start ..< min(count, start + batch)
            forward(tokens: inputs(samples), batch: samples.count, length: length)
            for layer in 0..<layers { visit(samples, layer, attentionMaps(layer: layer)) }
        }
    }
}
