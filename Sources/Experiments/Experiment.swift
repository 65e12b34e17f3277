// Experiment: the contract every paper experiment implements, and the registry of them all.
//
// An experiment turns a configuration (plain JSON with the authors' key names, hashed to identify
// it) into a run, and a run into an `ExperimentOutput` (named summary values + history series).
// It never writes files and knows no sweep: the Pipeline expands sweep files into configurations,
// stores, checks and renders what it returns.

import Records

/// The built-in run lists: the sweep files sweeps/<scale>/<experiment>.yaml.
public enum Scale: String, CaseIterable, Sendable {
    /// Tiny iteration counts, for tests (seconds in a debug build).
    case smoke
    /// What `./paper-repro.sh` runs. For the toy experiments this is the paper's full setting.
    case `default`
    /// Exactly the authors' settings.
    case paper
}

public struct ExperimentOutput: Sendable {
    /// Named scalars and short vectors; the golden checks read these.
    public var summary: JSON
    /// Series for the figures (`iteration` plus one array per recorded quantity).
    public var history: JSON
    /// Gradient-descent steps actually taken (for the benchmark's ns/iteration).
    public var iterations: Int

    public init(summary: JSON, history: JSON, iterations: Int) {
        self.summary = summary
        self.history = history
        self.iterations = iterations
    }
}

/// Called with the number of iterations done since the last call.
public typealias ProgressTick = @Sendable (Int) -> Void

/// One unit of work of an experiment: a configuration, with a name that is unique within a run
/// list and safe as a file name. A run's result depends on its configuration only, so any subset
/// of runs can execute anywhere, in any order, with any thread count, and a configuration that
/// two sweeps share is one run.
public struct RunSpec: Sendable {
    public var experiment: String
    /// Names the run in its list, in golden files and on screen: `name`, lengthened by the run
    /// list where two of its runs share a name.
    public var id: String
    /// The name `Experiment.spec` gives the configuration (with the hash, the result file's name).
    public let name: String
    public var config: JSON
    /// SHA-256 of the configuration's compact JSON: the run's identity.
    public let configHash: String
    /// Progress total (gradient or optimizer steps).
    public var steps: Int
    /// Seconds on one core of the reference machine (docs/performance.md: a 2-core AMD EPYC Zen 5
    /// with AVX-512, one run per core, as `paper-repro run` schedules them): ETA and scheduling order.
    public var estimatedSeconds: Double

    public init(experiment: String, id: String, config: JSON, steps: Int, estimatedSeconds: Double) {
        self.experiment = experiment; self.id = id; name = id; self.config = config
        self.steps = steps; self.estimatedSeconds = estimatedSeconds
        configHash = SHA256.hex(config.compact())
    }
}

/// A finished run as the figure code reads it.
public struct RunRecord: Sendable {
    public var id: String
    public var config: JSON
    public var summary: JSON
    public var history: JSON

    public init(id: String, config: JSON, summary: JSON, history: JSON) {
        self.id = id; self.config = config; self.summary = summary; self.history = history
    }
}

/// A paper experiment: runs described by configurations (sweeps/base/<name>.yaml, varied by the
/// sweep files of sweeps/), and the names of the figures drawn from their stored results.
public protocol Experiment: Sendable {
    /// Command-line name, e.g. `logistic`.
    var name: String { get }
    /// One line for `paper-repro list`.
    var title: String { get }
    /// The paper section it reproduces.
    var section: String { get }
    /// Figure files (without extension) drawn from its results (by the Figures module).
    var figures: [String] { get }
    /// The authors' script that a W&B sweep file names as `program` (e.g. `exp_induction.py`).
    var program: String? { get }
    /// The run `config` describes: every key read and validated (`ExperimentError.badConfig`
    /// otherwise), the run named, its cost estimated.
    func spec(_ config: JSON) throws -> RunSpec
    /// Runs `spec`. `threads` may be used inside the run; the result must not depend on it.
    func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput
}

extension Experiment {
    public var program: String? { nil }
}

/// An experiment whose every configuration is one run named like the experiment (the toy
/// experiments of Sec. 3 and F12).
public protocol SingleRunExperiment: Experiment {
    /// Gradient steps of the run `config` describes (the cost estimate and the progress total).
    func iterations(_ config: JSON) throws -> Int
    /// Cost of one step measured by `paper-repro bench` on the reference machine (docs/performance.md).
    var nanosecondsPerIteration: Double { get }
    func run(_ config: JSON, progress: @escaping ProgressTick) throws -> ExperimentOutput
}

extension SingleRunExperiment {
    public func spec(_ config: JSON) throws -> RunSpec {
        let n = try iterations(config)
        return RunSpec(experiment: name, id: name, config: config, steps: n, estimatedSeconds: Double(n) * nanosecondsPerIteration * 1e-9)
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        try run(spec.config, progress: progress)
    }
}

public enum ExperimentError: Error, CustomStringConvertible {
    case badRecords(String, String)
    case badConfig(String, String)
    case diverged(String, String)

    public var description: String {
        switch self {
        case let .badRecords(experiment, why): "\(experiment): stored runs cannot be drawn: \(why)"
        case let .badConfig(experiment, why): "\(experiment): configuration not understood: \(why)"
        case let .diverged(experiment, why): "\(experiment): training diverged: \(why)"
        }
    }
}

public enum Registry {
    /// Every experiment, in paper order.
    public static let all: [any Experiment] = [
        LogisticExperiment(),
        NormalizationExperiment(loss: .square),
        NormalizationExperiment(loss: .logistic),
        TiedExperiment(),
        ConditioningExperiment(),
        KLExperiment(),
        InductionSweep(),
        AttentionMapsExperiment(),
        ClassificationSweep(),
        SampleTrackingExperiment(),
        LanguageModelExperiment(),
        MiniLMExperiment(),
    ]

    public static var names: [String] { all.map(\.name) }

    public static func experiment(named name: String) -> (any Experiment)? {
        all.first { $0.name == name }
    }
}

/// Runs `steps` gradient steps. `step(recorded)` learns whether the iteration is one of the
/// (sorted) `schedule` indices; `record(i)` runs right after each such step. Progress is reported
/// every 2¹⁴ steps, so it costs nothing measurable in the hot loop.
func runSteps(_ steps: Int, recordingAt schedule: [Int], progress: ProgressTick,
              step: (_ recorded: Bool) -> Void, record: (_ iteration: Int) -> Void) {
    var next = 0, pending = 0
    for i in 0..<steps {
        let recorded = next < schedule.count && schedule[next] == i
        step(recorded)
        if recorded { next += 1; record(i) }
        pending += 1
        if pending == 16_384 { progress(pending); pending = 0 }
    }
    if pending > 0 { progress(pending) }
}

extension Array where Element == Double {
    /// The mean in index order (NaN for no values): what every bar, score and report number averages with.
    public var mean: Double { isEmpty ? .nan : reduce(0, +) / Double(count) }
}
