// The classification experiment's data and the label-mixing draws.

@testable import Experiments
import Figures
import Randomness
import TestSupport
import Plot
import Testing
import Records

@Suite struct ClassificationDataTests {
    /// Every sample: 10 distinct tokens of its label's group, then CLS; labels cover 0…3.
    @Test(arguments: [41, 81, 161])
    func samplesAreDistinctTokensOfTheirGroup(vocabulary: Int) {
        let (train, evaluation) = ClassificationData.make(train: 300, evaluation: 50, vocabulary: vocabulary, seed: 1)
        let group = Int32((vocabulary - 1) / 4)
        for data in [train, evaluation] {
            for i in 0..<data.count {
                let content = Array(data.content(i)), label = data.labels[i]
                #expect(Set(content).count == 10)
                #expect(content.allSatisfy { $0 > label * group && $0 <= (label + 1) * group })
                #expect(data.tokens[i * 11 + 10] == ClassificationData.cls)
            }
        }
        #expect(Set(train.labels) == [0, 1, 2, 3])
        let (again, _) = ClassificationData.make(train: 300, evaluation: 50, vocabulary: vocabulary, seed: 1)
        #expect(again.tokens == train.tokens && again.labels == train.labels)
    }

    @Test func batchesPutTheLabelAtTheCLSPosition() {
        let (train, _) = ClassificationData.make(train: 4, evaluation: 0, vocabulary: 41, seed: 0)
        let (inputs, targets) = train.batch([3, 1])
        #expect(Array(inputs[0..<11]) == Array(train.tokens[33..<44]))
        #expect(targets[10] == train.labels[3] && targets[21] == train.labels[1] && targets[0..<10].allSatisfy { $0 == 0 })
    }
}

@Suite struct LabelMixingTests {
    static let fixture = try? Fixtures.json("label_mixing.json")

    static func ints(_ j: JSON) -> [Int] { j.array!.map { Int($0.double!) } }

    /// Descending by weight, ties larger index first: numpy's argsort(...)[::-1] on every row.
    @Test func rankingsEqualNumpys() throws {
        let f = try #require(Self.fixture)
        for (weights, expected) in zip(f["weights"]!.array!, f["rankings"]!.array!) {
            #expect(LabelMixing.ranking(weights.array!.map { Double(Float($0.double!)) }) == Self.ints(expected))
        }
    }

    /// Two rounds of 25 pairs on one `random.seed(0)` stream: the same labels, samples and shuffles.
    @Test func pairsEqualTheAuthorsDraws() throws {
        let f = try #require(Self.fixture)
        let data = ClassificationData(tokens: f["samples"]!.array!.flatMap { Self.ints($0).map(Int32.init) },
                                      labels: Self.ints(f["labels"]!).map(Int32.init))
        let rankings = f["rankings"]!.array!.map(Self.ints)
        var random = PythonRandom(seed: 0)
        for round in f["rounds"]!.array! {
            let pairs = LabelMixing.pairs(data, rankings: rankings, count: 25, random: &random)
            let expected = round.array!.map {
                MixedPair(labelA: Int32($0["la"]!.double!), labelB: Int32($0["lb"]!.double!),
                          mixedA: Self.ints($0["a"]!).map(Int32.init), mixedB: Self.ints($0["b"]!).map(Int32.init))
            }
            #expect(pairs == expected)
        }
    }
}

@Suite struct ClassificationTrainingTests {
    static var tiny: ClassificationSetup {
        var s = ClassificationSetup()
        s.width = 16; s.layers = 1; s.heads = 2; s.mlp = false; s.layerNorm = false
        s.train = 256; s.evaluation = 64; s.epochs = 3; s.batch = 64; s.mixingPairs = 20; s.learningRate = 1e-2
        return s
    }

    /// Three epochs of a width-16 model: the loss falls; CLS rows of softmax sum to one; rates are fractions.
    @Test func aTinyRunTrainsAndMeasures() {
        let outcome = ClassificationTraining.run(Self.tiny, threads: 1)
        #expect(outcome.trainLoss.count == 3 && outcome.trainLoss[2] < outcome.trainLoss[0])
        #expect(outcome.heads.count == 1 && outcome.heads[0].count == 2)
        for m in outcome.heads.joined() {
            #expect(abs(m.absoluteSum - 1) < 1e-5 && m.relativeMax <= 1 && m.relativeMax >= 1.0 / 11 - 1e-6)
            #expect((0...1).contains(m.dominanceA) && (0...1).contains(m.dominanceB))
        }
    }

    /// Same numbers on 1 and 2 threads, bit for bit.
    @Test func runsDoNotDependOnTheThreadCount() {
        let one = ClassificationTraining.run(Self.tiny, threads: 1), two = ClassificationTraining.run(Self.tiny, threads: 2)
        #expect(one.trainLoss.map(\.bitPattern) == two.trainLoss.map(\.bitPattern))
        #expect(one.heads.joined().map(\.averageDominance) == two.heads.joined().map(\.averageDominance))
        #expect(one.heads.joined().map(\.relativeMax.bitPattern) == two.heads.joined().map(\.relativeMax.bitPattern))
    }
}

@Suite struct SampleTrackingTests {
    /// One record per optimizer step for each label's first evaluation sample; softmax rows sum to one;
    /// the figure draws 11 lines per panel without step 0.
    @Test func tracksEveryStepAndDraws() throws {
        var setup = ClassificationTrainingTests.tiny
        setup.heads = 1
        let (outcome, track) = try #require(SampleTracking.run(setup, threads: 1))
        #expect(outcome.trainLoss.count == setup.epochs)
        #expect(track.rows.count == 4 && track.rows.allSatisfy { $0.count == setup.steps })
        #expect(track.tokens.map { $0.last } == [0, 0, 0, 0])
        for label in track.rows { for step in label { #expect(abs(step[0][0].reduce(0, +) - 1) < 1e-5) } }
        let figure = SampleTrackingFigure.make(track)
        #expect(figure[0, 0].lines.count == 11 && figure[0, 1].lines.count == 11)
        #expect(figure[0, 0].lines[0].x.first == 1 && figure[0, 0].lines[0].x.count == setup.steps - 1)
    }
}
