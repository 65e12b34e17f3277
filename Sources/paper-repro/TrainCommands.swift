// paper-repro train-induction and train-classification: one configuration (the base config with
// key=value overrides), run and stored like any run, then printed from its stored result.

import ArgumentParser
import Experiments
import Figures
import Foundation
import Pipeline
import Plot
import Records

/// Options of the two train commands.
struct TrainOptions: ParsableArguments {
    @Argument(help: "key=value overrides of the base config (sweeps/base/<experiment>.yaml), e.g. attention_type=sigmoid_unnorm lr=0.01.")
    var overrides: [String] = []
    @OptionGroup var store: StoreOptions
    @Option(help: "Threads inside the run (results do not depend on it).")
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Recompute even when a result for this configuration is stored.")
    var force = false

    func validate() throws {
        try check("--threads", threads, in: 1...1024)
        for word in overrides where try parsedOverride(word) == nil {
            throw ValidationError("'\(word)' is not key=value")
        }
    }

    /// The base config of `base` with the overrides, as a run of `experiment` (which reads the same keys).
    func spec(base: any Experiment, as experiment: any Experiment, label: String? = nil) throws -> RunSpec {
        do {
            let spec = try Sweeps.baseRun(base, overrides: overrides.compactMap { try? Override($0) })
            let config = JSON.object((label.map { [("label", JSON.string($0))] } ?? []) + (spec.config.pairs ?? []))
            return try experiment.spec(config)
        } catch let error as SweepError {
            throw ValidationError(error.description)
        }
    }

    /// Runs (or finds) `spec` in the store and returns its result; exit 1 when it fails.
    func result(_ spec: RunSpec, of experiment: any Experiment, drawingInto figures: String?) throws -> StoredResult {
        try requireWritable(store.output)
        if let figures { try requireWritable(figures) }
        let progress = ProgressBoard()
        let runner = Runner(jobs: 1, store: ResultStore(directory: store.output), force: force, threadsPerRun: threads)
        let outcome = runner.run([spec], progress: progress)[0]
        progress.stop()
        switch outcome {
        case let .ran(r):
            print("ran     \(label(spec)) in \(String(format: "%.1f s", r.seconds)), stored in \(store.output)")
            return r
        case let .reused(r):
            print("kept    \(label(spec)): a result for this configuration is stored in \(store.output) (--force recomputes)")
            return r
        case let .failed(name, why):
            print("FAILED  \(name): \(why)")
            throw ExitCode(1)
        }
    }
}

/// Writes the figures of one stored run into `directory`.
func drawFigures(_ result: StoredResult, of experiment: any Experiment, spec: RunSpec, into directory: String) throws {
    let record = RunRecord(id: spec.id, config: result.config, summary: result.summary, history: result.history)
    let drawn = try Drawing.figures(of: experiment, [record])
    for (name, figure) in drawn {
        try writeAtomically(Renderer.pdf(figure), to: "\(directory)/\(name).pdf", under: directory)
        try writeAtomically(Renderer.png(figure), to: "\(directory)/\(name).png", under: directory)
    }
    print("\(drawn.count) figure\(drawn.count == 1 ? "" : "s") (PDF + PNG) in \(directory)")
}

struct TrainInduction: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-induction",
        abstract: "Train one induction-head configuration (docs/spec.md §5), store it and print its scores and sink metrics.",
        discussion: "Example: paper-repro train-induction attention_type=sigmoid_unnorm num_epochs=1 --maps maps/")

    @OptionGroup var options: TrainOptions
    @Option(help: "Also keep the F10 attention maps (evaluation samples 0-4, layer 1, every head) and draw them here (PDF and PNG); the run is stored as an attention-maps run labelled 'train'.")
    var maps: String?

    func run() throws {
        let experiment: any Experiment = maps == nil ? InductionSweep() : AttentionMapsExperiment()
        let spec = try options.spec(base: InductionSweep(), as: experiment, label: maps == nil ? nil : "train")
        let result = try options.result(spec, of: experiment, drawingInto: maps)
        let h = result.history, s = result.summary
        let series = ["train_loss", "eval_loss", "acc_all", "acc_induction"].map { h[$0]?.array?.map { $0.double ?? .nan } ?? [] }
        for e in series[1].indices {
            print(String(format: "epoch %2d  train loss %.4f  eval loss %.4f  acc_all %.4f  acc_induction %.4f", e + 1,
                         series[0][e], series[1][e], series[2][e], series[3][e]))
        }
        if let step = s["diverged_at_step"]?.int { print("diverged (NaN loss) at step \(step)") }
        let tables = try ["abs_attn_bos", "abs_attn_all", "rel_attn_bos", "rel_attn_bos_global"].map { try readTable(s, $0, experiment: experiment.name) }
        for (l, layer) in tables[0].enumerated() {
            for hd in layer.indices {
                print(String(format: "layer %d head %d  abs_bos %.3f  abs_all %.3f  rel_bos %.3f  rel_bos_global %.3f",
                             l, hd, tables[0][l][hd], tables[1][l][hd], tables[2][l][hd], tables[3][l][hd]))
            }
        }
        if let maps { try drawFigures(result, of: experiment, spec: spec, into: maps) }
    }
}

struct TrainClassification: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-classification",
        abstract: "Train one toy-classification configuration (docs/spec.md §6), store it and print its scores, CLS-row metrics and flip rates.",
        discussion: "Example: paper-repro train-classification num_layers=1 num_heads=1 use_mlp=false use_layernorm=false --track f12/")

    @OptionGroup var options: TrainOptions
    @Option(help: "Track the first evaluation sample of each label after every step and draw F12 here (PDF and PNG); the run is stored as a sample-tracking run.")
    var track: String?

    func run() throws {
        let experiment: any Experiment = track == nil ? ClassificationSweep() : SampleTrackingExperiment()
        let spec = try options.spec(base: ClassificationSweep(), as: experiment)
        let result = try options.result(spec, of: experiment, drawingInto: track)
        let h = result.history, s = result.summary
        let series = ["train_loss", "eval_loss", "acc"].map { h[$0]?.array?.map { $0.double ?? .nan } ?? [] }
        for e in series[1].indices {
            print(String(format: "epoch %2d  train loss %.4f  eval loss %.4f  acc %.4f", e + 1, series[0][e], series[1][e], series[2][e]))
        }
        if let step = s["diverged_at_step"]?.int { print("diverged (NaN loss) at step \(step)") }
        let tables = try ["abs_attn_max", "abs_attn_sum", "rel_attn_max", "avg_top1_dominance_rate", "top1_dominance_rate_a", "top1_dominance_rate_b"]
            .map { try readTable(s, $0, experiment: experiment.name) }
        for (l, layer) in tables[0].enumerated() {
            for hd in layer.indices {
                print(String(format: "layer %d head %d  abs_max %.3f  abs_sum %.3f  rel_max %.3f  flip rate %.3f (a %.3f, b %.3f)",
                             l, hd, tables[0][l][hd], tables[1][l][hd], tables[2][l][hd], tables[3][l][hd], tables[4][l][hd], tables[5][l][hd]))
            }
        }
        if let track { try drawFigures(result, of: experiment, spec: spec, into: track) }
    }
}
