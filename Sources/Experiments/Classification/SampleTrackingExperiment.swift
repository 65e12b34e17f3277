// F12 as a pipeline experiment (PAPER.md §6.6): one classification run (1 layer, 1 head, no MLP,
// no LN, vocabulary 41, softmax, seed 0: the notebook sets no seed) with the CLS row of the first
// evaluation sample of each label recorded after every optimizer step. Smoke: the tiny model.

import Plot

public struct SampleTrackingExperiment: SingleRunExperiment {
    public let name = "sample-tracking"
    public let title = "F12 CLS-row attention of one sample per label after every step: one key takes over"
    public let section = "Sec. 4.2, §6.6"
    public var figures: [String] { [SampleTrackingFigure.name] }

    public init() {}

    func setup(_ scale: Scale) -> ClassificationSetup {
        var s = scale == .smoke ? ClassificationSetup.smoke : ClassificationSetup()
        s.layers = 1; s.heads = 1; s.mlp = false; s.layerNorm = false
        if scale == .smoke { s.epochs = 4 }
        return s
    }

    public func configuration(_ scale: Scale) -> JSON { setup(scale).config }
    public func iterations(_ scale: Scale) -> Int { setup(scale).steps }
    /// 400 steps plus 400 tracking forwards and the metrics: about 17 s at the paper scale.
    public let nanosecondsPerIteration = 4.2e7

    public func run(_ scale: Scale, progress: @escaping ProgressTick) -> ExperimentOutput {
        run(scale, threads: 1, progress: progress)
    }

    public func run(_ spec: RunSpec, threads: Int, progress: @escaping ProgressTick) throws -> ExperimentOutput {
        run(spec.scale == .smoke ? .smoke : .paper, threads: threads, progress: progress)
    }

    func run(_ scale: Scale, threads: Int, progress: @escaping ProgressTick) -> ExperimentOutput {
        let s = setup(scale)
        let (outcome, track) = SampleTracking.run(s, threads: threads, step: progress)
        let summary = JSON.object([
            ("acc", .number(outcome.accuracy.last ?? .nan)),
            ("tracked_tokens", .array(track.tokens.map { .array($0.map { .int(Int($0)) }) })),
            // [label][key]: the CLS row of layer 0, head 0 after the last step.
            ("final_cls_rows", .array(track.rows.map { .doubles($0.last![0][0]) })),
        ])
        let history = JSON.object([
            ("tokens", .array(track.tokens.map { .array($0.map { .int(Int($0)) }) })),
            // [label][step][key] (one layer, one head).
            ("cls_rows", .array(track.rows.map { .array($0.map { .doubles($0[0][0]) }) })),
        ])
        return ExperimentOutput(summary: summary, history: history, iterations: s.steps)
    }

    public func figures(summary: JSON, history: JSON) throws -> [(name: String, figure: Figure)] {
        guard let tokens = history["tokens"]?.array?.map({ $0.array?.compactMap(\.int).map(Int32.init) ?? [] }),
              let rows = history["cls_rows"]?.array?.map({ $0.array?.map { [[$0.array?.compactMap(\.double) ?? []]] } ?? [] }),
              tokens.count >= 2, rows.count >= 2 else {
            throw ExperimentError.badRecords(name, "history lacks tokens or cls_rows")
        }
        return [(SampleTrackingFigure.name, SampleTrackingFigure.make(SampleTrack(tokens: tokens, rows: rows)))]
    }
}
