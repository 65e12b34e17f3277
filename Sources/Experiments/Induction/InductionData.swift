// The induction-head data of docs/spec.md §5.1, exactly as the authors draw it with CPython's `random`.
//
// A sequence is [0 (BOS), m₁ … m₁₀, q, c]: ten distinct tokens from 1…49 (`random.sample`), then a
// copy q of m_{r+1} with r = randint(0, 9) (+50 when the query token is shifted), then the token
// that followed it, c = (m + [q])[r + 1] (q itself when r = 9). Inputs are tokens 0…11, targets
// 1…12; position 11 (the query) is where the induction answer is scored.

import Randomness

public struct InductionData: Sendable {
    public static let sequenceLength = 13, vocabulary = 50
    /// Inputs and targets per sequence (the sequence minus its last or first token).
    public static let length = sequenceLength - 1

    /// count × 13 tokens, row-major.
    public let sequences: [Int32]
    public var count: Int { sequences.count / Self.sequenceLength }

    /// The training set, then the evaluation set, from one stream seeded like `random.seed(seed)`.
    public static func make(train: Int, evaluation: Int, seed: UInt64, shiftQuery: Bool) -> (train: InductionData, evaluation: InductionData) {
        var random = PythonRandom(seed: seed)
        let available = Array(Int32(1) ..< Int32(vocabulary))
        func draw(_ count: Int) -> InductionData {
            var sequences: [Int32] = []
            sequences.reserveCapacity(count * sequenceLength)
            for _ in 0..<count {
                let main = random.sample(available, sequenceLength - 3)
                let r = random.randint(0, sequenceLength - 4)
                let query = main[r] + (shiftQuery ? Int32(vocabulary) : 0)
                let next = r + 1 < main.count ? main[r + 1] : query
                sequences += [0] + main + [query, next]
            }
            return InductionData(sequences: sequences)
        }
        let train = draw(train)
        return (train, draw(evaluation))
    }

    /// Inputs and targets ([n × 12] each) of the sequences at `indices`, in that order.
    public func batch(_ indices: some Collection<Int>) -> (inputs: [Int32], targets: [Int32]) {
        var inputs: [Int32] = [], targets: [Int32] = []
        inputs.reserveCapacity(indices.count * Self.length)
        targets.reserveCapacity(indices.count * Self.length)
        for i in indices {
            let start = i * Self.sequenceLength
            inputs += sequences[start ..< start + Self.length]
            targets += sequences[start + 1 ..< start + Self.sequenceLength]
        }
        return (inputs, targets)
    }
}
