// Sweeps: run lists as data, in the authors' Weights & Biases format.
//
//   sweeps/base/<experiment>.yaml     every key an experiment reads, with the paper's values
//   sweeps/<scale>/<experiment>.yaml  the built-in scales (smoke, default, paper) as grid sweeps
//   any other file                    `run --sweep FILE`: read at run time, no rebuild
//
// A sweep file holds one or more grids (YAML documents separated by `---`); its runs are their
// union. Each grid is `method: grid`, `program: exp_induction.py` / `exp_classification.py` (or
// `experiment: NAME`), and `parameters: {key: {values: [...]}}` or `{key: {value: x}}`; other
// top-level keys (project, name, command, …) are accepted and ignored. A run's configuration is
// the base config with the grid's values put in, keys in the base file's order. Command-line
// overrides `key=v1,v2` replace a key's values in every grid of the experiments that have it.
//
// Bad input (not YAML, an unknown method, program, experiment or key, a value of the wrong type,
// a configuration the experiment refuses) is a `SweepError` naming the file, line and the valid
// choices; nothing runs.

import Experiments
import Foundation
import Yams
import Records

public struct SweepError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// `key=v1,v2,…` from the command line.
public struct Override: Sendable, Equatable {
    public var key: String
    public var values: [String]

    /// nil when `text` has no `=`; a `SweepError` when it has one but no key or no value.
    public init?(_ text: String) throws {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        key = String(text[..<equals])
        values = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !key.isEmpty, values.allSatisfy({ !$0.isEmpty }) else {
            throw SweepError("override '\(text)': expected key=value or key=v1,v2,…")
        }
    }
}

/// The runs that one command works on: the built-in scale or sweep file they come from, per experiment.
public struct RunSet: Sendable {
    /// "smoke", "default", "paper", or the sweep file's path.
    public var label: String
    /// The built-in scale, when the runs are one (golden values and report wording depend on it).
    public var scale: Scale?
    public var groups: [(experiment: any Experiment, specs: [RunSpec])]
    /// The command-line overrides these runs were made with.
    public var overrides: [Override] = []

    public var experiments: [any Experiment] { groups.map(\.experiment) }
    public var specs: [RunSpec] { groups.flatMap(\.specs) }

    /// The command-line words that select these runs again (for hints and printed commands).
    public var selector: [String] {
        (scale.map { ["--scale", $0.rawValue] } ?? ["--sweep", label]) + overrides.map { "\($0.key)=\($0.values.joined(separator: ","))" }
    }

    public func specs(of experiment: String) -> [RunSpec] {
        groups.first { $0.experiment.name == experiment }?.specs ?? []
    }
}

public enum Sweeps {
    /// The sweeps/ folder: $SOFTMAX_REPRO_SWEEPS, else the first `sweeps/base` found walking up
    /// from the working directory or from the executable (a build under .build/ finds the checkout's).
    public static let root: String = {
        if let dir = ProcessInfo.processInfo.environment["SOFTMAX_REPRO_SWEEPS"] { return dir }
        let starts = [FileManager.default.currentDirectoryPath,
                      URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path]
        for start in starts {
            var dir = URL(fileURLWithPath: start)
            for _ in 0..<8 {
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent("sweeps/base").path) {
                    return dir.appendingPathComponent("sweeps").path
                }
                dir.deleteLastPathComponent()
            }
        }
        return "sweeps"
    }()

    /// The runs of `experiments` (default: all) at a built-in scale.
    public static func runs(scale: Scale, experiments: [any Experiment] = Registry.all, overrides: [Override] = []) throws -> RunSet {
        var grids: [Grid] = []
        for experiment in experiments {
            let file = "\(root)/\(scale.rawValue)/\(experiment.name).yaml"
            let found = try parse(file: file)
            if let other = found.first(where: { $0.experiment.name != experiment.name }) {
                throw SweepError("\(file):\(other.line): names \(other.experiment.name), expected \(experiment.name)")
            }
            grids += found
        }
        return try expand(grids, label: scale.rawValue, scale: scale, only: experiments, overrides: overrides)
    }

    /// The runs of a sweep file, restricted to `experiments` when given.
    public static func runs(file: String, experiments: [any Experiment]? = nil, overrides: [Override] = []) throws -> RunSet {
        let grids = try parse(file: file)
        let wanted = experiments ?? unique(grids.map(\.experiment))
        return try expand(grids, label: file, scale: nil, only: wanted, overrides: overrides)
    }

    /// The one run of an experiment's base config with `overrides` (one value each) put in.
    public static func baseRun(_ experiment: any Experiment, overrides: [Override]) throws -> RunSpec {
        if let grid = overrides.first(where: { $0.values.count > 1 }) {
            throw SweepError("\(grid.key)=\(grid.values.joined(separator: ",")): this command trains one configuration; for a grid use `paper-repro run \(experiment.name) \(grid.key)=\(grid.values.joined(separator: ","))`")
        }
        let grid = Grid(experiment: experiment, parameters: [], file: "\(root)/base/\(experiment.name).yaml", line: 1)
        return try expand([grid], label: "base", scale: nil, only: [experiment], overrides: overrides).specs[0]
    }

    // MARK: - Reading

    /// One grid of a sweep file.
    struct Grid {
        var experiment: any Experiment
        var parameters: [(key: String, values: [Node], line: Int)]
        var file: String
        var line: Int
    }

    static func parse(file: String) throws -> [Grid] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw SweepError("cannot read sweep file \(file)\(FileManager.default.fileExists(atPath: file) ? "" : " (no such file)")")
        }
        let documents: [Node]
        do {
            let parser = try Parser(yaml: String(decoding: data, as: UTF8.self))
            var nodes: [Node] = []
            while let node = try parser.nextRoot() { nodes.append(node) }
            documents = nodes
        } catch let error as YamlError {
            throw SweepError("\(file): not valid YAML: \(error)".replacingOccurrences(of: "\n", with: " "))
        }
        guard !documents.isEmpty else { throw SweepError("\(file): empty sweep file") }
        return try documents.map { try grid($0, file: file) }
    }

    static func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    /// The type YAML resolved for a scalar (int, float, bool, null, str).
    static func kind(_ node: Node) -> Tag.Name { Tag.Name(rawValue: node.tag.rawValue) }

    static func grid(_ document: Node, file: String) throws -> Grid {
        let at = "\(file):\(line(document))"
        guard let top = document.mapping else { throw SweepError("\(at): a sweep is a mapping with method, program and parameters") }
        let method = top["method"]?.string
        guard method == "grid" else {
            throw SweepError("\(at): method '\(method ?? "(missing)")' is not supported; valid: grid (random and bayes searches are not reproducible run lists)")
        }
        let experiment: any Experiment
        if let name = top["experiment"]?.string {
            guard let e = Registry.experiment(named: name) else {
                throw SweepError("\(at): unknown experiment '\(name)'\(Suggest.didYouMean(name, in: Registry.names)); valid: \(Registry.names.joined(separator: ", "))")
            }
            experiment = e
        } else if let program = top["program"]?.string {
            let programs = Registry.all.compactMap(\.program)
            guard let e = Registry.all.first(where: { $0.program == program }) else {
                throw SweepError("\(at): unknown program '\(program)'; valid: \(programs.joined(separator: ", ")) (or experiment: NAME)")
            }
            experiment = e
        } else {
            throw SweepError("\(at): the sweep names no program or experiment")
        }
        var parameters: [(key: String, values: [Node], line: Int)] = []
        if let block = top["parameters"] {
            guard let pairs = block.mapping else { throw SweepError("\(file):\(line(block)): parameters must be a mapping") }
            for (keyNode, spec) in pairs {
                let key = keyNode.string ?? "", where_ = "\(file):\(line(keyNode))"
                guard let spec = spec.mapping else {
                    throw SweepError("\(where_): parameter '\(key)' must be {values: [...]} or {value: x}")
                }
                if let values = spec["values"] {
                    guard let list = values.sequence, !list.isEmpty else { throw SweepError("\(where_): '\(key)': values must be a non-empty list") }
                    parameters.append((key, Array(list), line(keyNode)))
                } else if let value = spec["value"] {
                    parameters.append((key, [value], line(keyNode)))
                } else {
                    throw SweepError("\(where_): parameter '\(key)' has no value or values (a grid takes no distributions)")
                }
            }
        }
        return Grid(experiment: experiment, parameters: parameters, file: file, line: line(document))
    }

    /// sweeps/base/<experiment>.yaml as an ordered list of keys and values.
    static func base(_ experiment: any Experiment) throws -> [(key: String, value: JSON)] {
        let file = "\(root)/base/\(experiment.name).yaml"
        guard let data = FileManager.default.contents(atPath: file) else { throw SweepError("cannot read base config \(file)") }
        guard let node = try? compose(yaml: String(decoding: data, as: UTF8.self)), let pairs = node.mapping else {
            throw SweepError("\(file): not a YAML mapping of keys to values")
        }
        return try pairs.map { key, value in
            guard let name = key.string, let json = natural(value) else {
                throw SweepError("\(file):\(line(key)): unsupported value")
            }
            return (name, json)
        }
    }

    /// A YAML scalar or list as JSON, typed as YAML resolves it.
    static func natural(_ node: Node) -> JSON? {
        if let list = node.sequence { let items = list.compactMap(natural); return items.count == list.count ? .array(items) : nil }
        guard node.scalar != nil else { return nil }
        switch kind(node) {
        case .int: return node.int.map(JSON.int)
        case .float: return node.float.map(JSON.number)
        case .bool: return node.bool.map(JSON.bool)
        case .null: return .null
        default: return node.string.map(JSON.string)
        }
    }

    /// `node` as a value of the base value's type; nil when it is not one. A plain scalar is taken
    /// as text where the base is text, so `positional_type: no` means "no", not false.
    static func typed(_ node: Node, like base: JSON) -> JSON? {
        switch base {
        case .int: return kind(node) == .int ? node.int.map(JSON.int) : nil
        case .number:
            guard [.int, .float].contains(kind(node)), let x = node.float, x.isFinite else { return nil }
            return .number(x)
        case .bool: return kind(node) == .bool ? node.bool.map(JSON.bool) : nil
        case .string: return node.scalar.map { .string($0.string) }
        case let .array(items):
            guard let list = node.sequence, let model = items.first else { return nil }
            let typedItems = list.compactMap { typed($0, like: model) }
            return typedItems.count == list.count && !list.isEmpty ? .array(typedItems) : nil
        default: return natural(node)
        }
    }

    static func typeName(_ base: JSON) -> String {
        switch base {
        case .int: "an integer"
        case .number: "a finite number"
        case .bool: "true or false"
        case .string: "text"
        case .array: "a list"
        default: "a value"
        }
    }

    // MARK: - Expanding

    static func expand(_ grids: [Grid], label: String, scale: Scale?, only experiments: [any Experiment], overrides: [Override]) throws -> RunSet {
        var bases: [String: [(key: String, value: JSON)]] = [:]
        for e in experiments { bases[e.name] = try base(e) }
        for o in overrides where !experiments.contains(where: { e in bases[e.name]!.contains { $0.key == o.key } }) {
            let keys = unique(experiments.flatMap { e in bases[e.name]!.map(\.key) })
            throw SweepError("unknown key '\(o.key)' in override \(o.key)=\(o.values.joined(separator: ","))\(Suggest.didYouMean(o.key, in: keys)); valid: \(keys.joined(separator: ", "))")
        }
        var groups: [(experiment: any Experiment, specs: [RunSpec])] = []
        for experiment in experiments {
            let base = bases[experiment.name]!
            var specs: [RunSpec] = [], seen = Set<String>()
            for grid in grids where grid.experiment.name == experiment.name {
                var axes: [(key: String, values: [JSON])] = []
                for p in grid.parameters {
                    guard let model = base.first(where: { $0.key == p.key })?.value else {
                        throw SweepError("\(grid.file):\(p.line): unknown parameter '\(p.key)' for \(experiment.name)\(Suggest.didYouMean(p.key, in: base.map(\.key))); valid: \(base.map(\.key).joined(separator: ", "))")
                    }
                    axes.append((p.key, try p.values.map { node in
                        guard let value = typed(node, like: model) else {
                            throw SweepError("\(grid.file):\(line(node)): '\(p.key)': \(node.string.map { "'\($0)'" } ?? "value") is not \(typeName(model))")
                        }
                        return value
                    }))
                }
                for o in overrides {
                    guard let model = base.first(where: { $0.key == o.key })?.value else { continue }
                    let values = try o.values.map { text -> JSON in
                        guard let node = (try? compose(yaml: text)) ?? nil, let value = typed(node, like: model) else {
                            throw SweepError("override \(o.key)=\(text): '\(text)' is not \(typeName(model))")
                        }
                        return value
                    }
                    axes.removeAll { $0.key == o.key }
                    axes.append((o.key, values))
                }
                for point in product(axes) {
                    let config = JSON.object(base.map { key, value in (key, point[key] ?? value) })
                    let spec: RunSpec
                    do { spec = try experiment.spec(config) } catch {
                        throw SweepError("\(grid.file):\(grid.line): \(error)")
                    }
                    if seen.insert(spec.configHash).inserted { specs.append(spec) }
                }
            }
            if specs.isEmpty, !grids.contains(where: { $0.experiment.name == experiment.name }) {
                throw SweepError("\(label) has no grid for \(experiment.name); it has \(unique(grids.map(\.experiment)).map(\.name).joined(separator: ", "))")
            }
            groups.append((experiment, uniqueIDs(specs).sorted { $0.id < $1.id }))
        }
        return RunSet(label: label, scale: scale, groups: groups, overrides: overrides)
    }

    /// Every combination of the axes' values, the first axis varying slowest.
    static func product(_ axes: [(key: String, values: [JSON])]) -> [[String: JSON]] {
        axes.reduce([[:]]) { partial, axis in
            partial.flatMap { point in axis.values.map { value in point.merging([axis.key: value]) { $1 } } }
        }
    }

    /// Runs whose ids collide get the keys in which they differ appended ("logistic_seed1").
    static func uniqueIDs(_ specs: [RunSpec]) -> [RunSpec] {
        let groups = Dictionary(grouping: specs.indices, by: { specs[$0].id })
        var result = specs
        for (_, members) in groups where members.count > 1 {
            let configs = members.map { specs[$0].config.pairs ?? [] }
            let differing = configs[0].indices.filter { k in Set(configs.map { $0[k].value.compact() }).count > 1 }
            for (i, m) in members.enumerated() {
                let suffix = differing.map { k in configs[i][k].key + (configs[i][k].value.string ?? configs[i][k].value.compact()) }
                result[m].id += "_" + suffix.joined(separator: "_")
            }
        }
        return result
    }

    static func unique(_ experiments: [any Experiment]) -> [any Experiment] {
        var seen = Set<String>()
        return experiments.filter { seen.insert($0.name).inserted }
    }

    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

/// "did you mean …?" for a mistyped name.
public enum Suggest {
    public static func didYouMean(_ name: String, in valid: [String]) -> String {
        guard let best = valid.min(by: { distance(name, $0) < distance(name, $1) }),
              distance(name, best) <= max(2, best.count / 3) else { return "" }
        return " (did you mean '\(best)'?)"
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}

/// `text` as one word for a POSIX shell: as it is when it is made of safe characters, else in
/// single quotes (a `'` inside becomes '\'').
public func shellQuoted(_ text: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+@%")
    if !text.isEmpty, text.allSatisfy(safe.contains) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
