// The training steps `paper-repro bench-transformer` times: the base configurations of the
// transformer experiments, built from their own setups and loss weights, so that the benchmark
// times exactly the step the runs train.

import Transformer

extension BenchmarkCase {
    /// Induction base (docs/spec.md §5.2): shift on (100 outputs), concat positions, causal, softmax;
    /// loss aux·CE(first 11 positions) + CE(position 11).
    public static var induction: BenchmarkCase {
        let s = InductionSetup()
        return BenchmarkCase(name: "induction", config: s.model, batch: s.batch, length: InductionData.length,
                             positionWeights: InductionTraining.weights(batch: s.batch, aux: s.auxWeight))
    }

    /// Classification base (§6.2): vocabulary 41, 4 labels, no positions, bidirectional; CE at CLS.
    public static var classification: BenchmarkCase {
        let s = ClassificationSetup()
        return BenchmarkCase(name: "classification", config: s.model, batch: s.batch, length: ClassificationData.length,
                             positionWeights: ClassificationTraining.weights(batch: s.batch))
    }

    /// The Fig. 7 substitute's language model on the Shakespeare characters (84): 4 layers × 8 heads,
    /// context 128, batch 32; CE at every position.
    public static var languageModel: BenchmarkCase {
        let s = LanguageModelSetup()
        return BenchmarkCase(name: "language-model", config: s.model(vocabulary: 84), batch: s.batch, length: s.context,
                             positionWeights: s.positionWeights)
    }
}
