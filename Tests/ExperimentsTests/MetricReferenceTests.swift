// The metrics the figures draw, against an independent NumPy implementation written from
// docs/spec.md (Tests/Reference/metrics_reference.py): the §5.3 sink metrics, the §6.3 CLS-row
// metrics, the §7 per-head scores, the F8 sink share and the S1 sparsity score.
//
// Inputs (Tests/Fixtures/metric_inputs.json): the attention maps of small fixed, untrained models
// on fixed batches, dumped by `regenerateInputs` (REGENERATE_METRIC_INPUTS=1): a causal softmax and
// a causal sigmoid_unnorm induction model (rows that do not sum to 1), a bidirectional
// linear_unnorm classification model (rows with negative sums); plus hand-made tables with NaN
// heads and values outside [0, 1]. Expected values: Tests/Fixtures/metric_reference.json.

@testable import Experiments
import Foundation
import Records
import TestSupport
import Testing
import Transformer

@Suite struct MetricReferenceTests {
    /// The maps of one layer as stored in the fixture: flat [sequence][head][query][key].
    static func maps(_ json: JSON, layer: Int, _ body: (AttentionMaps) -> Void) {
        let values = json["maps"]!.array![layer].array!.map { Float($0.double!) }
        values.withUnsafeBufferPointer {
            body(AttentionMaps($0, sequences: json["sequences"]!.int!, heads: json["heads"]!.int!, length: json["length"]!.int!))
        }
    }

    static func close(_ a: Double, _ b: Double) -> Bool { a.isNaN ? b.isNaN : abs(a - b) <= 1e-12 * max(1, abs(b)) }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["REGENERATE_METRIC_INPUTS"] != nil))
    func regenerateInputs() throws {
        func dump(_ config: ModelConfig, tokens: [Int32], sequences: Int, length: Int) -> JSON {
            let model = TransformerModel(config, seed: 7)
            model.forward(tokens: tokens, batch: sequences, length: length)
            return .object([
                ("sequences", .int(sequences)), ("heads", .int(config.heads)), ("length", .int(length)),
                ("maps", .array((0..<config.layers).map { l in .array(model.attentionMaps(layer: l).weights.map { .number(Double($0)) }) })),
            ])
        }
        let (_, induction) = InductionData.make(train: 0, evaluation: 6, seed: 0, shiftQuery: true)
        let inputs = induction.batch(0..<6).inputs
        let (_, classes) = ClassificationData.make(train: 0, evaluation: 8, vocabulary: 41, seed: 0)
        let json = JSON.object([
            ("induction_softmax", dump(ModelConfig(vocabulary: 100, outputs: 100, width: 16, heads: 2), tokens: inputs, sequences: 6, length: 12)),
            ("induction_sigmoid_unnorm", dump(ModelConfig(vocabulary: 100, outputs: 100, width: 16, heads: 2, attention: .sigmoidUnnorm),
                                              tokens: inputs, sequences: 6, length: 12)),
            ("classification_linear_unnorm", dump(ModelConfig(vocabulary: 41, outputs: 4, width: 16, layers: 1, heads: 2, causal: false,
                                                              attention: .linearUnnorm, positional: .no),
                                                  tokens: classes.batch(0..<8).inputs, sequences: 8, length: 11)),
            // F8's layer-1 heads of three runs (NaN: a head the run does not have) and S1's rel_attn_max tables.
            ("sink_heads", .array([.doubles([0.95, 0.91, 0.9, .nan]), .doubles([0.2, 0.9000001, .nan, .nan]), .doubles([1, 1, 1, 0.5])])),
            ("rel_attn_max", .array([.matrix([[0.5, .nan], [1.2, -0.1]]), .matrix([[.nan, .nan]]), .matrix([[0.25, 0.75, 1]])])),
        ])
        try Data(json.rendered().utf8).write(to: Fixtures.directory.appendingPathComponent("metric_inputs.json"))
    }

    @Test func sinkMetricsMatchNumPy() throws {
        let inputs = try Fixtures.json("metric_inputs.json"), reference = try Fixtures.json("metric_reference.json")
        for model in ["induction_softmax", "induction_sigmoid_unnorm"] {
            let json = inputs[model]!
            for layer in 0..<2 {
                Self.maps(json, layer: layer) { maps in
                    for head in 0..<maps.heads {
                        // The mean over the sequences, as InductionTraining.sinkMetrics averages them.
                        var sum = SinkMetrics()
                        for s in 0..<maps.sequences {
                            let m = SinkMetrics(maps, sequence: s, head: head)
                            sum.absoluteBOS += m.absoluteBOS; sum.absoluteAll += m.absoluteAll
                            sum.relativeBOS += m.relativeBOS; sum.relativeBOSGlobal += m.relativeBOSGlobal
                        }
                        let n = Double(maps.sequences)
                        let ours = [sum.absoluteBOS / n, sum.absoluteAll / n, sum.relativeBOS / n, sum.relativeBOSGlobal / n]
                        let theirs = ["abs_attn_bos", "abs_attn_all", "rel_attn_bos", "rel_attn_bos_global"]
                            .map { reference[model]![$0]!.array![layer].array![head].double! }
                        #expect(zip(ours, theirs).allSatisfy(Self.close), "\(model) layer \(layer) head \(head): \(ours) vs \(theirs)")
                    }
                }
            }
        }
        // The sigmoid model's rows do not sum to 1: abs_attn_all says so, and the metrics above still agree.
        let all = reference["induction_sigmoid_unnorm"]!["abs_attn_all"]!.array![0].array![0].double!
        #expect(abs(all - 1) > 0.1)
    }

    @Test func clsMetricsMatchNumPy() throws {
        let inputs = try Fixtures.json("metric_inputs.json"), reference = try Fixtures.json("metric_reference.json")
        let json = inputs["classification_linear_unnorm"]!
        Self.maps(json, layer: 0) { maps in
            for head in 0..<maps.heads {
                let rows = (0..<maps.sequences).map { maps.rowValues(sequence: $0, head: head, query: maps.length - 1) }
                let m = CLSHeadMetrics(clsRows: rows)
                let theirs = ["abs_attn_max", "abs_attn_sum", "rel_attn_max"].map { reference["classification_linear_unnorm"]![$0]!.array![head].double! }
                #expect(zip([m.absoluteMax, m.absoluteSum, m.relativeMax], theirs).allSatisfy(Self.close), "head \(head): \(theirs)")
            }
        }
    }

    @Test func perHeadScoresSinkShareAndSparsityScoreMatchNumPy() throws {
        let inputs = try Fixtures.json("metric_inputs.json"), reference = try Fixtures.json("metric_reference.json")
        // §7 per-head scores on the causal maps of both layers.
        for model in ["induction_softmax", "induction_sigmoid_unnorm"] {
            var stats = AttentionSparsity(layers: 2, heads: 2)
            for layer in 0..<2 { Self.maps(inputs[model]!, layer: layer) { stats.add(layer: layer, $0) } }
            for (key, ours) in [("sparsity", stats.sparsity), ("first_token_share", stats.firstTokenShare)] {
                let theirs = reference[model]![key]!.array!.map { $0.array!.map { $0.double! } }
                #expect(ours.map(\.count) == theirs.map(\.count))
                #expect(zip(ours.joined(), theirs.joined()).allSatisfy(Self.close), "\(model) \(key): \(ours) vs \(theirs)")
            }
        }
        // F8's share of sink heads, NaN heads left out of the count.
        for (heads, expected) in zip(inputs["sink_heads"]!.array!, reference["sink_share"]!.array!) {
            let record = InductionRunRecord(attention: .softmax, shiftQuery: true, positional: .add, auxWeight: 0.2,
                                            accuracyInduction: 1, relativeBOSGlobal: heads.array!.map { $0.double! })
            #expect(Self.close(record.sinkProportion, expected.double!))
        }
        // S1's sparsity score: clipped to [0, 1], NaN skipped, NaN when nothing is left.
        for (table, expected) in zip(inputs["rel_attn_max"]!.array!, reference["sparsity_score"]!.array!) {
            let rows = table.array!.map { $0.array!.map { $0.double! } }
            #expect(Self.close(ClassificationRunRecord.sparsityScore(rows), expected.double!))
        }
    }
}
