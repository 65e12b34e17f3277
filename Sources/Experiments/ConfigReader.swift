// Typed reads of a run configuration (JSON), with the experiment and key named in every error:
// a result file whose configuration cannot be read is reported, never guessed at.

import Transformer

struct ConfigReader {
    let experiment: String
    let config: JSON

    private func field(_ key: String) throws -> JSON {
        guard let value = config[key] else { throw ExperimentError.badConfig(experiment, "missing '\(key)'") }
        return value
    }

    private func typed<T>(_ key: String, _ read: (JSON) -> T?, _ type: String) throws -> T {
        guard let value = read(try field(key)) else { throw ExperimentError.badConfig(experiment, "'\(key)' is not \(type)") }
        return value
    }

    func int(_ key: String) throws -> Int { try typed(key, \.int, "an integer") }
    func double(_ key: String) throws -> Double { try typed(key, \.double, "a number") }
    func bool(_ key: String) throws -> Bool { try typed(key, \.bool, "true or false") }

    func attention(_ key: String = "attention_type") throws -> AttentionKind {
        try typed(key, { $0.string.flatMap(AttentionKind.init(rawValue:)) }, "an attention kind")
    }

    func positional(_ key: String = "positional_type") throws -> Positional {
        try typed(key, { $0.string.flatMap(Positional.init(rawValue:)) }, "add, concat or no")
    }
}

/// A [layer][head] table of numbers as nested JSON arrays.
func table(_ rows: [[Double]]) -> JSON { .array(rows.map(JSON.doubles)) }

/// The [layer][head] table stored under `key` of a run summary.
func readTable(_ summary: JSON, _ key: String, experiment: String) throws -> [[Double]] {
    guard let rows = summary[key]?.array?.map({ $0.array?.compactMap(\.double) }), rows.allSatisfy({ $0 != nil }) else {
        throw ExperimentError.badRecords(experiment, "summary has no table '\(key)'")
    }
    return rows.map { $0! }
}
