// What the induction figures and the report read from one stored run, and the two thresholds of
// docs/spec.md §5.5, defined once: a run has *learned* when its induction accuracy exceeds
// `learnedAccuracy`; a layer-1 head is a *sink head* when its rel_attn_bos_global exceeds
// `sinkHead` (both strict).

import Transformer

/// A run record with an attention kind (the bars' x and hue).
public protocol KindRecord { var attention: AttentionKind { get } }

/// What the sweep figures read from one run.
public struct InductionRunRecord: Sendable, Hashable, KindRecord {
    public var attention: AttentionKind
    public var shiftQuery: Bool
    public var positional: Positional
    public var auxWeight: Double
    public var accuracyInduction: Double
    /// Layer 1 (the second layer), one value per head.
    public var relativeBOSGlobal: [Double]

    public init(attention: AttentionKind, shiftQuery: Bool, positional: Positional, auxWeight: Double,
                accuracyInduction: Double, relativeBOSGlobal: [Double]) {
        self.attention = attention; self.shiftQuery = shiftQuery; self.positional = positional
        self.auxWeight = auxWeight; self.accuracyInduction = accuracyInduction; self.relativeBOSGlobal = relativeBOSGlobal
    }

    /// A run counts as having learned the task above this induction accuracy (strict).
    public static let learnedAccuracy = 0.95
    /// A layer-1 head is a sink head above this rel_attn_bos_global (strict).
    public static let sinkHead = 0.9

    public var isLearned: Bool { accuracyInduction > Self.learnedAccuracy }

    /// Layer-1 heads of this run that are sink heads (NaN heads are not counted).
    public var sinkHeads: Int { relativeBOSGlobal.filter { $0 > Self.sinkHead }.count }

    /// Layer-1 heads with a value (the denominator of the sink share).
    public var presentHeads: Int { relativeBOSGlobal.filter { !$0.isNaN }.count }

    /// #{sink heads} / #{heads that are not NaN}.
    public var sinkProportion: Double { Double(sinkHeads) / Double(presentHeads) }
}
