// The induction experiment's data and one tiny training run.

import Experiments
import Foundation
import TestSupport
import Testing
import Transformer

@Suite struct InductionDataTests {
    static func checksum(_ tokens: [Int32]) -> UInt64 {
        let modulus: UInt64 = (1 << 61) - 1
        return tokens.reduce(0) { h, t in
            UInt64((UInt128(h) * 1_000_003 + UInt128(t)) % UInt128(modulus))
        }
    }

    /// Python's InductionDataset (Tests/Reference/induction_dataset.py) and ours, seeds 0 (shift)
    /// and 3 (no shift): the first sequences verbatim, all 101 000 by checksum.
    @Test(arguments: [0, 1])
    func sequencesEqualTheAuthors(index: Int) throws {
        let c = try #require(try Fixtures.json("induction_dataset.json")["cases"]?.array?[index])
        let shift: Bool = if case let .bool(b) = c["shift"]! { b } else { false }
        let (train, evaluation) = InductionData.make(train: 100_000, evaluation: 1_000,
                                                     seed: UInt64(c["seed"]!.double!), shiftQuery: shift)
        let head = c["train_head"]!.array!.flatMap { $0.array!.map { Int32($0.double!) } }
        #expect(Array(train.sequences.prefix(head.count)) == head)
        let evalHead = c["eval_head"]!.array!.flatMap { $0.array!.map { Int32($0.double!) } }
        #expect(Array(evaluation.sequences.prefix(evalHead.count)) == evalHead)
        #expect(Self.checksum(train.sequences) == UInt64(c["train_checksum"]!.string!)!)
        #expect(Self.checksum(evaluation.sequences) == UInt64(c["eval_checksum"]!.string!)!)
    }

    @Test func batchesSplitInputsAndTargets() {
        let (train, _) = InductionData.make(train: 3, evaluation: 0, seed: 0, shiftQuery: true)
        let (inputs, targets) = train.batch([2, 0])
        #expect(inputs.count == 24 && targets.count == 24)
        #expect(Array(inputs[0..<12]) == Array(train.sequences[26..<38]))
        #expect(Array(targets[12..<24]) == Array(train.sequences[1..<13]))
        #expect(inputs[0] == 0 && inputs[12] == 0)
    }
}

@Suite struct InductionTrainingTests {
    static func tiny(_ kind: AttentionKind = .softmax, lr: Double = 3e-3) -> InductionSetup {
        var s = InductionSetup()
        s.train = 512; s.evaluation = 64; s.epochs = 2; s.batch = 128; s.width = 32; s.heads = 2
        s.attention = kind; s.learningRate = lr
        return s
    }

    /// Two epochs of a width-32 model: the loss falls, the scores are fractions, the metrics have one
    /// entry per layer and head, and softmax rows sum to one (abs_attn_all = 1).
    @Test func aTinyRunTrainsAndMeasures() {
        let outcome = InductionTraining.run(Self.tiny(), threads: 1)
        #expect(outcome.trainLoss.count == 2 && outcome.trainLoss[1] < outcome.trainLoss[0])
        #expect(outcome.divergedAtStep == nil)
        #expect(outcome.accuracyAll.allSatisfy { (0...1).contains($0) } && outcome.accuracyInduction.allSatisfy { (0...1).contains($0) })
        #expect(outcome.sinks.count == 2 && outcome.sinks.allSatisfy { $0.count == 2 })
        for m in outcome.sinks.joined() {
            #expect(abs(m.absoluteAll - 1) < 1e-5 && (0...1).contains(m.absoluteBOS))
            #expect(abs(m.relativeBOS - m.absoluteBOS) < 1e-5)
        }
    }

    /// Same setup on 1 and 2 threads: the same numbers, bit for bit.
    @Test func runsDoNotDependOnTheThreadCount() {
        let one = InductionTraining.run(Self.tiny(.sigmoidUnnorm), threads: 1)
        let two = InductionTraining.run(Self.tiny(.sigmoidUnnorm), threads: 2)
        #expect(one.trainLoss.map(\.bitPattern) == two.trainLoss.map(\.bitPattern))
        #expect(one.sinks.joined().map(\.relativeBOSGlobal.bitPattern) == two.sinks.joined().map(\.relativeBOSGlobal.bitPattern))
    }

    /// A learning rate that blows up: the run stops at the NaN step and scores as NaN parameters do.
    @Test func aDivergedRunIsRecordedNotCrashed() {
        let outcome = InductionTraining.run(Self.tiny(.rawDotProductUnnorm, lr: 1e6), threads: 1)
        if let step = outcome.divergedAtStep {
            #expect(step >= 1 && outcome.accuracyInduction.last == 0 && outcome.evalLoss.last!.isNaN)
            #expect(outcome.sinks.joined().allSatisfy { $0.relativeBOSGlobal.isNaN })
        } else {
            Issue.record("lr 1e6 did not diverge; the divergence path is untested")
        }
    }
}
