// Experiment: the contract every paper experiment implements, and the registry of them all.
//
// An experiment turns a scale into a configuration (plain JSON, hashed to identify the run) and a
// configuration into an `ExperimentOutput` (named summary scalars + history series). It never
// draws and never writes files: the Pipeline stores, checks and renders what it returns.

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
    /// All parameters that determine the result.
    func configuration(_ scale: Scale) -> JSON
    /// Gradient steps at this scale (the cost estimate of `list` and the progress total).
    func iterations(_ scale: Scale) -> Int
    /// Cost of one step measured by `paper-repro bench` on the reference machine (2-core Zen 3).
    var nanosecondsPerIteration: Double { get }
    func run(_ scale: Scale, progress: @escaping ProgressTick) -> ExperimentOutput
    /// The figures drawn from a stored result (its `summary` and `history`), keyed by file name.
    func figures(summary: JSON, history: JSON) throws -> [(name: String, figure: Figure)]
}

extension Experiment {
    public func effectiveScale(_ scale: Scale) -> Scale { scale == .smoke ? .smoke : .paper }

    /// Estimated single-thread wall time at this scale on the reference machine.
    public func estimatedSeconds(_ scale: Scale) -> Double {
        Double(iterations(scale)) * nanosecondsPerIteration * 1e-9
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
