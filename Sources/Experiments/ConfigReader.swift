// Typed reads of a run configuration (JSON), with the experiment and key named in every error:
// a result file whose configuration cannot be read is reported, never guessed at.

import Transformer
import Records

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
    func string(_ key: String) throws -> String { try typed(key, \.string, "a string") }

    /// An integer in `range` (sizes, counts, steps: never a trap further down).
    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        let value = try int(key)
        guard range.contains(value) else { throw ExperimentError.badConfig(experiment, "'\(key)' is \(value), not in \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    /// A number in (0, `maximum`] (learning rates, scales; a learning rate above 100 only diverges).
    func positive(_ key: String, maximum: Double = 100) throws -> Double {
        let value = try double(key)
        guard value.isFinite, value > 0, value <= maximum else {
            throw ExperimentError.badConfig(experiment, "'\(key)' is \(value), not a number in (0, \(maximum)]")
        }
        return value
    }

    /// A finite number ≥ 0 (loss weights).
    func nonNegative(_ key: String) throws -> Double {
        let value = try double(key)
        guard value.isFinite, value >= 0 else { throw ExperimentError.badConfig(experiment, "'\(key)' is \(value), not a finite number ≥ 0") }
        return value
    }

    /// A seed: the generators take 32-bit seeds.
    func seed(_ key: String = "seed") throws -> Int { try int(key, in: 0...Int(UInt32.max)) }

    /// A list of integers, each in `range`.
    func ints(_ key: String, in range: ClosedRange<Int>) throws -> [Int] {
        guard let items = try field(key).array, !items.isEmpty, items.allSatisfy({ $0.int.map(range.contains) == true }) else {
            throw ExperimentError.badConfig(experiment, "'\(key)' is not a non-empty list of integers in \(range.lowerBound)...\(range.upperBound)")
        }
        return items.map { $0.int! }
    }

    func attention(_ key: String = "attention_type") throws -> AttentionKind {
        try typed(key, { $0.string.flatMap(AttentionKind.init(rawValue:)) }, "an attention kind")
    }

    func positional(_ key: String = "positional_type") throws -> Positional {
        try typed(key, { $0.string.flatMap(Positional.init(rawValue:)) }, "add, concat or no")
    }
}

/// The keys every toy experiment of Sec. 3 reads (the notebooks' names).
struct ToyConfig {
    let read: ConfigReader
    /// Gradient steps (per model, for the experiments that train several).
    let iterations: Int
    let learningRate: Double
    let seed: UInt32
    /// How many log-spaced iterations the history keeps (scheme A or B, `HistorySchedule`).
    let historySamples: Int

    init(_ experiment: String, _ config: JSON) throws {
        read = ConfigReader(experiment: experiment, config: config)
        iterations = try read.int("num_iterations", in: 1...1_000_000_000)
        learningRate = try read.positive("learning_rate")
        seed = UInt32(try read.seed())
        historySamples = try read.int("history_samples", in: 2...100_000)
    }
}
