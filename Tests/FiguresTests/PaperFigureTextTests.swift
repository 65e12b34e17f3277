// The report's measured facts come from the runs, not from typed text: change a summary or config
// value and the sentence changes with it.

@testable import Experiments
@testable import Figures
import Records
import Testing

@Suite struct PaperFigureTextTests {
    static func figure(_ id: String) -> PaperFigure { PaperFigures.all.first { $0.id == id }! }

    @Test func logisticNumbersFollowTheRun() throws {
        func numbers(dim: Int, argmax: Int) throws -> [String: String] {
            let summary = JSON.object([("initial_loss", .number(0.7)), ("final_loss", .number(1e-5)),
                                       ("final_sigma", .doubles([0.01, 0.99])), ("argmax_sigma", .int(argmax))])
            let run = RunRecord(id: "logistic", config: .object([("dim", .int(dim))]), summary: summary, history: .object([]))
            return Dictionary(uniqueKeysWithValues: try Self.figure("F1").measure([run]).map { ($0.label, $0.value) })
        }
        let a = try numbers(dim: 8, argmax: 6), b = try numbers(dim: 12, argmax: 2)
        #expect(a["dimension D"] == "8" && b["dimension D"] == "12")
        // Counted from 1 as the legend counts: index 6 is σ(a)_7.
        #expect(a["the coordinate that wins"] == "σ(a)_7" && b["the coordinate that wins"] == "σ(a)_3")
        #expect(!Self.figure("F1").shows.contains("D = "))
    }

    @Test func conditioningSaysWhichKappaPolarizes() throws {
        func state(_ a: [Double]) throws -> String {
            let kappas = (1...5).map { ("kappa\($0)", JSON.object([("final_a", .doubles(a)), ("final_loss", .number(1))])) }
            let run = RunRecord(id: "conditioning", config: .object([]), summary: .object(kappas), history: .object([]))
            return try Self.figure("F5").measure([run])[0].value
        }
        #expect(try state([5, 0, 0, 0]).contains("(polarized)"))
        #expect(try state([0.1, 0, 0, 0]).contains("(near uniform)"))
    }
}
