// The initial states of E1–E5 equal NumPy's bit for bit, and the first steps follow the
// independent NumPy replay (Tests/Reference/numpy_replay.py, committed as Tests/Fixtures).

import GradientFlow
import SIMDCore
import TestSupport
import Testing
import Records

private func bits(_ json: JSON?) -> [UInt64] {
    guard let json else { return [] }
    if let items = json.array { return items.flatMap { bits($0) } }
    return [json.double!.bitPattern]
}

private func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

@Suite struct InitialStateTests {
    let replay: JSON

    init() throws { replay = try #require(try Fixtures.json("numpy_replay_smoke.json")["experiments"]) }

    @Test func logistic() {
        let initial = replay["logistic"]!["initial"]!
        let model = LogisticValueSoftmax(dim: 8, learningRate: 0.1)
        #expect(bits(model.w.array) == bits(initial["W"]))
        #expect(bits(model.a.array) == bits(initial["a"]))
        #expect(bits(model.beta.array) == bits(initial["beta"]))
        // a = 0·randn keeps the signs of the draws: −0.0 entries, exactly as NumPy.
        #expect(model.a.array.contains { $0.sign == .minus })
    }

    @Test(arguments: Normalization.allCases)
    func normalization(_ normalization: Normalization) {
        let initial = replay["normalization-square"]![normalization.rawValue]!["initial"]!
        let model = NormalizedValueModel(normalization: normalization, loss: .square, learningRate: 0.1, scaleV: 0.1)
        #expect(bits(model.v.array) == bits(initial["V"]))
        #expect(bits(model.a.array) == bits(initial["a"]))
        #expect(bits(model.beta.array) == bits(initial["beta"]))
    }

    @Test(arguments: [10, 20, 50, 100])
    func tied(dim: Int) {
        let initial = replay["tied"]![String(dim)]!["initial"]!
        let model = TiedValueSoftmax(dim: dim, learningRate: 0.05)
        #expect(bits(model.a.array) == bits(initial["a"]))
        #expect(bits(model.beta.array) == bits(initial["beta"]))
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func conditioning(kappa: Int) {
        let initial = replay["conditioning"]![String(kappa)]!["initial"]!
        let model = ConditionedRegression(conditionNumber: Double(kappa), learningRate: 0.001)
        #expect(bits(model.w.array) == bits(initial["W"]))
        #expect(bits(model.a.array) == bits(initial["a"]))
        #expect(bits(model.xRaw) == bits(initial["X_raw"]))
        #expect(bits(model.beta.array) == bits(initial["beta"]))
        // X from our Jacobi SVD vs LAPACK's: equal to rounding.
        let x = initial["X"]!.array!.flatMap { $0.array!.map { $0.double! } }
        let worst = zip(model.x.array, x).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-12, "max |X − X_numpy| = \(worst)")
    }

    @Test func kl() {
        let initial = replay["kl"]!["initial"]!
        let model = CrossEntropyTarget(learningRate: 0.1)
        #expect(bits(model.v.array) == bits(initial["V"]))
        #expect(bits(model.a.array) == bits(initial["a"]))
        #expect(bits(model.target.array) == bits(initial["p_star"]))
    }
}

@Suite struct EarlyTrajectoryTests {
    /// After 1, 2, 11 and 101 steps the Swift and NumPy trajectories agree to a few ulp
    /// (only the summation order of dot products differs).
    static func close(_ x: [Double], _ y: JSON?, rtol: Double = 1e-13) -> Bool {
        guard let y = y?.array?.map({ $0.double! }), y.count == x.count else { return false }
        let scale = max(1, y.map(abs).max()!)
        return zip(x, y).allSatisfy { abs($0 - $1) <= rtol * scale }
    }

    @Test func logisticAndKLFirstSteps() throws {
        let replay = try #require(try Fixtures.json("numpy_replay_smoke.json")["experiments"])
        let e1 = LogisticValueSoftmax(dim: 8, learningRate: 0.1)
        let e5 = CrossEntropyTarget(learningRate: 0.1)
        for i in 0...100 {
            e1.step(measure: true)
            e5.step(measure: true)
            guard [0, 1, 10, 100].contains(i) else { continue }
            let s1 = try #require(replay["logistic"]?["samples"]?[String(i)])
            #expect(Self.close(e1.a.array, s1["a"]) && Self.close(e1.u(), s1["u"]), "E1 step \(i)")
            #expect(Self.close([e1.loss(), e1.gradWNorm, e1.gradANorm], .array([s1["loss"]!, s1["grad_W_norm"]!, s1["grad_a_norm"]!])))
            let s5 = try #require(replay["kl"]?["samples"]?[String(i)])
            #expect(Self.close(e5.a.array, s5["a"]) && Self.close([e5.loss()], .array([s5["loss"]!])), "E5 step \(i)")
        }
    }

    @Test func conditioningFirstSteps() throws {
        let samples = try #require(try Fixtures.json("numpy_replay_smoke.json")["experiments"]?["conditioning"]?["5"]?["samples"])
        let model = ConditionedRegression(conditionNumber: 5, learningRate: 0.001)
        for i in 0...100 {
            model.step(measure: true)
            guard let s = samples[String(i)] else { continue }
            #expect(Self.close(model.a.array, s["a"]), "E4 step \(i)")
            #expect(Self.close([model.loss(), model.gradWNorm, model.gradANorm, model.singularValuesOfW()[0]],
                               .array([s["loss"]!, s["grad_W_norm"]!, s["grad_a_norm"]!, s["w_sigma_max"]!]), rtol: 1e-12))
        }
    }
}
