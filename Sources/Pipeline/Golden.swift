// Golden values: expected summary quantities with explicit tolerances, in golden/<scale>/<exp>.json.
//
// A quantity names a path into the experiment's summary ("kappa1.final_a"; for a sweep the
// summary is {run id: run summary}, so "<run id>.acc_induction"); arrays are compared elementwise. Tolerance kinds:
//   bitwise          the same IEEE-754 bits
//   exact            integers equal
//   ulp  n           at most n units in the last place apart
//   close rtol atol  |obtained − expected| ≤ atol + rtol·|expected|
// Every tolerance carries a `why`: the measured drift it was derived from.

import Experiments
import Foundation
import Records

public enum Tolerance: Sendable, CustomStringConvertible {
    case bitwise
    case exact
    case ulp(Int)
    case close(rtol: Double, atol: Double)

    init(json: JSON) throws {
        switch json["kind"]?.string {
        case "bitwise": self = .bitwise
        case "exact": self = .exact
        case "ulp": self = .ulp(json["ulps"]?.int ?? 0)
        case "close": self = .close(rtol: json["rtol"]?.double ?? 0, atol: json["atol"]?.double ?? 0)
        default: throw PipelineError.usage("unknown tolerance \(json.compact())")
        }
    }

    var json: JSON {
        switch self {
        case .bitwise: .object([("kind", .string("bitwise"))])
        case .exact: .object([("kind", .string("exact"))])
        case let .ulp(n): .object([("kind", .string("ulp")), ("ulps", .int(n))])
        case let .close(r, a): .object([("kind", .string("close")), ("rtol", .number(r)), ("atol", .number(a))])
        }
    }

    public var description: String {
        switch self {
        case .bitwise: "bitwise"
        case .exact: "exact"
        case let .ulp(n): "\(n) ulp"
        case let .close(r, a): "rtol \(r) atol \(a)"
        }
    }

    /// Whether `obtained` is within tolerance of `expected`.
    func accepts(expected: Double, obtained: Double) -> Bool {
        // A diverged run's NaN metrics are expected values like any other.
        if expected.isNaN || obtained.isNaN { return expected.isNaN && obtained.isNaN }
        switch self {
        case .bitwise: return expected.bitPattern == obtained.bitPattern
        case .exact: return expected == obtained
        case let .ulp(n):
            guard expected.isFinite, obtained.isFinite else { return expected.bitPattern == obtained.bitPattern }
            return ulpDistance(expected, obtained) <= UInt64(n)
        case let .close(rtol, atol):
            guard obtained.isFinite else { return false }
            return abs(obtained - expected) <= atol + rtol * abs(expected)
        }
    }
}

/// Number of representable doubles between x and y.
func ulpDistance(_ x: Double, _ y: Double) -> UInt64 {
    func ordered(_ v: Double) -> Int64 {
        let bits = Int64(bitPattern: v.bitPattern)
        return bits < 0 ? Int64.min &- bits : bits
    }
    let d = ordered(x).subtractingReportingOverflow(ordered(y))
    return d.overflow ? .max : d.partialValue.magnitude
}

public struct GoldenQuantity: Sendable {
    public var name: String
    public var expected: JSON
    public var tolerance: Tolerance
    public var why: String

    public init(name: String, expected: JSON, tolerance: Tolerance, why: String) {
        self.name = name; self.expected = expected; self.tolerance = tolerance; self.why = why
    }
}

public struct GoldenFile: Sendable {
    public var experiment: String
    public var scale: String
    public var configHash: String
    public var reference: String
    public var quantities: [GoldenQuantity]
    /// Summary keys deliberately left unchecked, each with its reason (kept by `bless`).
    public var notChecked: JSON = .object([])

    public static func path(root: String, scale: Scale, experiment: String) -> String {
        "\(root)/\(scale.rawValue)/\(experiment).json"
    }

    public init(experiment: String, scale: String, configHash: String, reference: String, quantities: [GoldenQuantity]) {
        self.experiment = experiment; self.scale = scale; self.configHash = configHash
        self.reference = reference; self.quantities = quantities
    }

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw PipelineError.corrupt(path, "cannot read") }
        let json: JSON
        do { json = try JSON(parsing: String(decoding: data, as: UTF8.self)) } catch {
            throw PipelineError.corrupt(path, "\(error)")
        }
        guard let experiment = json["experiment"]?.string, let scale = json["scale"]?.string,
              let hash = json["config_hash"]?.string, let items = json["quantities"]?.array else {
            throw PipelineError.corrupt(path, "expected experiment, scale, config_hash and quantities")
        }
        guard !items.isEmpty else { throw PipelineError.corrupt(path, "no quantities: an empty golden file compares nothing") }
        self.experiment = experiment
        self.scale = scale
        configHash = hash
        reference = json["reference"]?.string ?? ""
        notChecked = json["not_checked"] ?? .object([])
        quantities = try items.map { item in
            guard let name = item["name"]?.string, let expected = item["expected"], let tolerance = item["tolerance"] else {
                throw PipelineError.corrupt(path, "quantity without name, expected or tolerance")
            }
            return GoldenQuantity(name: name, expected: expected, tolerance: try Tolerance(json: tolerance),
                                  why: item["why"]?.string ?? "")
        }
    }

    public var json: JSON {
        .object([
            ("experiment", .string(experiment)), ("scale", .string(scale)), ("config_hash", .string(configHash)),
            ("reference", .string(reference)), ("not_checked", notChecked),
            ("quantities", .array(quantities.map { q in
                .object([("name", .string(q.name)), ("expected", q.expected), ("tolerance", q.tolerance.json), ("why", .string(q.why))])
            })),
        ])
    }
}

/// Scalars of a (possibly nested) array, with their index suffixes.
func leaves(_ json: JSON, _ name: String) -> [(String, JSON)] {
    if case let .array(items) = json {
        return items.enumerated().flatMap { leaves($1, "\(name)[\($0)]") }
    }
    return [(name, json)]
}

public struct CheckLine: Sendable {
    public var experiment: String
    public var quantity: String
    public var expected: Double?
    public var obtained: Double?
    public var tolerance: String
    public var passed: Bool
    public var note: String

    public var text: String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.17g", $0) } ?? "-" }
        let diff = (expected != nil && obtained != nil) ? String(format: "%.3e", obtained! - expected!) : "-"
        return "\(passed ? "PASS" : "FAIL")  \(experiment)  \(quantity)  expected=\(f(expected))  obtained=\(f(obtained))  diff=\(diff)  tol=\(tolerance)\(note.isEmpty ? "" : "  (\(note))")"
    }
}

public enum Golden {
    /// Compares an experiment's stored results with its golden file, one line per scalar.
    public static func check(_ result: ExperimentResults, golden: GoldenFile, exact: Bool = false) -> [CheckLine] {
        var lines: [CheckLine] = []
        if let gap = result.gap {
            lines.append(CheckLine(experiment: result.experiment, quantity: "runs", expected: nil, obtained: nil, tolerance: "-",
                                   passed: false, note: gap + "; run `paper-repro run \(result.experiment)` with the same run list"))
        }
        if golden.configHash != result.configHash {
            lines.append(CheckLine(experiment: result.experiment, quantity: "config_hash", expected: nil, obtained: nil,
                                   tolerance: "exact", passed: false,
                                   note: "result was run with another configuration than the golden values (\(result.configHash.prefix(12)) vs \(golden.configHash.prefix(12)))"))
            return lines
        }
        let summary = result.summary
        for quantity in golden.quantities {
            guard let obtained = summary.value(at: quantity.name) else {
                lines.append(CheckLine(experiment: result.experiment, quantity: quantity.name, expected: nil, obtained: nil,
                                       tolerance: quantity.tolerance.description, passed: false, note: "missing from result"))
                continue
            }
            let expectedLeaves = leaves(quantity.expected, quantity.name)
            let obtainedLeaves = leaves(obtained, quantity.name)
            guard expectedLeaves.count == obtainedLeaves.count else {
                lines.append(CheckLine(experiment: result.experiment, quantity: quantity.name, expected: nil, obtained: nil,
                                       tolerance: quantity.tolerance.description, passed: false,
                                       note: "shape differs: \(expectedLeaves.count) vs \(obtainedLeaves.count) values"))
                continue
            }
            let tolerance = exact ? Tolerance.bitwise : quantity.tolerance
            for ((name, e), (_, o)) in zip(expectedLeaves, obtainedLeaves) {
                let ev = e.double, ov = o.double
                let passed = (e == .null && o == .null) || (ev != nil && ov != nil && tolerance.accepts(expected: ev!, obtained: ov!))
                lines.append(CheckLine(experiment: result.experiment, quantity: name, expected: ev, obtained: ov,
                                       tolerance: tolerance.description, passed: passed, note: ""))
            }
        }
        return lines
    }

    /// A golden file holding `result`'s values: the tolerances of `previous` where it names the
    /// quantity, else a tight default (exact for integers, 1e-12 relative for reals).
    public static func bless(_ result: ExperimentResults, previous: GoldenFile?) -> (GoldenFile, [String]) {
        var changes: [String] = []
        var quantities: [GoldenQuantity] = []
        let summary = result.summary
        let names = previous?.quantities.map(\.name) ?? summaryPaths(summary)
        for name in names {
            guard let value = summary.value(at: name) else { continue }
            let old = previous?.quantities.first { $0.name == name }
            let isInteger = leaves(value, name).allSatisfy { $0.1.int != nil }
            let tolerance = old?.tolerance ?? (isInteger ? .exact : .close(rtol: 1e-12, atol: 1e-15))
            if let old, old.expected != value {
                for ((leaf, e), (_, o)) in zip(leaves(old.expected, name), leaves(value, name)) where e != o {
                    changes.append("\(leaf): \(e.compact()) -> \(o.compact())")
                }
            } else if old == nil {
                changes.append("\(name): new")
            }
            quantities.append(GoldenQuantity(name: name, expected: value, tolerance: tolerance,
                                             why: old?.why ?? "blessed from a paper-repro run"))
        }
        var file = GoldenFile(experiment: result.experiment, scale: result.label, configHash: result.configHash,
                              reference: "paper-repro bless, code \(codeVersion)", quantities: quantities)
        file.notChecked = previous?.notChecked ?? .object([])
        return (file, changes)
    }

    static func summaryPaths(_ json: JSON, prefix: String = "") -> [String] {
        guard let pairs = json.pairs else { return [prefix] }
        return pairs.flatMap { summaryPaths($0.value, prefix: prefix.isEmpty ? $0.key : "\(prefix).\($0.key)") }
    }
}

extension Golden {
    /// Checks the stored results of a run list against the golden values of its configuration.
    /// Missing or corrupt results and missing golden files are failures with an explanation, never crashes.
    /// `exact`: every value must have the golden value's bits (a check of bit-for-bit reproduction on
    /// the machine the golden values were blessed on), whatever its tolerance.
    public static func checkAll(_ runs: RunSet, store: ResultStore, goldenRoot: String, exact: Bool = false) -> [CheckLine] {
        store.collect(runs).flatMap { check($0, selector: runs.selector, store: store, goldenRoot: goldenRoot, exact: exact) }
    }

    /// The golden file of exactly these runs: golden/<scale>/<experiment>.json whose config_hash is
    /// the results' (a run list equal to a scale's has its golden values, whatever it is called).
    public static func file(for results: ExperimentResults, goldenRoot: String) throws -> (path: String, file: GoldenFile)? {
        for scale in Scale.allCases {
            let path = GoldenFile.path(root: goldenRoot, scale: scale, experiment: results.experiment)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let file = try GoldenFile(path: path)
            if file.configHash == results.configHash { return (path, file) }
        }
        return nil
    }

    /// For runs that are part of a built-in scale (e.g. `--scale default induction seed=0
    /// attention_type=softmax`): that scale's golden file restricted to these runs, with the results
    /// keyed by the scale's run ids. Sound only while the scale's sweep file still describes the
    /// golden file's runs: its configuration hash must equal the golden file's.
    static func subset(for results: ExperimentResults, goldenRoot: String) throws -> (results: ExperimentResults, golden: GoldenFile)? {
        guard let experiment = Registry.experiment(named: results.experiment), !results.isSingleRun else { return nil }
        for scale in Scale.allCases {
            let path = GoldenFile.path(root: goldenRoot, scale: scale, experiment: results.experiment)
            guard FileManager.default.fileExists(atPath: path),
                  let specs = try? Sweeps.runs(scale: scale, experiments: [experiment]).specs else { continue }
            let golden = try GoldenFile(path: path)
            let whole = ExperimentResults(experiment: results.experiment, label: scale.rawValue, specs: specs, stored: [:])
            guard whole.configHash == golden.configHash else { continue }
            let byHash = Dictionary(specs.map { ($0.configHash, $0) }, uniquingKeysWith: { a, _ in a })
            let mine = results.specs.compactMap { byHash[$0.configHash] }
            guard mine.count == results.specs.count else { continue }
            // The same runs under the scale's ids, in the scale's order.
            let ids = Dictionary(uniqueKeysWithValues: results.specs.map { ($0.configHash, $0.id) })
            let ordered = specs.filter { ids[$0.configHash] != nil }
            let stored = Dictionary(uniqueKeysWithValues: ordered.compactMap { spec in results.stored[ids[spec.configHash]!].map { (spec.id, $0) } })
            let renamed = ExperimentResults(experiment: results.experiment, label: results.label, specs: ordered, stored: stored,
                                            problems: results.problems)
            let prefixes = ordered.map { $0.id + "." }
            var restricted = golden
            restricted.configHash = renamed.configHash
            restricted.quantities = golden.quantities.filter { q in prefixes.contains { q.name.hasPrefix($0) } }
            restricted.reference = "\(ordered.count) of the \(specs.count) runs of \(path)"
            return (renamed, restricted)
        }
        return nil
    }

    /// The golden values that apply to `results`: the file of exactly their configuration, else a
    /// scale's file restricted to them (`subset`), with the results as that file names them; nil
    /// when none applies. `check` and the report both decide through this.
    public static func reference(for results: ExperimentResults, goldenRoot: String) throws -> (results: ExperimentResults, golden: GoldenFile)? {
        if let (_, golden) = try file(for: results, goldenRoot: goldenRoot) { return (results, golden) }
        return try subset(for: results, goldenRoot: goldenRoot)
    }

    /// Checks one experiment's results against the golden file of their configuration.
    public static func check(_ results: ExperimentResults, selector: [String], store: ResultStore, goldenRoot: String,
                             exact: Bool = false) -> [CheckLine] {
        let name = results.experiment
        func failure(_ what: String, _ note: String) -> [CheckLine] {
            [CheckLine(experiment: name, quantity: what, expected: nil, obtained: nil, tolerance: "-", passed: false, note: note)]
        }
        guard !results.stored.isEmpty else {
            let why = results.problems.values.sorted().first ?? "no result in \(store.directory.path)"
            return failure("result", "\(why); run `paper-repro run \(name) \(selector.joined(separator: " "))`")
        }
        do {
            if let (checked, golden) = try reference(for: results, goldenRoot: goldenRoot) { return check(checked, golden: golden, exact: exact) }
            return failure("golden", "no golden values for these \(results.specs.count) runs of \(name) (\(results.label)): no file \(goldenRoot)/<scale>/\(name).json has their configuration hash \(results.configHash.prefix(12)) or holds them all")
        } catch {
            return failure("golden", "\(error)")
        }
    }
}
