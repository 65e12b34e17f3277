// Reading the [layer][head] tables of a run summary (written with `JSON.matrix`).

import Records

/// The [layer][head] table stored under `key` of a run summary.
public func readTable(_ summary: JSON, _ key: String, experiment: String) throws -> [[Double]] {
    guard let rows = summary[key]?.array?.map({ $0.array?.compactMap(\.double) }), rows.allSatisfy({ $0 != nil }) else {
        throw ExperimentError.badRecords(experiment, "summary has no table '\(key)'")
    }
    return rows.map { $0! }
}
