// Sweeps split over shards and processes: sharding does not change a bit, merge finds every run
// exactly once, an interrupted run resumes, SLURM's and Kubernetes' task variables pick the shard.

import Experiments
import Foundation
@testable import Pipeline
import Testing
import Records

@Suite struct ShardTests {
    @Test func parsesOneBasedAndPartitionsRoundRobin() throws {
        let shard = try #require(Shard("2/3"))
        #expect(shard == Shard(index: 1, count: 3) && shard.description == "2/3")
        #expect(Shard("0/3") == nil && Shard("4/3") == nil && Shard("x") == nil && Shard("1/0") == nil)
        let items = Array(0..<10)
        let parts = (0..<3).map { Shard(index: $0, count: 3).select(items) }
        #expect(parts == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]])
    }

    @Test func readsSlurmAndKubernetesVariables() throws {
        #expect(try Shard.fromEnvironment([:]) == nil)
        #expect(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"]) == Shard(index: 2, count: 4))
        // --array=1-4: task ids start at SLURM_ARRAY_TASK_MIN.
        #expect(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"])
            == Shard(index: 3, count: 4))
        #expect(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "0", "SHARD_COUNT": "5"]) == Shard(index: 0, count: 5))
        #expect(throws: PipelineError.self) { try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_COUNT": "4"]) }
        #expect(throws: PipelineError.self) { try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "1"]) }
    }
}

@Suite struct SweepGridTests {
    @Test func gridsHaveThePaperSizesAndUniqueIds() throws {
        let expected: [(any Experiment, [Scale: Int])] = [
            (InductionSweep(), [.smoke: 6, .default: 132, .paper: 8640]),
            (ClassificationSweep(), [.smoke: 7, .default: 352, .paper: 12_960]),
            (AttentionMapsExperiment(), [.smoke: 3, .default: 3, .paper: 3]),
        ]
        for (experiment, sizes) in expected {
            for (scale, size) in sizes {
                let runs = try Sweeps.runs(scale: scale, experiments: [experiment]).specs
                #expect(runs.count == size, "\(experiment.name) \(scale)")
                #expect(Set(runs.map(\.id)).count == size, "\(experiment.name) \(scale): ids are not unique")
                #expect(runs.map(\.id) == runs.map(\.id).sorted())
                #expect(Set(runs.map { SHA256.hex($0.config.compact()) }).count == size, "\(experiment.name) \(scale): configurations repeat")
            }
        }
    }

    @Test func goldenPathsReachIntoRunIdsWithDots() {
        let summary = JSON.object([("softmax_aux0.2_lr0.001", .object([("acc", .number(0.5)), ("t", .doubles([1, 2]))]))])
        #expect(summary.value(at: "softmax_aux0.2_lr0.001.acc") == .number(0.5))
        #expect(summary.value(at: "softmax_aux0.2_lr0.001.t") == .doubles([1, 2]))
        #expect(summary.value(at: "softmax_aux0.2.acc") == nil)
        #expect(Golden.summaryPaths(summary) == ["softmax_aux0.2_lr0.001.acc", "softmax_aux0.2_lr0.001.t"])
    }
}

@Suite(.serialized) struct ShardedSweepTests {
    let scratch = ScratchFolder("paper-repro-sweep")
    var directory: String { scratch.path }
    let experiments = ["induction", "classification"]

    /// Every per-run file under `root`, keyed by its path below `root`, without the lines that may
    /// differ between identical runs (wall time, threads).
    func runFiles(_ root: String) throws -> [String: [Substring]] {
        var files: [String: [Substring]] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".json") else { continue }
            let text = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
            files[path] = text.split(separator: "\n").filter { !$0.contains("\"seconds\"") && !$0.contains("\"threads\"") }
        }
        return files
    }

    @Test func threeShardsEqualOneAndMergeBack() throws {
        let whole = try PaperReproBinary.run(["run"] + experiments + ["--scale", "smoke", "--output", directory + "/whole", "--jobs", "1"])
        #expect(whole.status == 0, "\(whole.error)")
        for i in 1...3 {
            // Shard 2 comes from SLURM's variables (task ids 0…2), the others from --shard.
            let shard = i == 2 ? [] : ["--shard", "\(i)/3"]
            let environment = i == 2 ? ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3"] : [:]
            let part = try PaperReproBinary.run(["run"] + experiments + ["--scale", "smoke", "--output", directory + "/shard\(i)", "--jobs", "2"] + shard,
                                                environment: environment)
            #expect(part.status == 0 && part.error.contains("shard \(i)/3: \(i == 1 ? 5 : 4) runs"), "\(part.error)")
        }
        let merge = try PaperReproBinary.run(["merge", directory + "/shard1", directory + "/shard2", directory + "/shard3",
                                              "--experiment", "induction", "--experiment", "classification",
                                              "--scale", "smoke", "--output", directory + "/merged"])
        #expect(merge.status == 0 && merge.output.contains("13 runs present, 13 copied") && merge.output.contains("verdict: complete"), "\(merge.output)")
        let a = try runFiles(directory + "/whole"), b = try runFiles(directory + "/merged")
        #expect(a.count == 13 && a == b, "sharded results differ from the unsharded ones")
        #expect(try PaperReproBinary.run(["check"] + experiments + ["--scale", "smoke", "--output", directory + "/merged"]).status == 0)

        // Merging two shards only: the missing runs are listed and the merge fails; a shard given
        // twice lists its runs as duplicates.
        let partial = try PaperReproBinary.run(["merge", directory + "/shard1", directory + "/shard1", directory + "/shard3",
                                                "--experiment", "induction", "--scale", "smoke", "--output", directory + "/partial"])
        #expect(partial.status == 1 && partial.output.contains("MISSING    2 runs of induction"), "\(partial.output)")
        #expect(partial.output.contains("duplicate  induction/") && partial.output.contains("verdict: INCOMPLETE"))
    }

    @Test func killedRunResumesWithoutPartialFiles() throws {
        let output = directory + "/killed"
        let process = Process()
        process.executableURL = PaperReproBinary.url
        process.arguments = ["run", "classification", "--scale", "smoke", "--output", output, "--jobs", "1"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Kill it while a run is observably in flight: its `.running` marker exists.
        func markers() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: output + "/classification")) ?? []).filter { $0.hasSuffix(".running") }
        }
        let deadline = Date().addingTimeInterval(120)
        while markers().isEmpty && process.isRunning && Date() < deadline { usleep(1000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let inFlight = markers()
        try #require(!inFlight.isEmpty, "no run was in flight when the process was killed")
        // Whatever was finished is a whole, valid file; the rest is pending (the killed run's marker is stale).
        let status = try PaperReproBinary.run(["status", "classification", "--scale", "smoke", "--output", output])
        #expect(status.status == 0 && !status.output.contains("    failed   ") && !status.output.contains("    running  "), "\(status.output)")
        let resumed = try PaperReproBinary.run(["run", "classification", "--scale", "smoke", "--output", output, "--jobs", "1"])
        #expect(resumed.status == 0, "\(resumed.error)")
        // "<run name>.<config hash>.json.running" → the run's name.
        let file = inFlight[0].dropLast(".json.running".count), killed = file[..<file.lastIndex(of: ".")!]
        #expect(resumed.output.contains("ran     classification/\(killed) "), "the killed run \(killed) was not run again: \(resumed.output)")
        // The resumed results are bit for bit those of an uninterrupted run.
        let whole = directory + "/uninterrupted"
        #expect(try PaperReproBinary.run(["run", "classification", "--scale", "smoke", "--output", whole, "--jobs", "1"]).status == 0)
        func hashes(_ root: String) throws -> [String: String] {
            var found: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: root + "/classification") where name.hasSuffix(".json") {
                found[name] = try ResultStore.read(root + "/classification/" + name).contentHash
            }
            return found
        }
        let resumedHashes = try hashes(output), wholeHashes = try hashes(whole)
        #expect(resumedHashes.count == 7 && resumedHashes == wholeHashes)
    }
}
