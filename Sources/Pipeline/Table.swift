// Tidy tables of stored runs: one row per run (or per run × layer × head), the configuration's keys
// and the summary's scalars as columns, for pandas, R or a spreadsheet.
//
// Columns: run, then every config key, then every summary scalar. A [layer][head] table of the
// summary becomes columns "<key>.l<layer>.h<head>" (or, long, one row per layer × head with
// columns layer, head, <key>); another list becomes "<key>[<i>]". CSV writes non-finite numbers as
// empty fields; JSON Lines writes them as null.

import Experiments
import Records

public struct Table: Sendable {
    public var columns: [String]
    public var rows: [[JSON]]

    /// The table of the stored runs of `results` (runs not stored are left out).
    public init(_ results: ExperimentResults, long: Bool) {
        var columns: [String] = ["run"], rows: [[String: JSON]] = []
        func add(_ column: String) { if !columns.contains(column) { columns.append(column) } }
        for spec in results.specs {
            guard let stored = results.stored[spec.id] else { continue }
            var row: [String: JSON] = ["run": .string(spec.id)]
            for (key, value) in stored.config.pairs ?? [] { row[key] = value.isScalar ? value : .string(value.compact()); add(key) }
            var tables: [(key: String, rows: [[JSON]])] = []
            for (key, value) in stored.summary.pairs ?? [] {
                if value.isScalar { row[key] = value; add(key); continue }
                let items = value.array ?? []
                if !items.isEmpty, items.allSatisfy({ $0.array?.allSatisfy(\.isScalar) == true }) {
                    tables.append((key, items.map { $0.array! }))
                } else if items.allSatisfy(\.isScalar) {
                    for (i, item) in items.enumerated() { row["\(key)[\(i)]"] = item; add("\(key)[\(i)]") }
                }
            }
            if long && !tables.isEmpty {
                let cells = Set(tables.flatMap { t in t.rows.enumerated().flatMap { l, heads in heads.indices.map { [l, $0] } } })
                for cell in cells.sorted(by: { ($0[0], $0[1]) < ($1[0], $1[1]) }) {
                    var expanded = row
                    expanded["layer"] = .int(cell[0]); expanded["head"] = .int(cell[1])
                    for t in tables where cell[0] < t.rows.count && cell[1] < t.rows[cell[0]].count { expanded[t.key] = t.rows[cell[0]][cell[1]] }
                    rows.append(expanded)
                }
                ["layer", "head"].forEach(add)
                tables.forEach { add($0.key) }
            } else {
                for t in tables {
                    for (l, heads) in t.rows.enumerated() {
                        for (h, value) in heads.enumerated() { row["\(t.key).l\(l).h\(h)"] = value; add("\(t.key).l\(l).h\(h)") }
                    }
                }
                rows.append(row)
            }
        }
        self.columns = columns
        self.rows = rows.map { row in columns.map { row[$0] ?? .null } }
    }

    /// RFC 4180 CSV: a header line, then one line per row.
    public var csv: String {
        func field(_ value: JSON) -> String {
            let text: String
            switch value {
            case .null: return ""
            case let .number(x): return x.isFinite ? "\(x)" : ""
            case let .string(s): text = s
            default: text = value.compact()
            }
            return text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return ([columns.map { field(.string($0)) }] + rows.map { $0.map(field) }).map { $0.joined(separator: ",") + "\n" }.joined()
    }

    /// One JSON object per line (non-finite numbers as null, so any JSON reader takes it).
    public var jsonLines: String {
        rows.map { row in
            JSON.object(zip(columns, row).map { ($0, $1.double.map { $0.isFinite } == false ? .null : $1) }).compact() + "\n"
        }.joined()
    }
}
