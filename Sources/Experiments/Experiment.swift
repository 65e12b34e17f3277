// Experiment: the contract every paper experiment implements, and the registry of them all.
//
// An experiment turns a scale into a list of runs, each a configuration (plain JSON, hashed to
// identify it), and a run into an `ExperimentOutput` (named summary values + history series). It
// never writes files: the Pipeline stores, checks and renders what it returns.

import Plot

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

/// One unit of work of an experiment: a configuration with an identifier that is unique within
/// the experiment and safe as a file name. A run's result depends on its configuration only, so
/// any subset of runs can execute anywhere, in any order, with any thread count.
public struct RunSpec: Sendable {
    public var experiment: String
    public var id: String
    /// The scale whose golden values apply (`Experiment.effectiveScale`).
    public var scale: Scale
    public var config: JSON
    /// Progress total (gradient or optimizer steps).
    public var steps: Int
    /// Single-thread wall time on the reference machine (2-core Zen 3): ETA and scheduling order.
    public var estimatedSeconds: Double

    public init(experiment: String, id: String, scale: Scale, config: JSON, steps: Int, estimatedSeconds: Double) {
        self.experiment = experiment; self.id = id; self.scale = scale; self.config = config
        self.steps = steps; self.estimatedSeconds = estimatedSeconds
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

/// A paper experiment: a list of runs (one for the toy experiments, a grid for the sweeps) and
/// the figures drawn from their stored results.
public protocol Experiment: Sendable {
    /// Command-line name, e.g. `logistic`.
    var name: String { get }
    /// One line for `paper-repro list`.
    var title: String { get }
    /// The paper section it reproduces.
    var section: String { get }
    /// Figure files (without extension) drawn from its results.
    var figures: [String] { get }
    /// The scale whose golden values apply (toy experiments run the paper setting at `default`).
    func effectiveScale(_ scale: Scale) -> Scale
    /// Every run at this scale, sorted by id.
    func runs(_ scale: Scale) -> [RunSpec]
    /// Runs one of `runs(_:)`. `threads` may be used inside the run; the result must not depend on it.
    func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput
    /// The figures drawn from all runs of one scale, keyed by file name.
    func figures(_ runs: [RunRecord]) throws -> [(name: String, figure: Figure)]
}

/// An experiment with exactly one run, named like the experiment (the toy experiments of Sec. 3).
public protocol SingleRunExperiment: Experiment {
    /// All parameters that determine the result.
    func configuration(_ scale: Scale) -> JSON
    /// Gradient steps at this scale (the cost estimate of `list` and the progress total).
    func iterations(_ scale: Scale) -> Int
    /// Cost of one step measured by `paper-repro bench` on the reference machine (2-core Zen 3).
    var nanosecondsPerIteration: Double { get }
    func run(_ scale: Scale, progress: @escaping ProgressTick) -> ExperimentOutput
    /// The figures drawn from the stored result (its `summary` and `history`).
    func figures(summary: JSON, history: JSON) throws -> [(name: String, figure: Figure)]
}

extension SingleRunExperiment {
    public func effectiveScale(_ scale: Scale) -> Scale { scale == .smoke ? .smoke : .paper }

    public func runs(_ scale: Scale) -> [RunSpec] {
        [RunSpec(experiment: name, id: name, scale: effectiveScale(scale), config: configuration(scale),
                 steps: iterations(scale), estimatedSeconds: Double(iterations(scale)) * nanosecondsPerIteration * 1e-9)]
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        run(spec.scale, progress: progress)
    }

    public func figures(_ runs: [RunRecord]) throws -> [(name: String, figure: Figure)] {
        guard let only = runs.first, runs.count == 1 else { throw ExperimentError.badRecords(name, "expected one run, got \(runs.count)") }
        return try figures(summary: only.summary, history: only.history)
    }
}

extension Experiment {
    /// Estimated single-thread wall time of every run at this scale on the reference machine.
    public func estimatedSeconds(_ scale: Scale) -> Double {
        runs(scale).reduce(0) { $0 + $1.estimatedSeconds }
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
