// What `verify` found, kept beside the results so the report can show it without rerunning:
// <results>/checks/determinism-<scale>.json = {experiment: {content_hash, runs: [{run, stored, rerun}]}}.
// Each verify replaces the entries of the experiments it verified and keeps the others.

import Experiments
import Foundation
import Records

public struct DeterminismEntry: Sendable {
    /// `ExperimentResults.contentHash` when verified: a later change of the results makes it stale.
    public var contentHash: String
    public var runs: [(run: String, stored: String, rerun: String)]

    public init(contentHash: String, runs: [(run: String, stored: String, rerun: String)]) {
        self.contentHash = contentHash; self.runs = runs
    }

    public var identical: Bool { !runs.isEmpty && runs.allSatisfy { $0.stored == $0.rerun } }

    var json: JSON {
        .object([("content_hash", .string(contentHash)),
                 ("runs", .array(runs.map { .object([("run", .string($0.run)), ("stored", .string($0.stored)), ("rerun", .string($0.rerun))]) }))])
    }

    init?(json: JSON) {
        guard let hash = json["content_hash"]?.string, let runs = json["runs"]?.array else { return nil }
        var parsed: [(run: String, stored: String, rerun: String)] = []
        for r in runs {
            guard let run = r["run"]?.string, let stored = r["stored"]?.string, let rerun = r["rerun"]?.string else { return nil }
            parsed.append((run, stored, rerun))
        }
        self.init(contentHash: hash, runs: parsed)
    }
}

/// A run list's label as part of a file name ("default", "sweeps_mine.yaml").
func fileLabel(_ label: String) -> String {
    String(label.map { $0.isLetter || $0.isNumber || "-.".contains($0) ? $0 : "_" })
}

public enum DeterminismRecord {
    public static func path(_ store: ResultStore, label: String) -> String {
        store.directory.appendingPathComponent("checks/determinism-\(fileLabel(label)).json").path
    }

    /// The entries on file; a missing file is empty, a corrupt one an error naming it.
    public static func read(_ store: ResultStore, label: String) throws -> [String: DeterminismEntry] {
        let file = path(store, label: label)
        guard let data = FileManager.default.contents(atPath: file) else { return [:] }
        guard let json = try? JSON(parsing: String(decoding: data, as: UTF8.self)), let pairs = json.pairs else {
            throw PipelineError.corrupt(file, "not a determinism record")
        }
        var entries: [String: DeterminismEntry] = [:]
        for (name, value) in pairs {
            guard let entry = DeterminismEntry(json: value) else { throw PipelineError.corrupt(file, "entry \(name) is malformed") }
            entries[name] = entry
        }
        return entries
    }

    /// Replaces the entries of `updates`, keeping the others (a corrupt old file is replaced).
    public static func update(_ store: ResultStore, label: String, with updates: [String: DeterminismEntry]) throws {
        var entries = (try? read(store, label: label)) ?? [:]
        entries.merge(updates) { $1 }
        let json = JSON.object(entries.keys.sorted().map { ($0, entries[$0]!.json) })
        try writeAtomically(json.rendered(), to: path(store, label: label), under: store.directory.path)
    }
}
