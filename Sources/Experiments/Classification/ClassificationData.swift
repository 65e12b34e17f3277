// The toy classification data of docs/spec.md §6.1: ten distinct tokens of one label's group, then CLS.
//
// Vocabulary V ∈ {41, 81, 161} with CLS = 0; tokens 1…V−1 form four contiguous groups of
// G = (V−1)/4; label g ↔ tokens g·G+1 … (g+1)·G. A sample is a random ordering of 10 distinct tokens
// of its label's group followed by CLS (position 10). The authors draw labels and permutations
// from torch's global generator after the model init (so their data even depend on the
// architecture); torch's stream is not reproducible here, so labels come from randbelow(4) and
// tokens from sample(range(G), 10) of a CPython `random` stream seeded with seed + 2⁴¹: the same
// distribution, the training set first, then the evaluation set.

import Randomness

public struct ClassificationData: Sendable {
    public static let length = 11, labels = 4, contentLength = 10
    public static let cls: Int32 = 0

    /// count × 11 tokens, row-major.
    public let tokens: [Int32]
    public let labels: [Int32]
    public var count: Int { labels.count }

    public init(tokens: [Int32], labels: [Int32]) {
        precondition(tokens.count == labels.count * Self.length)
        self.tokens = tokens
        self.labels = labels
    }

    public static func make(train: Int, evaluation: Int, vocabulary: Int, seed: UInt64) -> (train: ClassificationData, evaluation: ClassificationData) {
        precondition((vocabulary - 1) % labels == 0 && (vocabulary - 1) / labels >= contentLength)
        let group = (vocabulary - 1) / labels
        var random = PythonRandom(seed: seed + (1 << 41))
        func draw(_ count: Int) -> ClassificationData {
            let labels = (0..<count).map { _ in Int32(random.randbelow(Self.labels)) }
            var tokens: [Int32] = []
            tokens.reserveCapacity(count * length)
            for label in labels {
                tokens += random.sample(Array(0..<Int32(group)), contentLength).map { $0 + label * Int32(group) + 1 }
                tokens.append(cls)
            }
            return ClassificationData(tokens: tokens, labels: labels)
        }
        let train = draw(train)
        return (train, draw(evaluation))
    }

    /// Inputs [n × 11] and per-position targets [n × 11] (the label at the CLS position, 0 elsewhere:
    /// the loss weighs only the CLS position).
    public func batch(_ indices: some Collection<Int>) -> (inputs: [Int32], targets: [Int32]) {
        var inputs: [Int32] = [], targets: [Int32] = []
        inputs.reserveCapacity(indices.count * Self.length)
        targets.reserveCapacity(indices.count * Self.length)
        for i in indices {
            inputs += tokens[i * Self.length ..< (i + 1) * Self.length]
            targets += Array(repeating: 0, count: Self.length - 1) + [labels[i]]
        }
        return (inputs, targets)
    }

    /// The 10 content tokens of sample i.
    public func content(_ i: Int) -> ArraySlice<Int32> { tokens[i * Self.length ..< i * Self.length + Self.contentLength] }
}
