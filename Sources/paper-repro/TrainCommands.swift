// paper-repro train-induction and train-classification: one configuration, printed (nothing is stored).

import ArgumentParser
import Experiments
import Foundation
import Plot
import Transformer

struct TrainInduction: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-induction",
        abstract: "Train one induction-head configuration (PAPER.md §5) and print its scores and sink metrics.")

    @Option var seed = 0
    @Option var heads = 4
    @Option var attention = "softmax"
    @Option var positional = "concat"
    @Option var lr = 1e-3
    @Option var aux = 0.2
    @Flag(inversion: .prefixedNo) var shift = true
    @Option var epochs = 10
    @Option var train = 100_000
    @Option var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Write the F10 attention maps (evaluation samples 0-4, layer 1, every head) as PDF and PNG here.")
    var maps: String?

    func validate() throws {
        guard AttentionKind(rawValue: attention) != nil else {
            throw ValidationError("unknown attention '\(attention)'; valid: \(AttentionKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard Positional(rawValue: positional) != nil else { throw ValidationError("unknown positional '\(positional)'; valid: add, concat, no") }
        guard [1, 2, 4, 8].contains(heads), epochs >= 1, train >= 1, threads >= 1 else {
            throw ValidationError("--heads must be 1, 2, 4 or 8; --epochs, --train and --threads at least 1")
        }
    }

    func run() throws {
        var setup = InductionSetup()
        setup.seed = seed; setup.heads = heads; setup.attention = AttentionKind(rawValue: attention)!
        setup.positional = Positional(rawValue: positional)!; setup.learningRate = lr; setup.auxWeight = aux
        setup.shiftQuery = shift; setup.epochs = epochs; setup.train = train
        let start = Date()
        var model: TransformerModel?
        let outcome = InductionTraining.run(setup, threads: threads, trained: { model = $0 })
        for e in outcome.evalLoss.indices {
            print(String(format: "epoch %2d  train loss %.4f  eval loss %.4f  acc_all %.4f  acc_induction %.4f", e + 1,
                         outcome.trainLoss[e], outcome.evalLoss[e], outcome.accuracyAll[e], outcome.accuracyInduction[e]))
        }
        if let step = outcome.divergedAtStep { print("diverged (NaN loss) at step \(step)") }
        for (l, layer) in outcome.sinks.enumerated() {
            for (h, m) in layer.enumerated() {
                print(String(format: "layer %d head %d  abs_bos %.3f  abs_all %.3f  rel_bos %.3f  rel_bos_global %.3f",
                             l, h, m.absoluteBOS, m.absoluteAll, m.relativeBOS, m.relativeBOSGlobal))
            }
        }
        print(String(format: "%d steps in %.1f s", setup.steps, Date().timeIntervalSince(start)))
        if let maps, let model { try writeMaps(model, setup, into: maps) }
    }

    func writeMaps(_ model: TransformerModel, _ setup: InductionSetup, into directory: String) throws {
        let (_, evaluation) = InductionData.make(train: setup.train, evaluation: setup.evaluation,
                                                 seed: UInt64(setup.seed), shiftQuery: setup.shiftQuery)
        let t = InductionData.length
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for sample in 0..<5 {
            model.forward(tokens: evaluation.batch([sample]).inputs, batch: 1, length: t)
            let a = model.attentionWeights(layer: 1)
            for head in 0..<setup.heads {
                let matrix = (0..<t).map { i in (0..<t).map { j in Double(a[(head * t + i) * t + j]) } }
                let figure = AttentionMapFigure.make(matrix)
                let name = AttentionMapFigure.name(attention: attention, sample: sample, layer: 1, head: head)
                try Data(Renderer.pdf(figure)).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name + ".pdf"))
                try Data(Renderer.png(figure)).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name + ".png"))
            }
        }
        print("20 attention maps (PDF + PNG) in \(directory)")
    }
}

struct TrainClassification: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-classification",
        abstract: "Train one toy-classification configuration (PAPER.md §6) and print its scores, CLS-row metrics and flip rates.")

    @Option var seed = 0
    @Option var vocabulary = 41
    @Option var layers = 2
    @Option var heads = 4
    @Flag(inversion: .prefixedNo) var mlp = true
    @Flag(inversion: .prefixedNo) var layerNorm = true
    @Option var attention = "softmax"
    @Option var lr = 1e-3
    @Option var epochs = 10
    @Option var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Track the first evaluation sample of each label after every step and write F12 (PDF and PNG) here.")
    var track: String?

    func validate() throws {
        guard AttentionKind(rawValue: attention) != nil else {
            throw ValidationError("unknown attention '\(attention)'; valid: \(AttentionKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard [41, 81, 161].contains(vocabulary), [1, 2].contains(layers), [1, 2, 4].contains(heads), epochs >= 1, threads >= 1 else {
            throw ValidationError("--vocabulary 41|81|161, --layers 1|2, --heads 1|2|4, --epochs and --threads at least 1")
        }
    }

    func run() throws {
        var setup = ClassificationSetup()
        setup.seed = seed; setup.vocabulary = vocabulary; setup.layers = layers; setup.heads = heads
        setup.mlp = mlp; setup.layerNorm = layerNorm; setup.attention = AttentionKind(rawValue: attention)!
        setup.learningRate = lr; setup.epochs = epochs
        let start = Date()
        var outcome: ClassificationOutcome
        var tracked: SampleTrack?
        if track != nil { (outcome, tracked) = SampleTracking.run(setup, threads: threads) }
        else { outcome = ClassificationTraining.run(setup, threads: threads) }
        for e in outcome.evalLoss.indices {
            print(String(format: "epoch %2d  train loss %.4f  eval loss %.4f  acc %.4f", e + 1,
                         outcome.trainLoss[e], outcome.evalLoss[e], outcome.accuracy[e]))
        }
        if let step = outcome.divergedAtStep { print("diverged (NaN loss) at step \(step)") }
        for (l, layer) in outcome.heads.enumerated() {
            for (h, m) in layer.enumerated() {
                print(String(format: "layer %d head %d  abs_max %.3f  abs_sum %.3f  rel_max %.3f  flip rate %.3f (a %.3f, b %.3f)",
                             l, h, m.absoluteMax, m.absoluteSum, m.relativeMax, m.averageDominance, m.dominanceA, m.dominanceB))
            }
        }
        print(String(format: "%d steps in %.1f s", setup.steps, Date().timeIntervalSince(start)))
        if let track, let tracked {
            let figure = SampleTrackingFigure.make(tracked)
            let base = URL(fileURLWithPath: track).appendingPathComponent(SampleTrackingFigure.name)
            try FileManager.default.createDirectory(atPath: track, withIntermediateDirectories: true)
            try Data(Renderer.pdf(figure)).write(to: base.appendingPathExtension("pdf"))
            try Data(Renderer.png(figure)).write(to: base.appendingPathExtension("png"))
            print("F12 (PDF + PNG) in \(track)")
        }
    }
}

