// paper-repro: the command line of softmax-repro. Parsing and printing only; the work is in Pipeline.

import ArgumentParser
import Experiments
import Foundation
import Pipeline
import Plot
import Transformer

extension Scale: ExpressibleByArgument {}

struct PaperRepro: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper-repro",
        abstract: "Deterministic reproduction of 'Gradient Flow Polarizes Softmax Outputs towards Low-Entropy Solutions' (arXiv 2603.06248).",
        discussion: """
        Typical session:
          paper-repro run       every experiment (default scale) into figures/data/
          paper-repro check     compare the results with the golden values
          paper-repro verify    rerun and confirm the results are bit-identical
        Exit status: 0 success, 1 a check or verification failed, 2 bad usage.
        """,
        subcommands: [List.self, Run.self, Check.self, Verify.self, Bless.self, Figures.self, Bench.self, BenchTransformer.self, TrainInduction.self, TrainClassification.self])
}

/// Options shared by the commands that read or write results.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Directory of the result files.")
    var output = "figures/data"
}

/// Experiment names as positional arguments, validated against the registry.
struct ExperimentSelection: ParsableArguments {
    @Argument(help: "Experiments to use (default: all). See `paper-repro list`.")
    var names: [String] = []

    func validate() throws {
        for name in names where Registry.experiment(named: name) == nil {
            throw ValidationError("unknown experiment '\(name)'; valid: \(Registry.names.joined(separator: ", "))")
        }
    }

    var experiments: [any Experiment] {
        names.isEmpty ? Registry.all : names.compactMap(Registry.experiment(named:))
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the experiments, their figures and their cost.")

    @Option(help: "Scale for the cost column (smoke, default, paper).")
    var scale: Scale = .default

    func run() {
        print("experiment              section            iterations  est. time  figures")
        for e in Registry.all {
            print(pad(e.name)
                + e.section.padding(toLength: 19, withPad: " ", startingAt: 0)
                + String(e.iterations(scale)).padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: "%7.2f s  ", e.estimatedSeconds(scale))
                + e.figures.joined(separator: ", "))
            print("    \(e.title)")
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run experiments and store one result file per experiment.",
        discussion: "Finished results with the same configuration are kept and skipped; use --force to recompute.")

    @OptionGroup var selection: ExperimentSelection
    @Option(help: "smoke (seconds, for tests), default (what paper-repro.sh runs) or paper (the authors' settings).")
    var scale: Scale = .default
    @OptionGroup var store: StoreOptions
    @Option(help: "Experiments run in parallel (results do not depend on it).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Recompute even when a result for this configuration exists.")
    var force = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let progress = ProgressBoard()
        let runner = Runner(scale: scale, jobs: jobs, store: ResultStore(directory: store.output), force: force)
        let start = Date()
        let outcomes = runner.run(selection.experiments, progress: progress)
        progress.stop()
        var failed = false
        for outcome in outcomes {
            switch outcome {
            case let .ran(r): print("ran     \(pad(r.experiment))\(String(format: "%7.2f s", r.seconds))  content \(r.contentHash.prefix(16))")
            case let .reused(r): print("kept    \(pad(r.experiment))(stored result, content \(r.contentHash.prefix(16)))")
            case let .failed(name, why): print("FAILED  \(name): \(why)"); failed = true
            }
        }
        print(String(format: "wall time %.2f s, results in %@", Date().timeIntervalSince(start), store.output))
        if failed { throw ExitCode(1) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare stored results with the golden values; exit 1 on any failure.")

    @OptionGroup var selection: ExperimentSelection
    @OptionGroup var store: StoreOptions
    @Option(help: "Directory of the golden files.")
    var golden = "golden"

    func run() throws {
        let lines = Golden.checkAll(selection.experiments, store: ResultStore(directory: store.output), goldenRoot: golden)
        lines.forEach { print($0.text) }
        let failures = lines.filter { !$0.passed }.count
        print("\(lines.count - failures) passed, \(failures) failed")
        print(failures == 0 ? "verdict: PASS (\(lines.count) quantities)" : "verdict: FAIL")
        if failures > 0 { throw ExitCode(1) }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rerun experiments and confirm the results are bit-identical to the stored ones.")

    @OptionGroup var selection: ExperimentSelection
    @OptionGroup var store: StoreOptions
    @Option(help: "Experiments rerun in parallel.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let results = ResultStore(directory: store.output)
        let progress = ProgressBoard()
        var differ = 0
        var stored: [(any Experiment, StoredResult)] = []
        for e in selection.experiments {
            do {
                guard let r = try results.load(e.name) else {
                    print("MISSING  \(e.name): no stored result in \(store.output)"); differ += 1; continue
                }
                stored.append((e, r))
            } catch {
                print("MISSING  \(e.name): \(error)"); differ += 1
            }
        }
        // Rerun at each stored result's own scale, without touching the stored files.
        for scale in Scale.allCases {
            let group = stored.filter { $0.1.scale == scale }
            guard !group.isEmpty else { continue }
            let runner = Runner(scale: scale, jobs: jobs, store: results, force: true)
            let outcomes = runner.run(group.map(\.0), progress: progress, save: false)
            for ((e, old), outcome) in zip(group, outcomes) {
                guard case let .ran(new) = outcome else { print("FAILED   \(e.name)"); differ += 1; continue }
                if new.contentHash == old.contentHash {
                    print("identical  \(e.name)  sha256 \(new.contentHash)")
                } else {
                    differ += 1
                    print("DIFFERS    \(e.name)  stored \(old.contentHash.prefix(16))  rerun \(new.contentHash.prefix(16))")
                }
            }
        }
        progress.stop()
        print(differ == 0 ? "verdict: deterministic (\(stored.count) results identical)" : "verdict: FAIL (\(differ) differ or missing)")
        if differ > 0 { throw ExitCode(1) }
    }
}

struct Bless: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rewrite the golden values from the stored results (keeps tolerances; prints what changed).",
        discussion: "Commit a blessed golden file only with a reason in the commit message.")

    @OptionGroup var selection: ExperimentSelection
    @OptionGroup var store: StoreOptions
    @Option(help: "Directory of the golden files.")
    var golden = "golden"

    func run() throws {
        let results = ResultStore(directory: store.output)
        for e in selection.experiments {
            guard let result = try results.load(e.name) else { print("skip \(e.name): no stored result"); continue }
            let path = GoldenFile.path(root: golden, scale: result.scale, experiment: e.name)
            let previous = FileManager.default.fileExists(atPath: path) ? try GoldenFile(path: path) : nil
            let (file, changes) = Golden.bless(result, previous: previous)
            try writeAtomically(file.json.rendered(), to: path)
            print("\(path): \(changes.isEmpty ? "unchanged" : "\(changes.count) changed")")
            changes.forEach { print("  \($0)") }
        }
    }
}

struct Figures: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render figures (PDF and PNG) from the stored results, skipping those that are up to date.")

    @Argument(help: "Figure or experiment names (default: all). See `paper-repro list`.")
    var names: [String] = []
    @OptionGroup var store: StoreOptions
    @Option(help: "Directory for the PDF and PNG files.")
    var figures = "figures"
    @Flag(help: "Render even when the figure is up to date.")
    var force = false

    func validate() throws {
        let valid = FigureRendering.catalog.map(\.figure) + Registry.names
        for name in names where !valid.contains(name) {
            throw ValidationError("unknown figure '\(name)'; valid: \(FigureRendering.catalog.map(\.figure).joined(separator: ", ")) or an experiment name")
        }
    }

    func run() throws {
        let selected = Set(names.flatMap { name in
            Registry.experiment(named: name)?.figures ?? [name]
        })
        let progress = ProgressBoard()
        let rendering = FigureRendering(store: ResultStore(directory: store.output), directory: figures, force: force)
        var failed = 0
        for outcome in rendering.render(Registry.all, only: names.isEmpty ? nil : selected, progress: progress) {
            switch outcome {
            case let .written(name): print("written     \(figures)/\(name).pdf, .png")
            case let .upToDate(name): print("up to date  \(figures)/\(name).pdf, .png (inputs unchanged)")
            case let .failed(name, why): print("FAILED      \(name): \(why)"); failed += 1
            }
        }
        progress.stop()
        if failed > 0 { throw ExitCode(1) }
    }
}

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time every experiment at the paper scale (nothing is stored).")

    @Option(help: "Worker threads for the all-experiments wall time.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func run() {
        let progress = ProgressBoard(quiet: true)
        let store = ResultStore(directory: NSTemporaryDirectory())
        print("experiment              iterations      seconds   ns/iteration")
        var serial = 0.0
        for e in Registry.all {
            let runner = Runner(scale: .paper, jobs: 1, store: store, force: true)
            guard case let .ran(r) = runner.runOne(e, progress: progress, save: false) else { continue }
            serial += r.seconds
            print(pad(e.name)
                + String(format: "%10d  %11.3f  %13.1f", r.iterations, r.seconds, r.seconds * 1e9 / Double(r.iterations)))
        }
        let start = Date()
        _ = Runner(scale: .paper, jobs: jobs, store: store, force: true).run(Registry.all, progress: progress, save: false)
        let wall = Date().timeIntervalSince(start)
        print(String(format: "sum of the above (1 thread): %.3f s", serial))
        print(String(format: "all experiments, %d jobs, wall time: %.3f s", jobs, wall))
    }
}

struct BenchTransformer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-transformer",
        abstract: "Time one training step of the induction and classification base configurations.",
        discussion: """
        With --torch PYTHON, also runs Tests/Reference/torch_transformer.py (the same model in PyTorch)
        with that interpreter for each thread count, and prints the ratio side by side.
        """)

    @Option(help: "Timed steps per case (the median is reported).")
    var steps = 20

    @Option(parsing: .upToNextOption, help: "Thread counts to time.")
    var threads: [Int] = [1, 2]

    @Option(help: "A Python interpreter with torch installed, to time PyTorch in the same run.")
    var torch: String?

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1") }
        guard threads.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--threads must be at least 1") }
        if let torch, !FileManager.default.isExecutableFile(atPath: torch) {
            throw ValidationError("--torch: '\(torch)' is not an executable file")
        }
    }

    func run() throws {
        let peaks = Dictionary(uniqueKeysWithValues: threads.map { ($0, TrainingBenchmark.fmaPeak(threads: $0)) })
        let reference = try torch.map { try torchTimes($0) } ?? [:]
        print("case            threads   ms/step   GFLOP/s   % of FMA peak (peak)" + (torch == nil ? "" : "   torch ms   speed-up"))
        for c in [BenchmarkCase.induction, .classification] {
            let flops = TrainingBenchmark.flopsPerStep(c)
            for t in threads {
                let ms = TrainingBenchmark.millisecondsPerStep(c, threads: t, steps: steps)
                let rate = flops / ms / 1e6
                var line = c.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "%7d  %8.2f  %8.1f   %5.1f %% (%.0f)", t, ms, rate, 100 * rate / peaks[t]!, peaks[t]!)
                if let theirs = reference["\(c.name) \(t)"] { line += String(format: "   %8.2f   %7.2f×", theirs, theirs / ms) }
                print(line)
            }
            if c.name == "induction", let mb = TrainingBenchmark.peakResidentMegabytes() {
                print(String(format: "peak resident memory after the induction steps: %.0f MB (limit 200 MB)", mb))
            }
        }
    }

    /// "case threads" → PyTorch's median ms per step, from torch_transformer.py's output.
    func torchTimes(_ python: String) throws -> [String: Double] {
        var times: [String: Double] = [:]
        for t in threads {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["Tests/Reference/torch_transformer.py", "bench", "--threads", "\(t)", "--steps", "\(steps)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ValidationError("the PyTorch benchmark failed (run it by hand to see why)") }
            for line in output.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard words.count >= 7, let ms = Double(words[words.count - 2]) else { continue }
                times["\(words[2]) \(t)"] = ms
            }
        }
        return times
    }
}

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

/// Left-aligns a name in a 24-column field.
func pad(_ name: String) -> String { name.padding(toLength: 24, withPad: " ", startingAt: 0) }

@main
enum Main {
    static func main() {
        do {
            var command = try PaperRepro.parseAsRoot()
            try command.run()
        } catch {
            // Usage errors: one line naming the valid choices, exit status 2.
            if PaperRepro.exitCode(for: error) == .validationFailure {
                let message = PaperRepro.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage"
                FileHandle.standardError.write(Data("paper-repro: \(message) (see paper-repro --help)\n".utf8))
                exit(2)
            }
            PaperRepro.exit(withError: error)
        }
    }
}
