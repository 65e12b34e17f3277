// F12 (docs/spec.md §6.6): the CLS row's attention to every key of four fixed evaluation samples (the
// first of each label), recorded after every optimizer step of one training run.
// The authors' run sets no seed (torch's default); ours uses the setup's seed and says so.

import Transformer

public struct SampleTrack: Sendable {
    /// The tracked evaluation samples, one per label 0…3: their 11 tokens.
    public var tokens: [[Int32]]
    /// [label][step][layer][head][key]: the CLS row (11 keys, CLS→CLS last).
    public var rows: [[[[[Double]]]]]

    public init(tokens: [[Int32]], rows: [[[[[Double]]]]]) { self.tokens = tokens; self.rows = rows }
}

public enum SampleTracking {
    /// nil when the evaluation set lacks a label (too few evaluation samples to track one of each).
    public static func run(_ setup: ClassificationSetup, threads: Int, step tick: (Int) -> Void = { _ in }) -> (ClassificationOutcome, SampleTrack)? {
        let (_, evaluation) = ClassificationData.make(train: setup.train, evaluation: setup.evaluation,
                                                      vocabulary: setup.vocabulary, seed: UInt64(setup.seed))
        let found = (Int32(0)..<Int32(ClassificationData.labels)).map { evaluation.labels.firstIndex(of: $0) }
        guard found.allSatisfy({ $0 != nil }) else { return nil }
        let tracked = found.map { $0! }
        let (inputs, _) = evaluation.batch(tracked)
        let t = ClassificationData.length
        var rows = Array(repeating: [[[[Double]]]](), count: tracked.count)
        let outcome = ClassificationTraining.run(setup, threads: threads, step: tick, afterStep: { model, _ in
            // The four samples in one batch: each sequence's attention has the bits of a batch of one.
            model.forward(tokens: inputs, batch: tracked.count, length: t)
            let maps = (0..<setup.layers).map { model.attentionMaps(layer: $0) }
            for s in tracked.indices {
                rows[s].append(maps.map { a in (0..<setup.heads).map { a.rowValues(sequence: s, head: $0, query: t - 1) } })
            }
        })
        return (outcome, SampleTrack(tokens: tracked.map { Array(evaluation.tokens[$0 * t ..< ($0 + 1) * t]) }, rows: rows))
    }
}
