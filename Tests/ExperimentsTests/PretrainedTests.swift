// The pretrained-model reader (issue 9) against independent references committed as data
// (Tests/Reference/minilm_reference.py: NumPy float32 BERT, Hugging Face `tokenizers`).
// The real all-MiniLM-L6-v2 check runs when MINILM_DIR points at the unpacked model.

import Experiments
import Pretrained
import Foundation
import Testing
import TestSupport

struct PretrainedTests {
    @Test func safeTensorsRoundTripAndErrors() throws {
        let bytes = SafeTensors.encode([("b", [2, 3], [1, 2, 3, 4, 5, 6]), ("a", [1], [-0.5])])
        let file = try SafeTensors(bytes: bytes)
        #expect(try file.floats("b", shape: [2, 3]) == [1, 2, 3, 4, 5, 6])
        #expect(try file.floats("a", shape: [1]) == [-0.5])
        #expect(throws: SafeTensorsError.self) { try file.floats("b", shape: [3, 2]) }
        #expect(throws: SafeTensorsError.self) { try file.floats("c", shape: [1]) }
        #expect(throws: SafeTensorsError.self) { try SafeTensors(bytes: Array(bytes.dropLast(4))) }   // truncated
        #expect(throws: SafeTensorsError.self) { try SafeTensors(bytes: [255, 255, 0, 0, 0, 0, 0, 0, 1]) }
    }

    @Test func tinyBertMatchesNumPy() throws {
        let reference = try Fixtures.json("bert_tiny_reference.json")
        let tensors = try SafeTensors(path: Fixtures.directory.appendingPathComponent("bert_tiny.safetensors").path)
        var config = BertConfig()
        let c = try #require(reference["config"])
        config.layers = c["layers"]!.int!; config.heads = c["heads"]!.int!; config.width = c["width"]!.int!
        config.intermediate = c["intermediate"]!.int!; config.vocabulary = c["vocabulary"]!.int!; config.positions = c["positions"]!.int!
        let encoder = try BertEncoder(tensors, config: config)
        for case_ in try #require(reference["cases"]?.array) {
            let ids = case_["ids"]!.array!.map { Int32($0.int!) }
            let (hidden, attention) = try encoder.forward(ids, threads: 2)
            let expected = case_["hidden"]!.array!.map { Float($0.double!) }
            #expect(maxDifference(hidden, expected) < 1e-5)
            let maps = case_["attention"]!.array!
            for (l, layer) in maps.enumerated() {
                for (h, head) in layer.array!.enumerated() {
                    #expect(maxDifference(attention[l][h], head.array!.map { Float($0.double!) }) < 1e-6)
                }
            }
        }
        #expect(throws: SafeTensorsError.self) { try encoder.forward([0, 30]) }   // id outside the vocabulary
    }

    @Test func wordPieceMatchesHuggingFaceTokenizers() throws {
        let tokenizer = try WordPiece(tokenizerJSON: Fixtures.directory.appendingPathComponent("wordpiece_small.json").path)
        for case_ in try #require(try Fixtures.json("wordpiece_reference.json").array) {
            let text = case_["text"]!.string!
            let expected = case_["ids"]!.array!.map { Int32($0.int!) }
            #expect(tokenizer.encode(text) == expected, "\(text): \(tokenizer.tokens(tokenizer.encode(text)))")
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["MINILM_DIR"] != nil, "set MINILM_DIR to the unpacked all-MiniLM-L6-v2"))
    func miniLMMatchesNumPy() throws {
        let dir = ProcessInfo.processInfo.environment["MINILM_DIR"]!
        let tokenizer = try WordPiece(tokenizerJSON: dir + "/tokenizer.json")
        let encoder = try BertEncoder(try SafeTensors(path: dir + "/model.safetensors"), config: try BertConfig(configJSON: dir + "/config.json"))
        for case_ in try #require(try Fixtures.json("minilm_reference.json")["cases"]?.array) {
            let ids = tokenizer.encode(case_["text"]!.string!)
            #expect(ids == case_["ids"]!.array!.map { Int32($0.int!) })
            let (hidden, attention) = try encoder.forward(ids, threads: 2)
            // Measured: max |Δ hidden| 1.8e-6 (docs/fig7-substitute.md); the bound leaves room for another libm.
            let difference = maxDifference(hidden, case_["hidden"]!.array!.map { Float($0.double!) })
            #expect(difference < 5e-6, "max |Δ| \(difference)")
            // The §7 statistics of the minilm experiment against NumPy's row max / first column means.
            var stats = AttentionSparsity(layers: 6, heads: 12)
            for (l, maps) in attention.enumerated() { stats.add(layer: l, headMaps: maps, length: ids.count) }
            for (key, ours) in [("sparsity", stats.sparsity), ("cls_share", stats.firstTokenShare)] {
                let theirs = case_[key]!.array!.map { $0.array!.map { $0.double! } }
                // Same layers and heads, or the comparison below would silently cover fewer of them.
                #expect(ours.map(\.count) == theirs.map(\.count), "\(key): \(ours.map(\.count)) heads per layer vs \(theirs.map(\.count))")
                let worst = zip(ours.joined(), theirs.joined()).map { abs($0 - $1) }.max()!
                #expect(worst < 1e-5, "\(key): max |Δ| \(worst)")
            }
        }
    }

    func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
