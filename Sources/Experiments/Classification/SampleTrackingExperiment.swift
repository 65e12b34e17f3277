// F12 as a pipeline experiment (docs/spec.md §6.6): one classification run (1 layer, 1 head, no MLP,
// no LN, vocabulary 41, softmax, seed 0: the notebook sets no seed; sweeps/base/sample-tracking.yaml)
// with the CLS row of the first evaluation sample of each label recorded after every optimizer
// step (the figure draws layer 0, head 0).

import Records

public struct SampleTrackingExperiment: SingleRunExperiment {
    public let name = "sample-tracking"
    public let title = "F12 CLS-row attention of one sample per label after every step: one key takes over"
    public let section = "Sec. 4.2, §6.6"
    public var figures: [String] { [FigureName.sampleTracking] }

    public init() {}

    public func iterations(_ config: JSON) throws -> Int { try ClassificationSetup(config: config, experiment: name).steps }
    /// 400 steps plus 400 tracking forwards and the metrics: about 7 s at the paper scale.
    public let nanosecondsPerIteration = 1.8e7

    public func run(_ config: JSON, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        try run(config, threads: 1, progress: progress)
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        try run(spec.config, threads: threads, progress: progress)
    }

    func run(_ config: JSON, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        let s = try ClassificationSetup(config: config, experiment: name)
        guard let (outcome, track) = SampleTracking.run(s, threads: threads, step: progress) else {
            throw ExperimentError.badConfig(name, "num_eval \(s.evaluation) is too small to hold a sample of every label")
        }
        // The classification run's summary and history, and the tracked samples.
        let summary = JSON.object((outcome.summary.pairs ?? []) + [
            ("tracked_tokens", .array(track.tokens.map { .array($0.map { .int(Int($0)) }) })),
            // [label][key]: the CLS row of layer 0, head 0 after the last step.
            ("final_cls_rows", .array(track.rows.map { .doubles($0.last![0][0]) })),
        ])
        let history = JSON.object((outcome.history.pairs ?? []) + [
            ("tokens", .array(track.tokens.map { .array($0.map { .int(Int($0)) }) })),
            // [label][step][key] (one layer, one head).
            ("cls_rows", .array(track.rows.map { .array($0.map { .doubles($0[0][0]) }) })),
        ])
        return ExperimentOutput(summary: summary, history: history, iterations: s.steps)
    }


}
