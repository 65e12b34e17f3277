// A training step that runs the end of the last block on its loss positions only (LossRows)
// against the same step on every position: the same bits, loss, gradients and parameters.

import SIMDCore
import Testing
@testable import Transformer

@Suite struct LossRowsTests {
    /// Batch rows 0..<480 (40 sequences of 12) span two K-blocks of 256, the boundary inside a
    /// sequence: the kept rows' weight gradients must sum in the two blocks the full product uses.
    static let batch = 40, length = 12

    static let configs: [ModelConfig] = [
        ModelConfig(vocabulary: 30, outputs: 30, width: 32, layers: 2, heads: 2),
        ModelConfig(vocabulary: 30, outputs: 4, width: 32, layers: 1, heads: 2, causal: false, attention: .mlpNorm, positional: .no),
        ModelConfig(vocabulary: 30, outputs: 30, width: 32, layers: 2, heads: 4, mlp: false, layerNorm: false, attention: .linear),
        ModelConfig(vocabulary: 30, outputs: 30, width: 32, layers: 2, heads: 2, layerNorm: false, attention: .sigmoidUnnorm,
                    positional: .add),
        ModelConfig(vocabulary: 30, outputs: 30, width: 32, layers: 1, heads: 2, mlp: false, causal: false,
                    attention: .rawDotProductNorm),
        ModelConfig(vocabulary: 30, outputs: 30, width: 32, layers: 1, heads: 2, layerNorm: false, attention: .coupledLinearUnnorm),
        ModelConfig(vocabulary: 30, outputs: 30, width: 32, layers: 2, heads: 2, attention: .uniform),
    ]

    /// The last position (classification, induction without the auxiliary loss), two positions,
    /// one position that is not the last, and two runs of positions.
    static let patterns: [[Float]] = [
        (0..<length).map { $0 == length - 1 ? 1 / Float(batch) : 0 },
        (0..<length).map { $0 == 3 || $0 == 10 ? 0.5 / Float(batch) : 0 },
        (0..<length).map { $0 == 0 ? 1 / Float(batch) : 0 },
        (0..<length).map { [1, 2, 3, 7, 8].contains($0) ? 0.2 / Float(batch) : 0 },
    ]

    @Test(arguments: configs.indices, patterns.indices)
    func lossRowsGiveTheBitsOfEveryRow(config c: Int, pattern w: Int) {
        let config = Self.configs[c], weights = Self.patterns[w], (batch, length) = (Self.batch, Self.length)
        let tokens = (0..<batch * length).map { Int32(($0 * 37 + 11) % 30) }
        let targets = (0..<batch * length).map { Int32(($0 * 17 + 5) % config.outputs) }
        let positions = weights.indices.filter { weights[$0] != 0 }
        #expect(LossRows(positions: positions, batch: batch, length: length)!.blocks.count == 2)
        func train(lossRows: Bool) -> (losses: [Double], gradients: [Float], parameters: [Float]) {
            let model = TransformerModel(config, seed: 5, threads: 2)
            var losses: [Double] = []
            for _ in 0..<2 {
                model.network.forward(tokens: tokens, batch: batch, length: length, lossPositions: lossRows ? positions : nil)
                #expect(model.network.lossRows != nil || !lossRows)
                losses.append(model.lossAndGradients(targets: targets, positionWeights: weights))
                model.applyGradients()
            }
            return (losses, model.gradients, model.parameters)
        }
        let (every, kept) = (train(lossRows: false), train(lossRows: true))
        #expect(every.losses.map(\.bitPattern) == kept.losses.map(\.bitPattern))
        #expect(Self.differing(every.gradients.map(\.bitPattern), kept.gradients.map(\.bitPattern)) == 0, "gradients differ")
        #expect(Self.differing(every.parameters.map(\.bitPattern), kept.parameters.map(\.bitPattern)) == 0, "parameters differ")
    }

    /// How many entries differ (all, if the lengths do).
    static func differing<B: Equatable>(_ x: [B], _ y: [B]) -> Int {
        x.count == y.count ? zip(x, y).filter { $0.0 != $0.1 }.count : max(x.count, y.count)
    }

    /// The Float64 engine (one running sum per product) too.
    @Test func float64GradientsAreTheSame() {
        let config = Self.configs[0], weights = Self.patterns[1].map(Double.init), (batch, length) = (6, 12)
        let tokens = (0..<batch * length).map { Int32(($0 * 37 + 11) % 30) }
        let targets = (0..<batch * length).map { Int32(($0 * 17 + 5) % 30) }
        func gradients(_ positions: [Int]?) -> [Double] {
            let network = Network<Double>(config, seed: 5)
            network.forward(tokens: tokens, batch: batch, length: length, lossPositions: positions)
            network.lossAndGradients(targets: targets, positionWeights: weights)
            return network.gradients.array
        }
        #expect(Self.differing(gradients(nil).map(\.bitPattern), gradients([3, 10]).map(\.bitPattern)) == 0)
    }

    /// Blocks follow the batch rows' K-blocks; spreading puts every packed row back and zeroes
    /// the rest.
    @Test func blocksAndSpread() {
        let kept = LossRows(positions: [2, 5], batch: 60, length: 7)!   // batch rows 0..<420
        // Rows 2, 5, 9, 12, …: compact row c is batch row c/2·7 + [2, 5][c % 2]; row 254 (c = 72) is
        // the last below 256, row 257 (c = 73) the first above.
        #expect(kept.blocks == [0 ..< 73, 73 ..< 120])
        #expect(kept.positionRuns == [2 ..< 3, 5 ..< 6])
        #expect(LossRows(positions: [0, 1, 4, 5, 6], batch: 1, length: 8)!.positionRuns == [0 ..< 2, 4 ..< 7])
        #expect(LossRows(positions: [0, 1, 2], batch: 4, length: 3) == nil)
        #expect(LossRows(positions: [], batch: 4, length: 3) == nil)
        let width = 3
        var x = [Float](repeating: -1, count: 420 * width)
        for c in 0..<kept.count { for i in 0..<width { x[c * width + i] = Float(c * width + i) } }
        x.withUnsafeMutableBufferPointer { kept.spread($0.baseAddress!, width: width) }
        var expected = [Float](repeating: 0, count: 420 * width)
        for c in 0..<kept.count { for i in 0..<width { expected[kept.row(c) * width + i] = Float(c * width + i) } }
        #expect(x == expected)
    }

    @Test func trainingFLOPsCountTheKeptRows() {
        let config = ModelConfig(vocabulary: 30, outputs: 4, width: 32, layers: 1, heads: 2)
        let every = config.trainingFLOPs(batch: 8, length: 11, positionWeights: [Float](repeating: 1, count: 11))
        let last = config.trainingFLOPs(batch: 8, length: 11, positionWeights: (0..<11).map { $0 == 10 ? 1 : 0 })
        // Per row and pass: k, v and attention 2d² + 2·H·T·hw = 2048 + 704 multiply-adds on all
        // 88 rows; q, o_proj and MLP d² + d² + 8d² = 10240 and the output layer d·4 = 128 on 8
        // rows (or all 88).
        #expect(every == 3 * 2 * (88 * 2752 + 88 * 10368))
        #expect(last == 3 * 2 * (88 * 2752 + 8 * 10368))
    }
}
