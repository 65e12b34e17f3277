// The paper's claims (docs/spec.md §12) decide on the runs' numbers: move a value across its
// threshold and the verdict flips; runs that cannot decide a claim leave it undecided.

@testable import Experiments
@testable import Figures
import Records
import Testing

@Suite struct PaperClaimTests {
    static func claim(_ id: String) -> PaperClaim { PaperClaims.all.first { $0.id == id }! }

    static func run(_ id: String, _ summary: [(String, JSON)], config: [(String, JSON)] = []) -> RunRecord {
        RunRecord(id: id, config: .object(config), summary: .object(summary), history: .object([]))
    }

    @Test func everyClaimHasAKnownFigureAndExperiment() {
        let ids = Set(PaperFigures.all.map(\.id))
        #expect(PaperClaims.all.count == 8)
        for claim in PaperClaims.all {
            #expect(claim.figures.allSatisfy(ids.contains), "\(claim.id)")
            #expect(PaperFigures.all.contains { claim.figures.contains($0.id) && $0.experiment == claim.experiment }, "\(claim.id)")
        }
    }

    @Test func polarizationIsReadAgainstItsThreshold() throws {
        func c1(_ top: Double) throws -> ClaimVerdict {
            try Self.claim("C1").judge([Self.run("logistic", [("final_sigma", .doubles([1 - top, top]))])])
        }
        #expect(try c1(0.951).word == "holds")
        #expect(try c1(0.949).word == "fails")
        #expect(try c1(0.96).evidence.contains("σ(a)_2 of 2"))
        func c4(_ top: Double) throws -> String { try Self.claim("C4").judge([Self.run("kl", [("final_sigma_max", .number(top))])]).word }
        #expect(try c4(0.97) == "holds" && c4(0.9) == "fails")
    }

    @Test func conditioningNeedsUniformSmallKappasAndPolarizedLargeOnes() throws {
        // D = 4: near uniform below 2/4; polarized above 0.5.
        func c3(small: [Double], large: [Double]) throws -> String {
            let kappas = (1...5).map { ("kappa\($0)", JSON.object([("final_a", .doubles($0 <= 2 ? small : large))])) }
            return try Self.claim("C3").judge([Self.run("conditioning", kappas)]).word
        }
        #expect(try c3(small: [0, 0, 0, 0], large: [5, 0, 0, 0]) == "holds")
        #expect(try c3(small: [5, 0, 0, 0], large: [5, 0, 0, 0]) == "fails")   // κ = 1, 2 polarized too
        #expect(try c3(small: [0, 0, 0, 0], large: [0.2, 0, 0, 0]) == "fails")   // κ ≥ 3 did not polarize
    }

    @Test func sinkClaimComparesLearnedRunsOnly() throws {
        func induction(_ kind: String, acc: Double, sinks: [Double]) -> RunRecord {
            Self.run("\(kind)_add_shift_aux0.2", [("acc_induction", .number(acc)), ("rel_attn_bos_global", .matrix([[0, 0], sinks]))],
                     config: [("seed", .int(0)), ("shift_query_token", .bool(true)), ("num_heads", .int(2)), ("attention_type", .string(kind)),
                              ("positional_type", .string("add")), ("lr", .number(0.001)), ("aux_loss_weight", .number(0.2)),
                              ("num_train", .int(256)), ("num_eval", .int(64)), ("num_epochs", .int(1)), ("batch_size", .int(64)),
                              ("embed_dim", .int(16)), ("num_layers", .int(2))])
        }
        let softmax = induction("softmax", acc: 1, sinks: [1, 1])
        let judge = { (runs: [RunRecord]) in try Self.claim("C5").judge(runs) }
        #expect(try judge([softmax, induction("sigmoid_unnorm", acc: 1, sinks: [0, 1])]).word == "holds")
        #expect(try judge([softmax, induction("sigmoid_unnorm", acc: 1, sinks: [1, 1])]).word == "fails")
        // An unnormalized run that did not learn is not compared; with none left the claim is undecided.
        #expect(try judge([softmax, induction("sigmoid_unnorm", acc: 0.5, sinks: [1, 1])]).word == "undecided")
        #expect(try judge([induction("softmax", acc: 0.5, sinks: [1, 1])]).word == "undecided")
    }
}
