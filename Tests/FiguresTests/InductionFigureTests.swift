// F8/F9 from hand-made run records: which runs count, the bar positions, the red crosses.

@testable import Experiments
@testable import Figures
import Plot
import Testing
import Transformer

@Suite struct InductionFigureTests {
    /// Every plotted kind with two runs (aux 0.2, shifted query, added positions), except that
    /// mlp_unnorm has no run and sigmoid_unnorm never reaches 95 % accuracy; plus one run of
    /// another setting that must not count.
    static let records: [InductionRunRecord] = {
        var records: [InductionRunRecord] = []
        for kind in AttentionKind.allCases where kind != .uniform && kind != .mlpUnnorm {
            let accuracy = kind == .sigmoidUnnorm ? 0.5 : 1.0
            records.append(InductionRunRecord(attention: kind, shiftQuery: true, positional: .add, auxWeight: 0.2,
                                              accuracyInduction: accuracy, relativeBOSGlobal: [0.95, 0.5, .nan, 0.91]))
            records.append(InductionRunRecord(attention: kind, shiftQuery: true, positional: .add, auxWeight: 0.2,
                                              accuracyInduction: accuracy * 0.97, relativeBOSGlobal: [0.1, 0.2, 0.3, 0.4]))
        }
        records.append(InductionRunRecord(attention: .softmax, shiftQuery: false, positional: .add, auxWeight: 0.2,
                                          accuracyInduction: 0, relativeBOSGlobal: [1, 1, 1, 1]))
        return records
    }()

    @Test func sinkProportionCountsOnlyHeadsThatAreNotNaN() {
        #expect(Self.records[0].sinkProportion == 2.0 / 3.0)
    }

    @Test func sinkFigureFiltersByAccuracyAndMarksMissingBars() throws {
        let figure = InductionSweepFigures.sinkProportions(Self.records, aux: 0.2, shift: true, positional: .add)
        let axes = try #require(figure[0, 0])
        #expect(axes.bars.count == 2)
        let normalized = axes.bars[0], unnormalized = axes.bars[1]
        #expect(normalized.x.count == 6 && unnormalized.x.count == 3)
        #expect(abs(normalized.x[0] - (-0.175 + 0.315 / 1.7)) < 1e-12)  // softmax, moved right
        #expect(normalized.heights.allSatisfy { abs($0 - (2.0 / 3.0 + 0) / 2) < 1e-12 })
        #expect(unnormalized.x == [2.175, 3.175, 5.175])
        let crosses = try #require(axes.markers.first)
        #expect(crosses.x == [1.175, 4.175] && crosses.y == [0.1, 0.1])
        #expect(axes.yLabel == "% of sink heads" && axes.xTicks?.map(\.1) == KindBars.bases.map(\.label))
    }

    @Test func accuracyFigureUsesAllRunsAndHatches() throws {
        let axes = try #require(InductionSweepFigures.accuracy(Self.records, aux: 0.2, shift: true, positional: .add)[0, 0])
        #expect(axes.bars[1].x.count == 4 && axes.bars.allSatisfy { $0.hatch == "xxxxxxxxx" })
        #expect(abs(axes.bars[1].heights[0] - 0.5 * 1.97 / 2) < 1e-12)  // sigmoid_unnorm counts here
        #expect(axes.markers.first?.x == [4.175])
    }

    @Test func fileNamesFollowTheAuthors() {
        #expect(FigureName.induction("sink_proportions", aux: 0.2, shift: true, positional: .add) == "sink_proportions_aux0.2_shift_add")
        #expect(FigureName.induction("accuracy", aux: 0.0, shift: false, positional: .no) == "accuracy_aux0.0_noshift_no")
    }

    @Test func bothRender() throws {
        for figure in [InductionSweepFigures.sinkProportions(Self.records, aux: 0.2, shift: true, positional: .add),
                       InductionSweepFigures.accuracy(Self.records, aux: 0.2, shift: true, positional: .add)] {
            #expect(try Renderer.png(figure).count > 1000)
        }
    }
}

@Suite struct FlipRateFigureTests {
    /// Only one-layer, one-head runs of the figure's setting count; the legend stays.
    @Test func selectsItsRunsAndKeepsTheLegend() throws {
        var runs: [ClassificationRunRecord] = []
        for kind in AttentionKind.allCases where kind != .uniform {
            runs.append(ClassificationRunRecord(attention: kind, vocabulary: 41, layers: 1, heads: 1, mlp: false, layerNorm: true,
                                                dominance: kind == .softmax ? 1 : 0.2))
            runs.append(ClassificationRunRecord(attention: kind, vocabulary: 41, layers: 2, heads: 1, mlp: false, layerNorm: true,
                                                dominance: 0.9))
        }
        let axes = FlipRateFigure.make(runs, vocabulary: 41, mlp: false, layerNorm: true)[0, 0]
        #expect(axes.bars[0].heights == [1, 0.2, 0.2, 0.2, 0.2, 0.2] && axes.bars[1].heights.count == 5)
        #expect(axes.bars.allSatisfy { $0.hatch == "...." } && axes.markers.isEmpty)
        #expect(axes.legend?.dropIfOverlappingBars == false && axes.legend?.columns == 2 && axes.yLabel == "Flip Rate")
        #expect(FigureName.flipRate(vocabulary: 81, mlp: true, layerNorm: false) == "fliprate_vocab81_mlp_noln")
    }
}

@Suite struct PartialSweepFigureTests {
    static func record(_ kind: AttentionKind, _ flipRate: Double) -> ClassificationRunRecord {
        ClassificationRunRecord(attention: kind, vocabulary: 41, layers: 1, heads: 1, mlp: false, layerNorm: false, dominance: flipRate)
    }

    /// Three planned runs per kind, two softmax and one sigmoid_unnorm stored: bars say 2/3 and 1/3,
    /// and only the bar of two runs has a (95 % bootstrap) interval, inside the range of its runs.
    @Test func partialBarsSayNOfNWithABootstrapInterval() {
        let stored = [Self.record(.softmax, 0.9), Self.record(.softmax, 0.7), Self.record(.sigmoidUnnorm, 0.1)]
        let planned = stored + [Self.record(.softmax, .nan), Self.record(.sigmoidUnnorm, .nan), Self.record(.sigmoidUnnorm, .nan)]
        let axes = FlipRateFigure.make(stored, vocabulary: 41, mlp: false, layerNorm: false, planned: planned).axes[0]
        #expect(axes.annotations.map(\.text) == ["2/3", "1/3"])
        #expect(axes.lines.count == 1)
        let interval = axes.lines[0].y
        #expect(interval[0] >= 0.7 && interval[1] <= 0.9 && interval[0] < interval[1], "\(interval)")
        // Drawn twice, the same interval (fixed resampling stream).
        #expect(FlipRateFigure.make(stored, vocabulary: 41, mlp: false, layerNorm: false, planned: planned).axes[0].lines[0].y == interval)
        // A complete sweep is drawn as the paper's figure: no marks.
        let complete = FlipRateFigure.make(stored, vocabulary: 41, mlp: false, layerNorm: false).axes[0]
        #expect(complete.annotations.isEmpty && complete.lines.isEmpty)
    }
}
