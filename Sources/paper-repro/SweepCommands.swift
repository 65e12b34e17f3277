// paper-repro status, plan and merge: a sweep split over shards, machines or cluster tasks.

import ArgumentParser
import Experiments
import Foundation
import Pipeline
import Records

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show done / running / pending / failed runs per experiment and the time still needed.")

    @OptionGroup var selection: RunSelection
    @OptionGroup var store: StoreOptions

    func run() throws {
        let list = try selection.runs()
        let results = ResultStore(directory: store.output)
        print(pad("experiment") + ["runs", "done", "running", "pending", "failed"].map { $0.leftPadded(to: 7) }.joined(separator: "  ")
            + "   still needed (1 core)")
        let rows = ExperimentStatus.of(list, in: results)
        for row in rows {
            print(pad(row.experiment) + [row.runs, row.done, row.running.count, row.pending, row.failed.count]
                .map { String($0).leftPadded(to: 7) }.joined(separator: "  ") + "   " + duration(row.secondsNeeded))
            for (spec, marker) in row.running { print("    running  \(label(spec))  (\(marker))") }
            for (id, why) in row.failed.prefix(10) { print("    failed   \(row.experiment)/\(id): \(why)") }
        }
        let remaining = rows.reduce(0) { $0 + $1.secondsNeeded }, failedTotal = rows.reduce(0) { $0 + $1.failed.count }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("still needed: \(duration(remaining)) on one core of the reference machine, about \(duration(remaining / Double(cores))) on this machine's \(cores) cores")
        if failedTotal > 0 { print("failed runs are rerun by `paper-repro run` (their files are replaced)") }
    }
}

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split the runs into shards and show their cost; with --print-commands, one command line per shard.",
        discussion: "Example: paper-repro plan induction --scale paper --shards 64 --print-commands | parallel -j 8")

    @OptionGroup var selection: RunSelection
    @OptionGroup var store: StoreOptions
    @Option(help: "Number of shards.")
    var shards = 1
    @Flag(help: "Print one `paper-repro run` command per shard (for GNU parallel or a batch system).")
    var printCommands = false

    func validate() throws {
        try check("--shards", shards, in: 1...100_000)
    }

    func run() throws {
        let list = try selection.runs()
        // The running binary by its absolute path, every argument shell-quoted.
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let output = URL(fileURLWithPath: store.output).standardizedFileURL.path
        let selector = list.scale.map { ["--scale", $0.rawValue] } ?? ["--sweep", URL(fileURLWithPath: list.label).standardizedFileURL.path]
        for i in 0..<shards {
            let shard = Shard(index: i, count: shards)
            if printCommands {
                let words = [binary, "run"] + selection.words + selector + ["--output", output, "--shard", "\(shard)", "--jobs", "1"]
                print(words.map(shellQuoted).joined(separator: " "))
            } else {
                let runs = Runner(jobs: 1, store: ResultStore(directory: store.output), shard: shard).plan(list)
                print("shard \(shard): \(runs.count) runs, about \(duration(runs.reduce(0) { $0 + $1.estimatedSeconds })) on one core")
            }
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Gather the per-run files of several result directories into one; list missing and duplicated runs.",
        discussion: "Exit status 1 when a run is missing, corrupt, or stored twice with different content.")

    @Argument(help: "Result directories written by the shards.")
    var sources: [String]
    @Option(name: .customLong("experiment"), help: "Only these experiments (repeatable; default: all).")
    var experiments: [String] = []
    @OptionGroup var source: SourceOptions
    @Option(help: "The merged directory.")
    var output = "figures/data"

    func validate() throws {
        for name in experiments where Registry.experiment(named: name) == nil {
            throw ValidationError("unknown experiment '\(name)'; valid: \(Registry.names.joined(separator: ", "))")
        }
        for source in sources where !FileManager.default.fileExists(atPath: source) {
            throw ValidationError("no such directory: \(source)")
        }
    }

    func run() throws {
        try requireWritable(output)
        let list = try source.runs(experiments.isEmpty ? nil : experiments.compactMap(Registry.experiment(named:)), overrides: [])
        let outcome = try Merging.run(list, sources: sources.map { ResultStore(directory: $0) }, into: ResultStore(directory: output))
        outcome.lines.forEach { print($0) }
        print("verdict: \(outcome.verdict)")
        if !outcome.passed { throw ExitCode(1) }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

struct Table: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the stored runs of one experiment as a tidy table (CSV or JSON Lines).",
        discussion: """
        One row per run: run id, every config key, every summary scalar; [layer][head] tables as columns
        such as rel_attn_bos_global.l1.h0, or with --long one row per layer × head. Non-finite numbers are
        empty CSV fields (null in JSON Lines). Example: pandas.read_csv(io.StringIO(out)) or
        paper-repro table induction --format csv > runs.csv
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, jsonl }

    @OptionGroup var selection: RunSelection
    @OptionGroup var store: StoreOptions
    @Option(help: "csv or jsonl.")
    var format: Format = .csv
    @Flag(help: "One row per run × layer × head for the [layer][head] tables.")
    var long = false

    func validate() throws {
        guard selection.names.count == 1 else { throw ValidationError("table takes exactly one experiment, e.g. `paper-repro table induction`") }
    }

    func run() throws {
        let list = try selection.runs()
        let results = ResultStore(directory: store.output).collect(list)[0]
        let table = Pipeline.Table(results, long: long)
        print(format == .csv ? table.csv : table.jsonLines, terminator: "")
        if !results.isComplete {
            FileHandle.standardError.write(Data("table: \(results.gap ?? ""); they are not in the table\n".utf8))
        }
    }
}
