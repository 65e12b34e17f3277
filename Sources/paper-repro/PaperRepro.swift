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
        Cluster sweeps: `run --shard i/n`, `status`, `merge`, `plan --print-commands` (docs/cluster.md).
        Exit status: 0 success, 1 a check or verification failed, 2 bad usage. --version: version and git commit.
        """,
        subcommands: [List.self, Run.self, Check.self, Verify.self, Bless.self, Figures.self, Status.self, Plan.self, Merge.self, Table.self, ReportCommand.self, Bench.self, BenchTransformer.self, TrainInduction.self, TrainClassification.self])
}

/// Options shared by the commands that read or write results.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Directory of the result files.")
    var output = "figures/data"
}

/// Where the runs come from: a built-in scale (sweeps/<scale>/) or a sweep file.
struct SourceOptions: ParsableArguments {
    @Option(help: "smoke (seconds, for tests), default (what paper-repro.sh runs) or paper (the authors' grids): the sweep files in sweeps/<scale>/.")
    var scale: Scale?
    @Option(help: "A W&B grid sweep file (YAML) to use instead of a built-in scale; read at run time.")
    var sweep: String?

    func validate() throws {
        if scale != nil && sweep != nil { throw ValidationError("--scale and --sweep exclude each other") }
    }

    /// The runs of `experiments` (nil: all, or those the sweep file names) with `overrides` put in.
    func runs(_ experiments: [any Experiment]?, overrides: [Override]) throws -> RunSet {
        do {
            if let sweep { return try Sweeps.runs(file: sweep, experiments: experiments, overrides: overrides) }
            return try Sweeps.runs(scale: scale ?? .default, experiments: experiments ?? Registry.all, overrides: overrides)
        } catch let error as SweepError {
            throw ValidationError(error.description)
        }
    }
}

/// Experiment names and `key=value` overrides as positional arguments, and where the runs come from.
struct RunSelection: ParsableArguments {
    @Argument(help: "Experiments (default: all, or those the --sweep file names) and key=value overrides; a comma list expands the grid (e.g. induction seed=0,1 num_epochs=10). See `paper-repro list`.")
    var words: [String] = []
    @OptionGroup var source: SourceOptions

    func validate() throws {
        for word in words {
            if try parsedOverride(word) != nil { continue }
            guard Registry.experiment(named: word) != nil else {
                throw ValidationError("unknown experiment '\(word)'\(Suggest.didYouMean(word, in: Registry.names)); valid: \(Registry.names.joined(separator: ", "))")
            }
        }
    }

    var names: [String] { words.filter { !$0.contains("=") } }
    var overrides: [Override] { words.compactMap { try? Override($0) } }

    /// The selected runs; a bad sweep file or override is a usage error (exit 2) naming what is wrong.
    func runs() throws -> RunSet {
        try source.runs(names.isEmpty ? nil : names.compactMap(Registry.experiment(named:)), overrides: overrides)
    }
}

func parsedOverride(_ word: String) throws -> Override? {
    do { return try Override(word) } catch { throw ValidationError("\(error)") }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the experiments, their figures and their cost.")

    @OptionGroup var selection: RunSelection

    func run() throws {
        let runs = try selection.runs()
        print("experiment              section            runs   est. time (1 core)  figures")
        for (e, specs) in runs.groups {
            let figures = e.figures.count > 4 ? "\(e.figures.prefix(2).joined(separator: ", ")), … (\(e.figures.count) figures)"
                : e.figures.joined(separator: ", ")
            print(pad(e.name)
                + e.section.padding(toLength: 19, withPad: " ", startingAt: 0)
                + String(specs.count).padding(toLength: 7, withPad: " ", startingAt: 0)
                + duration(specs.reduce(0) { $0 + $1.estimatedSeconds }).padding(toLength: 20, withPad: " ", startingAt: 0)
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

    @OptionGroup var selection: RunSelection
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
    @Flag(help: "Print the number of runs, a few run ids and the estimated time; compute nothing.")
    var dryRun = false

    func validate() throws {
        try check("--jobs", jobs, in: 1...4096)
    }

    func run() throws {
        let runs = try selection.runs()
        let shard: Shard
        do { shard = try self.shard ?? Shard.fromEnvironment() ?? .all } catch { throw ValidationError("\(error)") }
        let runner = Runner(jobs: jobs, store: ResultStore(directory: store.output), force: force, shard: shard)
        if dryRun {
            let planned = runner.plan(runs)
            let seconds = planned.reduce(0) { $0 + $1.estimatedSeconds }
            print("\(planned.count) runs (\(runs.label)\(shard == .all ? "" : ", shard \(shard)")), about \(duration(seconds)) on one core of the reference machine")
            for e in runs.experiments {
                let mine = planned.filter { $0.experiment == e.name }
                guard !mine.isEmpty else { continue }
                print("  \(pad(e.name))\(mine.count) runs, e.g. \(mine.prefix(3).map(\.id).joined(separator: ", "))\(mine.count > 3 ? ", …" : "")")
            }
            return
        }
        try requireWritable(store.output)
        let progress = ProgressBoard()
        if shard != .all { progress.say("shard \(shard): \(runner.plan(runs).count) runs") }
        let start = Date()
        let outcomes = runner.run(runs, progress: progress)
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
        abstract: "Compare stored results with the golden values; exit 1 on any failure.",
        discussion: "Also prints the verdict of each of the paper's claims the results can decide (CLAIM holds / fails / undecided, docs/spec.md §12); a claim that fails is a finding and does not change the exit status.")

    @OptionGroup var selection: RunSelection
    @OptionGroup var store: StoreOptions
    @Option(help: "Directory of the golden files.")
    var golden = "golden"
    @Flag(help: "Require every value to have the golden value's bits, whatever its tolerance (bit-for-bit reproduction on the blessing machine).")
    var exact = false

    func run() throws {
        let runs = try selection.runs(), results = ResultStore(directory: store.output)
        let lines = Golden.checkAll(runs, store: results, goldenRoot: golden, exact: exact)
        lines.forEach { print($0.text) }
        // The paper's claims: findings, printed with the golden check but not part of its verdict.
        ClaimChecks.run(runs, store: results).forEach { print($0.line) }
        let failures = lines.filter { !$0.passed }.count
        print("\(lines.count - failures) passed, \(failures) failed")
        // PASS means something was compared.
        guard !lines.isEmpty else { print("verdict: FAIL (nothing was compared)"); throw ExitCode(1) }
        print(failures == 0 ? "verdict: PASS (\(lines.count) quantities)" : "verdict: FAIL")
        if failures > 0 { throw ExitCode(1) }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rerun stored runs and confirm the results are bit-identical.",
        discussion: "Every single-run experiment is rerun; of a sweep, --runs runs spread evenly over its sorted run list.")

    @OptionGroup var selection: RunSelection
    @OptionGroup var store: StoreOptions
    @Option(help: "Runs rerun in parallel.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Runs rerun per sweep.")
    var runs = 2

    func validate() throws {
        try check("--jobs", jobs, in: 1...4096)
        try check("--runs", runs, in: 1...1_000_000)
    }

    func run() throws {
        let list = try selection.runs()
        try requireWritable(store.output)
        let progress = ProgressBoard()
        let outcome = try Verification.run(list, store: ResultStore(directory: store.output), jobs: jobs, runsPerSweep: runs, progress: progress)
        progress.stop()
        outcome.lines.forEach { print($0) }
        print("verdict: \(outcome.verdict)")
        if !outcome.passed { throw ExitCode(1) }
    }
}

struct Bless: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rewrite the golden values from the stored results (keeps tolerances; prints what changed).",
        discussion: "Commit a blessed golden file only with a reason in the commit message.")

    @OptionGroup var selection: RunSelection
    @OptionGroup var store: StoreOptions
    @Option(help: "Directory of the golden files.")
    var golden = "golden"

    func run() throws {
        let list = try selection.runs()
        guard let scale = list.scale else { throw ValidationError("bless writes golden/<scale>/: give --scale, not --sweep") }
        try requireWritable(golden)
        let results = ResultStore(directory: store.output)
        for collected in results.collect(list) {
            if let gap = collected.gap { print("skip \(collected.experiment): \(gap)"); continue }
            // The golden file of the same configuration wherever it is (the toy experiments' default
            // runs are their paper runs), else golden/<scale>/.
            let existing = try Golden.file(for: collected, goldenRoot: golden)
            let path = existing?.path ?? GoldenFile.path(root: golden, scale: scale, experiment: collected.experiment)
            let previous = try existing?.file ?? (FileManager.default.fileExists(atPath: path) ? GoldenFile(path: path) : nil)
            let (file, changes) = Golden.bless(collected, previous: previous)
            try writeAtomically(file.json.rendered(), to: path, under: golden)
            print("\(path): \(changes.isEmpty ? "unchanged" : "\(changes.count) changed")")
            changes.prefix(40).forEach { print("  \($0)") }
            if changes.count > 40 { print("  … \(changes.count - 40) more") }
        }
    }
}

struct Figures: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render figures (PDF and PNG by default) from the stored results, skipping those that are up to date.")

    @Argument(help: "Figure or experiment names (default: all) and key=value overrides. See `paper-repro list`.")
    var words: [String] = []
    @OptionGroup var source: SourceOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "Directory for the PDF and PNG files.")
    var figures = "figures"
    @Flag(help: "Render even when the figure is up to date.")
    var force = false
    @Flag(help: "Draw a sweep that is not complete: each bar marked with the runs it averages (n of N) and, for n ≥ 2, a 95 % bootstrap interval.")
    var partial = false
    @Option(help: "Output formats, comma-separated: pdf, png, svg.")
    var format = "pdf,png"
    @Option(help: "PNG resolution in dots per inch (36…1200).")
    var dpi = 300
    @Flag(help: "Keep the nominal page instead of cropping to the drawn content plus 0.02 in (the authors' bbox_inches=\"tight\").")
    var noCrop = false
    @Option(help: "Also write each drawn figure's layout (axes boxes, limits, labelled ticks, legend box) as DIR/<figure>.json.")
    var layoutJson: String?

    var names: [String] { words.filter { !$0.contains("=") } }

    func validate() throws {
        let valid = FigureRendering.catalog.map(\.figure) + Registry.names
        for name in words where try parsedOverride(name) == nil && !valid.contains(name) {
            throw ValidationError("unknown figure or experiment '\(name)'\(Suggest.didYouMean(name, in: valid)); see `paper-repro list`")
        }
        _ = try formats()
        try check("--dpi", dpi, in: 36...1200)
    }

    func formats() throws -> [FigureFormat] {
        let names = format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let valid = FigureFormat.allCases.map(\.rawValue)
        var chosen: [FigureFormat] = []
        for name in names {
            guard let f = FigureFormat(rawValue: name) else {
                throw ValidationError("unknown format '\(name)'\(Suggest.didYouMean(name, in: valid)); valid: \(valid.joined(separator: ", "))")
            }
            if !chosen.contains(f) { chosen.append(f) }
        }
        guard !chosen.isEmpty else { throw ValidationError("--format needs at least one of \(valid.joined(separator: ", "))") }
        return chosen
    }

    func run() throws {
        let selected = Set(names.flatMap { name in Registry.experiment(named: name)?.figures ?? [name] })
        let owners = names.isEmpty ? nil : Registry.all.filter { !Set($0.figures).isDisjoint(with: selected) }
        let runs = try source.runs(owners, overrides: words.compactMap { try? Override($0) })
        try requireWritable(figures)
        if let layouts = layoutJson { try requireWritable(layouts) }
        let progress = ProgressBoard()
        var rendering = FigureRendering(store: ResultStore(directory: store.output), directory: figures, force: force)
        rendering.formats = try formats()
        rendering.dpi = Double(dpi)
        rendering.crop = !noCrop
        rendering.layoutDirectory = layoutJson
        var failed = 0, upToDate = 0
        for outcome in rendering.render(runs, only: names.isEmpty ? nil : selected, partial: partial, progress: progress) {
            switch outcome {
            case let .written(name): print("written     \(figures)/\(name).\(rendering.formats.map(\.rawValue).joined(separator: ", ."))")
            case .upToDate: upToDate += 1
            case let .failed(name, why): print("FAILED      \(name): \(why)"); failed += 1
            }
        }
        if upToDate > 0 { print("up to date  \(upToDate) figure\(upToDate == 1 ? "" : "s") in \(figures)/ (inputs unchanged)") }
        progress.stop()
        if failed > 0 { throw ExitCode(1) }
    }
}

/// A numeric option in its range, else a usage error (exit 2) naming it.
func check(_ option: String, _ value: Int, in range: ClosedRange<Int>) throws {
    guard range.contains(value) else {
        throw ValidationError("\(option) must be in \(range.lowerBound)...\(range.upperBound), not \(value)")
    }
}

/// Checks before any computation that each folder can be created and written and has room;
/// otherwise says why and exits 1, nothing computed.
func requireWritable(_ directories: String...) throws {
    for directory in directories {
        do { try preflight(directory) } catch {
            FileHandle.standardError.write(Data("paper-repro: \(error); nothing was computed\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// Left-aligns a name in a 24-column field.
func pad(_ name: String) -> String { name.count < 24 ? name.padding(toLength: 24, withPad: " ", startingAt: 0) : name + "  " }

@main
enum Main {
    /// A mistyped option is named with the closest valid one, before the positional names are
    /// checked (else `run --scal smoke` would read as an unknown experiment 'smoke').
    static func unknownOption(_ arguments: [String]) -> String? {
        guard let name = arguments.first,
              let command = PaperRepro.configuration.subcommands.first(where: { $0._commandName == name }) else { return nil }
        let help = command.helpMessage(columns: 1000)
        let known = Set(help.matches(of: /--[a-z][a-z-]*/).map { String($0.output) } + ["--help", "--version"])
        for argument in arguments.dropFirst().prefix(while: { $0 != "--" }) where argument.hasPrefix("--") {
            let option = String(argument.split(separator: "=", maxSplits: 1)[0])
            if !known.contains(option) {
                return "unknown option '\(option)'\(Suggest.didYouMean(option, in: known.sorted()))"
            }
        }
        return nil
    }

    static func main() {
        if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
            print("paper-repro \(codeVersion), \(MachineDescription.gitDescription())")
            exit(0)
        }
        if let problem = unknownOption(Array(CommandLine.arguments.dropFirst())) {
            FileHandle.standardError.write(Data("paper-repro: \(problem) (see paper-repro --help)\n".utf8))
            exit(2)
        }
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
