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
          paper-repro figures   draw every figure (PDF + PNG) into figures/
          paper-repro report    write figures/report.html and report.pdf from all of the above
        Cluster sweeps: `run --shard i/n`, `status`, `merge`, `plan --print-commands` (README).
        Exit status: 0 success, 1 a check or verification failed, 2 bad usage.
        """,
        subcommands: [List.self, Run.self, Check.self, Verify.self, Bless.self, Figures.self, Status.self, Plan.self, Merge.self, ReportCommand.self, Bench.self, BenchTransformer.self, TrainInduction.self, TrainClassification.self])
}

/// Options shared by the commands that read or write results.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Directory of the result files.")
    var output = "figures/data"
}

/// The scale of the runs to run, check, draw or verify.
struct ScaleOption: ParsableArguments {
    @Option(help: "smoke (seconds, for tests), default (what paper-repro.sh runs) or paper (the authors' settings).")
    var scale: Scale = .default
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

    @Option(help: "Scale for the runs and cost columns (smoke, default, paper).")
    var scale: Scale = .default

    func run() {
        print("experiment              section            runs   est. time (1 core)  figures")
        for e in Registry.all {
            let figures = e.figures.count > 4 ? "\(e.figures.prefix(2).joined(separator: ", ")), … (\(e.figures.count) figures)"
                : e.figures.joined(separator: ", ")
            print(pad(e.name)
                + e.section.padding(toLength: 19, withPad: " ", startingAt: 0)
                + String(e.runs(scale).count).padding(toLength: 7, withPad: " ", startingAt: 0)
                + duration(e.estimatedSeconds(scale)).padding(toLength: 20, withPad: " ", startingAt: 0)
                + figures)
            print("    \(e.title)")
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run experiments and store one result file per run.",
        discussion: """
        Finished runs with the same configuration are kept and skipped (an interrupted run resumes);
        use --force to recompute. With --shard i/n (or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or
        JOB_COMPLETION_INDEX/SHARD_COUNT) only every n-th run of the sorted run list is run, starting
        with the i-th; results do not depend on the sharding.
        """)

    @OptionGroup var selection: ExperimentSelection
    @OptionGroup var scale: ScaleOption
    @OptionGroup var store: StoreOptions
    @Option(help: "Runs in parallel (results do not depend on it); the cores are shared out among them.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Run only shard i of n (1-based, e.g. 2/8).", transform: { text in
        guard let shard = Shard(text) else { throw ValidationError("--shard must be i/n with 1 ≤ i ≤ n, e.g. 2/8") }
        return shard
    })
    var shard: Shard?
    @Flag(help: "Recompute even when a result for this configuration exists.")
    var force = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let progress = ProgressBoard()
        let shard: Shard
        do { shard = try self.shard ?? Shard.fromEnvironment() ?? .all } catch { throw ValidationError("\(error)") }
        let runner = Runner(scale: scale.scale, jobs: jobs, store: ResultStore(directory: store.output), force: force, shard: shard)
        if shard != .all { progress.say("shard \(shard): \(runner.plan(selection.experiments).count) runs") }
        let start = Date()
        let outcomes = runner.run(selection.experiments, progress: progress)
        progress.stop()
        var failed = 0, kept = 0
        for outcome in outcomes {
            switch outcome {
            case let .ran(r):
                let name = r.run == r.experiment ? r.run : "\(r.experiment)/\(r.run)"
                print("ran     \(pad(name))\(String(format: "%7.2f s", r.seconds))  content \(r.contentHash.prefix(16))")
            case .reused: kept += 1
            case let .failed(name, why): print("FAILED  \(name): \(why)"); failed += 1
            }
        }
        if kept > 0 { print("kept    \(kept) stored run\(kept == 1 ? "" : "s") (same configuration)") }
        print(String(format: "wall time %.2f s, %d runs, results in %@", Date().timeIntervalSince(start), outcomes.count, store.output))
        if failed > 0 { throw ExitCode(1) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare stored results with the golden values; exit 1 on any failure.")

    @OptionGroup var selection: ExperimentSelection
    @OptionGroup var scale: ScaleOption
    @OptionGroup var store: StoreOptions
    @Option(help: "Directory of the golden files.")
    var golden = "golden"

    func run() throws {
        let lines = Golden.checkAll(selection.experiments, store: ResultStore(directory: store.output), scale: scale.scale, goldenRoot: golden)
        lines.forEach { print($0.text) }
        let failures = lines.filter { !$0.passed }.count
        print("\(lines.count - failures) passed, \(failures) failed")
        print(failures == 0 ? "verdict: PASS (\(lines.count) quantities)" : "verdict: FAIL")
        if failures > 0 { throw ExitCode(1) }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rerun stored runs and confirm the results are bit-identical.",
        discussion: "Every single-run experiment is rerun; of a sweep, --runs runs spread evenly over its sorted run list.")

    @OptionGroup var selection: ExperimentSelection
    @OptionGroup var scale: ScaleOption
    @OptionGroup var store: StoreOptions
    @Option(help: "Runs rerun in parallel.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Runs rerun per sweep.")
    var runs = 2

    func run() throws {
        let results = ResultStore(directory: store.output)
        var differ = 0
        var stored: [StoredResult] = []
        var specs: [RunSpec] = []
        var contentHashes: [String: String] = [:]
        for e in selection.experiments {
            let collected = results.collect(e, scale: scale.scale)
            contentHashes[e.name] = collected.contentHash
            let chosen = collected.specs.count <= runs ? collected.specs
                : (0..<runs).map { collected.specs[$0 * collected.specs.count / runs] }
            for spec in chosen {
                guard let r = collected.stored[spec.id] else {
                    print("MISSING  \(label(spec)): \(collected.problems[spec.id] ?? "no stored result in \(store.output)")"); differ += 1; continue
                }
                stored.append(r); specs.append(spec)
            }
        }
        // Rerun without touching the stored files.
        let progress = ProgressBoard()
        let outcomes = Runner(scale: scale.scale, jobs: jobs, store: results, force: true).run(specs, progress: progress, save: false)
        progress.stop()
        var record: [String: DeterminismEntry] = [:]
        for ((spec, old), outcome) in zip(zip(specs, stored), outcomes) {
            guard case let .ran(new) = outcome else { print("FAILED   \(label(spec))"); differ += 1; continue }
            record[spec.experiment, default: DeterminismEntry(contentHash: contentHashes[spec.experiment] ?? "", runs: [])]
                .runs.append((spec.id, old.contentHash, new.contentHash))
            if new.contentHash == old.contentHash {
                print("identical  \(label(spec))  sha256 \(new.contentHash)")
            } else {
                differ += 1
                print("DIFFERS    \(label(spec))  stored \(old.contentHash.prefix(16))  rerun \(new.contentHash.prefix(16))")
            }
        }
        // Kept for the report; an experiment with a missing or failed rerun is not recorded as verified.
        try DeterminismRecord.update(results, scale: scale.scale, with: record.filter { name, entry in
            entry.runs.count == specs.filter { $0.experiment == name }.count
        })
        print(differ == 0 ? "verdict: deterministic (\(stored.count) results identical)" : "verdict: FAIL (\(differ) differ or missing)")
        if differ > 0 { throw ExitCode(1) }
    }
}

struct Bless: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rewrite the golden values from the stored results (keeps tolerances; prints what changed).",
        discussion: "Commit a blessed golden file only with a reason in the commit message.")

    @OptionGroup var selection: ExperimentSelection
    @OptionGroup var scale: ScaleOption
    @OptionGroup var store: StoreOptions
    @Option(help: "Directory of the golden files.")
    var golden = "golden"

    func run() throws {
        let results = ResultStore(directory: store.output)
        for e in selection.experiments {
            let collected = results.collect(e, scale: scale.scale)
            if let gap = collected.gap { print("skip \(e.name): \(gap)"); continue }
            let path = GoldenFile.path(root: golden, scale: collected.scale, experiment: e.name)
            let previous = FileManager.default.fileExists(atPath: path) ? try GoldenFile(path: path) : nil
            let (file, changes) = Golden.bless(collected, previous: previous)
            try writeAtomically(file.json.rendered(), to: path)
            print("\(path): \(changes.isEmpty ? "unchanged" : "\(changes.count) changed")")
            changes.prefix(40).forEach { print("  \($0)") }
            if changes.count > 40 { print("  … \(changes.count - 40) more") }
        }
    }
}

struct Figures: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render figures (PDF and PNG) from the stored results, skipping those that are up to date.")

    @Argument(help: "Figure or experiment names (default: all). See `paper-repro list`.")
    var names: [String] = []
    @OptionGroup var scale: ScaleOption
    @OptionGroup var store: StoreOptions
    @Option(help: "Directory for the PDF and PNG files.")
    var figures = "figures"
    @Flag(help: "Render even when the figure is up to date.")
    var force = false

    func validate() throws {
        let valid = FigureRendering.catalog.map(\.figure) + Registry.names
        for name in names where !valid.contains(name) {
            let sample = FigureRendering.catalog.map(\.figure).prefix(8).joined(separator: ", ")
            throw ValidationError("unknown figure '\(name)'; valid: \(sample), … or an experiment name (`paper-repro list`)")
        }
    }

    func run() throws {
        let selected = Set(names.flatMap { name in
            Registry.experiment(named: name)?.figures ?? [name]
        })
        let progress = ProgressBoard()
        let rendering = FigureRendering(store: ResultStore(directory: store.output), directory: figures, force: force)
        var failed = 0, upToDate = 0
        for outcome in rendering.render(Registry.all, scale: scale.scale, only: names.isEmpty ? nil : selected, progress: progress) {
            switch outcome {
            case let .written(name): print("written     \(figures)/\(name).pdf, .png")
            case .upToDate: upToDate += 1
            case let .failed(name, why): print("FAILED      \(name): \(why)"); failed += 1
            }
        }
        if upToDate > 0 { print("up to date  \(upToDate) figure\(upToDate == 1 ? "" : "s") in \(figures)/ (inputs unchanged)") }
        progress.stop()
        if failed > 0 { throw ExitCode(1) }
    }
}

/// Left-aligns a name in a 24-column field.
func pad(_ name: String) -> String { name.count < 24 ? name.padding(toLength: 24, withPad: " ", startingAt: 0) : name + "  " }

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
