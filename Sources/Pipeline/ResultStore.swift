// ResultStore: one self-describing JSON file per run under a directory (default figures/data/),
// named by the run's configuration, so that scales and sweeps that share a run share its file:
//   <dir>/<experiment>/<run name>.<first 12 hex digits of the config hash>.json
//
// File layout (schema 3): experiment, run, config, config_hash, content_hash, summary, history,
// run_info (code version, wall time, threads: everything that may differ between identical runs).
// content_hash = SHA-256 of the compact JSON of {config, summary, history}: two runs are
// bit-identical exactly when their content hashes are equal. Files of schema 2 (laid out per
// scale: <dir>/<experiment>.json, <dir>/<experiment>/<scale>/<run>.json) are still read where a
// run's new file does not exist yet. Writes are atomic (temporary file in the same directory, then
// rename), so an interrupted run never leaves a partial result.

import Experiments
import Foundation
import Records

public let codeVersion = "0.2.0"

public struct StoredResult: Sendable {
    public var experiment: String
    /// The run's name (`RunSpec.name`).
    public var run: String
    public var config: JSON
    public var summary: JSON
    public var history: JSON
    public var seconds: Double
    public var iterations: Int
    public var threads: Int

    public var configHash: String { SHA256.hex(config.compact()) }
    public var contentHash: String {
        SHA256.hex(JSON.object([("config", config), ("summary", summary), ("history", history)]).compact())
    }

    public init(_ spec: RunSpec, output: ExperimentOutput, seconds: Double, threads: Int = 1) {
        experiment = spec.experiment
        run = spec.name
        config = spec.config
        summary = output.summary
        history = output.history
        self.seconds = seconds
        iterations = output.iterations
        self.threads = threads
    }

    var json: JSON {
        .object([
            ("schema", .int(3)),
            ("experiment", .string(experiment)),
            ("run", .string(run)),
            ("config", config),
            ("config_hash", .string(configHash)),
            ("content_hash", .string(contentHash)),
            ("summary", summary),
            ("run_info", .object([("code_version", .string(codeVersion)), ("seconds", .number(seconds)),
                                  ("iterations", .int(iterations)), ("threads", .int(threads))])),
            ("history", history),
        ])
    }

    init(json: JSON, source: String) throws {
        func field(_ key: String) throws -> JSON {
            guard let value = json[key] else { throw PipelineError.corrupt(source, "missing field '\(key)'") }
            return value
        }
        guard let schema = try field("schema").int, [2, 3].contains(schema) else {
            throw PipelineError.foreign(source, "unknown schema (not a paper-repro result, or written by a newer one)")
        }
        guard let name = try field("experiment").string, let run = try field("run").string else {
            throw PipelineError.corrupt(source, "bad experiment or run")
        }
        experiment = name
        self.run = run
        config = try field("config")
        summary = try field("summary")
        history = try field("history")
        let info = try field("run_info")
        seconds = info["seconds"]?.double ?? 0
        iterations = info["iterations"]?.int ?? 0
        threads = info["threads"]?.int ?? 1
        // A file whose content no longer matches its recorded hash was edited or damaged.
        guard try field("content_hash").string == contentHash else {
            throw PipelineError.corrupt(source, "content hash mismatch (file edited or damaged)")
        }
    }
}

public struct ResultStore: Sendable {
    public let directory: URL

    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
    }

    public func path(_ spec: RunSpec) -> String {
        path(experiment: spec.experiment, run: spec.name, configHash: spec.configHash)
    }

    public func path(experiment: String, run: String, configHash: String) -> String {
        directory.appendingPathComponent("\(experiment)/\(run).\(configHash.prefix(12)).json").path
    }

    /// Where schema 2 kept the run: per experiment for single runs, per scale for sweeps.
    func legacyPaths(_ spec: RunSpec) -> [String] {
        [directory.appendingPathComponent("\(spec.experiment).json").path]
            + Scale.allCases.map { directory.appendingPathComponent("\(spec.experiment)/\($0.rawValue)/\(spec.name).json").path }
    }

    /// nil when there is no file; throws `PipelineError.corrupt` for an unreadable, damaged or
    /// misplaced one. A schema-2 file of the same configuration counts where no new file exists.
    public func load(_ spec: RunSpec) throws -> StoredResult? {
        let path = path(spec)
        guard FileManager.default.fileExists(atPath: path) else {
            for legacy in legacyPaths(spec) where FileManager.default.fileExists(atPath: legacy) {
                if let old = try? Self.read(legacy), old.experiment == spec.experiment, old.configHash == spec.configHash { return old }
            }
            return nil
        }
        let result = try Self.read(path)
        guard result.experiment == spec.experiment, result.configHash == spec.configHash else {
            throw PipelineError.foreign(path, "holds run \(result.experiment)/\(result.run) of configuration \(result.configHash.prefix(12)), not \(spec.experiment)/\(spec.name)")
        }
        return result
    }

    /// Reads one result file wherever it lies (for `merge`).
    public static func read(_ path: String) throws -> StoredResult {
        guard let data = FileManager.default.contents(atPath: path) else { throw PipelineError.corrupt(path, "unreadable") }
        do {
            return try StoredResult(json: JSON(parsing: String(decoding: data, as: UTF8.self)), source: path)
        } catch let error as JSONParseError {
            throw PipelineError.corrupt(path, error.description)
        }
    }

    public func save(_ result: StoredResult) throws {
        try writeAtomically(result.json.rendered(), to: path(experiment: result.experiment, run: result.run, configHash: result.configHash),
                            under: directory.path)
    }

    /// A run in progress leaves "<result path>.running" (host, pid, start time) until it is stored.
    func markerPath(_ spec: RunSpec) -> String { path(spec) + ".running" }

    func markRunning(_ spec: RunSpec) {
        let host = ProcessInfo.processInfo.hostName, pid = getpid()
        try? writeAtomically("\(host) pid \(pid) since \(ISO8601DateFormatter().string(from: Date()))\n", to: markerPath(spec), under: directory.path)
    }

    func clearMarker(_ spec: RunSpec) { unlink(markerPath(spec)) }

    /// The marker's text if the run is in progress: on this host only when its process is alive.
    public func activeMarker(_ spec: RunSpec) -> String? {
        guard let data = FileManager.default.contents(atPath: markerPath(spec)) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let words = text.split(separator: " ")
        if words.count >= 3, words[0] == ProcessInfo.processInfo.hostName, let pid = Int32(words[2]), kill(pid, 0) != 0 {
            return nil   // left behind by a killed run
        }
        return text
    }

    /// The stored state of every run of `specs` (the runs of `experiment` in the run list `label`).
    public func collect(_ experiment: String, specs: [RunSpec], label: String) -> ExperimentResults {
        var found: [String: StoredResult] = [:], problems: [String: String] = [:]
        for spec in specs {
            do {
                if let stored = try load(spec) { found[spec.id] = stored }
            } catch {
                problems[spec.id] = "\(error)"
            }
        }
        return ExperimentResults(experiment: experiment, label: label, specs: specs, stored: found, problems: problems)
    }

    /// The stored state of every run of a run list, per experiment.
    public func collect(_ runs: RunSet) -> [ExperimentResults] {
        runs.groups.map { collect($0.experiment.name, specs: $0.specs, label: runs.label) }
    }
}

/// Every run of one experiment in a run list: the stored ones, and what is wrong with the others.
public struct ExperimentResults: Sendable {
    public var experiment: String
    /// The run list: a scale name or a sweep file.
    public var label: String
    public var specs: [RunSpec]
    public var stored: [String: StoredResult]
    /// Run id → why its file cannot be used (corrupt, or another configuration).
    public var problems: [String: String]

    public init(experiment: String, label: String, specs: [RunSpec], stored: [String: StoredResult], problems: [String: String] = [:]) {
        self.experiment = experiment; self.label = label; self.specs = specs; self.stored = stored; self.problems = problems
    }

    public var isComplete: Bool { stored.count == specs.count }
    public var missing: [RunSpec] { specs.filter { stored[$0.id] == nil } }
    public var isSingleRun: Bool { specs.count == 1 && specs[0].id == experiment }

    /// The configuration hash of the run, or of the whole list of runs for a sweep.
    public var configHash: String {
        isSingleRun ? specs[0].configHash : SHA256.hex(specs.map(\.configHash).joined(separator: "\n"))
    }

    /// What the golden values address: the run's summary, or {run id: summary} for a sweep.
    public var summary: JSON {
        if isSingleRun { return stored[experiment]?.summary ?? .object([]) }
        return .object(specs.compactMap { spec in stored[spec.id].map { (spec.id, $0.summary) } })
    }

    /// Changes exactly when any stored run's content changes.
    public var contentHash: String {
        SHA256.hex(specs.map { stored[$0.id]?.contentHash ?? "missing" }.joined(separator: "\n"))
    }

    public var records: [RunRecord] {
        specs.compactMap { spec in
            stored[spec.id].map { RunRecord(id: spec.id, config: $0.config, summary: $0.summary, history: $0.history) }
        }
    }

    /// One line on what is missing, or nil when every run is stored.
    public var gap: String? {
        guard !isComplete else { return nil }
        let absent = missing
        var line = "\(absent.count) of \(specs.count) runs of \(experiment) (\(label)) not stored"
        if let first = absent.first { line += "; first: \(first.id)" + (problems[first.id].map { " (\($0))" } ?? "") }
        return line
    }
}
