// The label-mixing test of docs/spec.md §6.3 (`run_label_mixing_experiment`), with the authors' draws
// from CPython `random` in their order: per pair sample(labels, 2), choice, choice, shuffle(A),
// shuffle(B); one stream for every (layer, head) in turn.
//
// ranking(x): content positions by the CLS row's attention, descending; ties put the larger index
// first (numpy's stable ascending argsort, reversed). Mixed A = the top-1 token of a + the 9
// non-top-1 tokens of b, shuffled, then CLS; mixed B symmetric. A pair counts when the model
// predicts a's label for A (rate a) and b's label for B (rate b).

import Randomness

public struct MixedPair: Sendable, Equatable {
    public var labelA: Int32, labelB: Int32
    public var mixedA: [Int32], mixedB: [Int32]
}

public enum LabelMixing {
    /// Positions 0…9 sorted by `weights` descending, ties larger index first.
    public static func ranking(_ weights: [Double]) -> [Int] {
        weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 > $1 }
    }

    /// The `count` pairs of one (layer, head): `rankings[i]` is eval sample i's ranking.
    public static func pairs(_ data: ClassificationData, rankings: [[Int]], count: Int,
                             random: inout PythonRandom) -> [MixedPair] {
        var byLabel: [Int32: [Int]] = [:]
        for i in 0..<data.count { byLabel[data.labels[i], default: []].append(i) }
        let labels = byLabel.keys.sorted()
        return (0..<count).map { _ in
            let chosen = random.sample(labels, 2)
            let (la, lb) = (chosen[0], chosen[1])
            let sa = random.choice(byLabel[la]!), sb = random.choice(byLabel[lb]!)
            let (ca, cb) = (Array(data.content(sa)), Array(data.content(sb)))
            var mixedA = [ca[rankings[sa][0]]] + rankings[sb].dropFirst().map { cb[$0] }
            var mixedB = [cb[rankings[sb][0]]] + rankings[sa].dropFirst().map { ca[$0] }
            random.shuffle(&mixedA)
            random.shuffle(&mixedB)
            return MixedPair(labelA: la, labelB: lb, mixedA: mixedA + [ClassificationData.cls], mixedB: mixedB + [ClassificationData.cls])
        }
    }
}
