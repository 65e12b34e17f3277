// paper-repro bench and bench-transformer: timings (nothing is stored).

import ArgumentParser
import Experiments
import Foundation
import Pipeline
import SIMDCore
import Transformer

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the toy experiments of Sec. 3 at the paper scale (nothing is stored).")

    @Option(help: "Worker threads for the all-experiments wall time.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        try check("--jobs", jobs, in: 1...4096)
    }

    func run() throws {
        let progress = ProgressBoard(quiet: true)
        let store = ResultStore(directory: NSTemporaryDirectory())
        print("experiment              iterations      seconds   ns/iteration")
        var serial = 0.0
        let toys = Registry.all.filter { $0 is any SingleRunExperiment && $0.section.hasPrefix("Sec. 3") }
        let runs = try Sweeps.runs(scale: .paper, experiments: toys)
        for (e, specs) in runs.groups {
            let runner = Runner(jobs: 1, store: store, force: true)
            guard case let .ran(r) = runner.runOne(specs[0], of: e, progress: progress, save: false) else { continue }
            serial += r.seconds
            print(pad(e.name)
                + String(format: "%10d  %11.3f  %13.1f", r.iterations, r.seconds, r.seconds * 1e9 / Double(r.iterations)))
        }
        let start = Date()
        _ = Runner(jobs: jobs, store: store, force: true).run(runs, progress: progress, save: false)
        let wall = Date().timeIntervalSince(start)
        print(String(format: "sum of the above (1 thread): %.3f s", serial))
        print(String(format: "all experiments, %d jobs, wall time: %.3f s", jobs, wall))
    }
}

struct BenchTransformer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-transformer",
        abstract: "Time one training step of the induction and classification base configurations and of the Fig. 7 language model.",
        discussion: """
        With --torch PYTHON, also runs Tests/Reference/torch_transformer.py (the same model in PyTorch) \
        with that interpreter for each thread count, and prints the ratio side by side (induction and \
        classification). Timings, the profile and what they mean: docs/performance.md.
        """)

    @Option(help: "Timed steps per case (the median is reported).")
    var steps = 20

    @Option(parsing: .upToNextOption, help: "Thread counts to time.")
    var threads: [Int] = [1, 2]

    @Option(help: "A Python interpreter with torch installed, to time PyTorch in the same run.")
    var torch: String?

    @Option(parsing: .upToNextOption, help: "Cases to time (default: all): \(BenchTransformer.allCases.map(\.name).joined(separator: ", ")).")
    var cases: [String] = BenchTransformer.allCases.map(\.name)

    @Option(help: "The GEMM micro-kernel's vectors (default: the widest this processor runs). The FMA peak is measured on the same vectors.")
    var vectors = GEMM.widest

    @Flag(help: "Also print where each step's time goes: GEMM, attention, elementwise, bias column sums, optimizer, and the fork/join count and cost.")
    var profile = false

    func validate() throws {
        try check("--steps", steps, in: 1...100_000)
        for count in threads { try check("--threads", count, in: 1...1024) }
        let names = Self.allCases.map(\.name)
        for name in cases where !names.contains(name) {
            throw ValidationError("--cases: unknown case '\(name)'\(Suggest.didYouMean(name, in: names)); valid: \(names.joined(separator: ", "))")
        }
        if vectors == .avx512 && GEMM.widest != .avx512 {
            throw ValidationError("--vectors avx512: this processor (or its OS) does not run AVX-512 (F, CD, BW, DQ, VL); use avx2")
        }
        if let torch, !FileManager.default.isExecutableFile(atPath: torch) {
            throw ValidationError("--torch: '\(torch)' is not an executable file")
        }
    }

    static let allCases = [BenchmarkCase.induction, .classification, .languageModel]
    var selected: [BenchmarkCase] { Self.allCases.filter { cases.contains($0.name) } }

    func run() throws {
        GEMM.vectors = vectors
        // The peak is measured before and after the cases, best of 5 trials each; the larger is used.
        let before = Dictionary(uniqueKeysWithValues: threads.map { ($0, TrainingBenchmark.fmaPeak(threads: $0, trials: 5, vectors: vectors)) })
        var peaks = before.mapValues(\.best)
        let reference = try torch.map { try torchTimes($0) } ?? [:]
        var rows: [(name: String, threads: Int, ms: Double, rate: Double)] = [], memory: Double?
        for c in selected {
            let flops = TrainingBenchmark.flopsPerStep(c)
            for t in threads {
                let ms = TrainingBenchmark.millisecondsPerStep(c, threads: t, steps: steps)
                rows.append((c.name, t, ms, flops / ms / 1e6))
            }
            if c.name == "induction" { memory = TrainingBenchmark.peakResidentMegabytes() }
        }
        var notes: [String] = []
        for t in threads {
            let after = TrainingBenchmark.fmaPeak(threads: t, trials: 5, vectors: vectors)
            let trials = before[t]!.trials + after.trials
            peaks[t] = max(peaks[t]!, after.best)
            notes.append(String(format: "FMA peak (%@ vectors), %d thread%@: best %.0f GFLOP/s (before the cases %.0f, after %.0f; trials %@)", vectors.rawValue, t, t == 1 ? "" : "s",
                                peaks[t]!, before[t]!.best, after.best, trials.map { String(format: "%.0f", $0) }.joined(separator: " ")))
            if trials.min()! / trials.max()! < 0.8 || abs(before[t]!.best - after.best) > 0.1 * peaks[t]! {
                notes.append("warning: the machine was busy while the \(t)-thread peak was measured (its trials differ by more than 10-20 %); its % of peak is not reliable")
            }
        }
        print("case            threads   ms/step   GFLOP/s   % of FMA peak (peak)" + (torch == nil ? "" : "   torch ms   speed-up"))
        for row in rows {
            var line = row.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "%7d  %8.2f  %8.1f   %5.1f %% (%.0f)", row.threads, row.ms, row.rate, 100 * row.rate / peaks[row.threads]!, peaks[row.threads]!)
            if let theirs = reference["\(row.name) \(row.threads)"] { line += String(format: "   %8.2f   %7.2f×", theirs, theirs / row.ms) }
            print(line)
        }
        if let memory { print(String(format: "peak resident memory after the induction steps: %.0f MB (limit 200 MB)", memory)) }
        notes.forEach { print($0) }
        if profile { printProfile() }
    }

    /// Per-phase milliseconds per step (timed on the calling thread around whole operations, their
    /// parallel regions included) and the fork/join regions per step with their measured cost.
    func printProfile() {
        print("\nwhere a step's time goes (\(steps) steps; ms per step, share of the step)")
        let columns = StepPhase.allCases.map(\.name) + ["other"]
        print("case            threads   total  " + columns.map { $0.padding(toLength: 18, withPad: " ", startingAt: 0) }.joined()
              + "regions  fork/join cost")
        let cost = Dictionary(uniqueKeysWithValues: threads.map { ($0, TrainingBenchmark.regionCost(threads: $0)) })
        for c in selected {
            for t in threads {
                let p = TrainingBenchmark.profile(c, threads: t, steps: steps)
                let timed = StepPhase.allCases.map { p.phases[$0] ?? 0 }
                let cells = (timed + [max(0, p.total - timed.reduce(0, +))]).map {
                    String(format: "%7.2f (%4.1f %%)", $0, 100 * $0 / p.total).padding(toLength: 18, withPad: " ", startingAt: 0)
                }
                let regions = t == 1 ? "      –  –" : String(format: "%7.0f  %.2f ms (%.1f µs each, %.1f %%)", p.regions, p.regions * cost[t]! / 1000,
                                                           cost[t]!, 100 * p.regions * cost[t]! / 1000 / p.total)
                print(c.name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%7d  %6.2f  ", t, p.total) + cells.joined() + regions)
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


extension GEMM.Vectors: ExpressibleByArgument {}
