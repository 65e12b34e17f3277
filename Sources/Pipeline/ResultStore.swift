// ResultStore: one JSON file per experiment under a directory (default figures/data/).
//
// File layout (schema 1): experiment, scale, config, config_hash, content_hash, summary, history,
// run (code version, wall time, thread count: everything that may differ between identical runs).
// content_hash = SHA-256 of the compact JSON of {config, summary, history}: two runs are
// bit-identical exactly when their content hashes are equal. Writes are atomic (temporary file in
// the same directory, then rename), so an interrupted run never leaves a partial result behind.

import Experiments
import Foundation

public let codeVersion = "0.1.0"

public struct StoredResult: Sendable {
    public var experiment: String
    public var scale: Scale
    public var config: JSON
    public var summary: JSON
    public var history: JSON
    public var seconds: Double
    public var iterations: Int

    public var configHash: String { SHA256.hex(config.compact()) }
    public var contentHash: String {
        SHA256.hex(JSON.object([("config", config), ("summary", summary), ("history", history)]).compact())
    }

    public init(experiment: String, scale: Scale, config: JSON, output: ExperimentOutput, seconds: Double) {
        self.experiment = experiment
        self.scale = scale
        self.config = config
        self.summary = output.summary
        self.history = output.history
        self.seconds = seconds
        self.iterations = output.iterations
    }

    var json: JSON {
        .object([
            ("schema", .int(1)),
            ("experiment", .string(experiment)),
            ("scale", .string(scale.rawValue)),
            ("config", config),
            ("config_hash", .string(configHash)),
            ("content_hash", .string(contentHash)),
            ("summary", summary),
            ("run", .object([("code_version", .string(codeVersion)), ("seconds", .number(seconds)),
                             ("iterations", .int(iterations))])),
            ("history", history),
        ])
    }

    init(json: JSON, source: String) throws {
        func field(_ key: String) throws -> JSON {
            guard let value = json[key] else { throw PipelineError.corrupt(source, "missing field '\(key)'") }
            return value
        }
        guard try field("schema").int == 1 else { throw PipelineError.corrupt(source, "unknown schema") }
        guard let name = try field("experiment").string, let scaleName = try field("scale").string,
              let scale = Scale(rawValue: scaleName) else { throw PipelineError.corrupt(source, "bad experiment or scale") }
        experiment = name
        self.scale = scale
        config = try field("config")
        summary = try field("summary")
        history = try field("history")
        let run = try field("run")
        seconds = run["seconds"]?.double ?? 0
        iterations = run["iterations"]?.int ?? 0
        // A file whose content no longer matches its recorded hash was edited or damaged.
        guard try field("content_hash").string == contentHash else {
            throw PipelineError.corrupt(source, "content hash mismatch (file edited or damaged)")
        }
    }
}

public enum PipelineError: Error, CustomStringConvertible {
    case corrupt(String, String)
    case io(String, String)
    case usage(String)

    public var description: String {
        switch self {
        case let .corrupt(path, why): "corrupt result file \(path): \(why)"
        case let .io(path, why): "cannot write \(path): \(why)"
        case let .usage(why): why
        }
    }
}

public struct ResultStore: Sendable {
    public let directory: URL

    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
    }

    public func path(_ experiment: String) -> String {
        directory.appendingPathComponent("\(experiment).json").path
    }

    /// nil when there is no file; throws `PipelineError.corrupt` for an unreadable one.
    public func load(_ experiment: String) throws -> StoredResult? {
        let path = path(experiment)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw PipelineError.corrupt(path, "unreadable") }
        do {
            return try StoredResult(json: JSON(parsing: String(decoding: data, as: UTF8.self)), source: path)
        } catch let error as JSONParseError {
            throw PipelineError.corrupt(path, error.description)
        }
    }

    public func save(_ result: StoredResult) throws {
        try writeAtomically(result.json.rendered(), to: path(result.experiment))
    }
}

/// Writes `text` to a temporary file beside `path`, flushes it, then renames it over `path`.
public func writeAtomically(_ text: String, to path: String) throws {
    try writeAtomically(Array(text.utf8), to: path)
}

/// Writes `bytes` to a temporary file beside `path`, flushes it, then renames it over `path`.
public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
        throw PipelineError.io(path, error.localizedDescription)
    }
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw PipelineError.io(path, String(cString: strerror(errno))) }
    var written = 0
    while written < bytes.count {
        let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        if n <= 0 {
            let reason = String(cString: strerror(errno))
            close(fd); unlink(temporary)
            throw PipelineError.io(path, reason)   // e.g. "No space left on device"
        }
        written += n
    }
    let synced = fsync(fd) == 0
    close(fd)
    guard synced, rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw PipelineError.io(path, reason)
    }
}
