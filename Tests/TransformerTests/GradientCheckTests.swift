// Every backward pass against central finite differences of the same code in Float64.
//
// A tiny model (width 8, 2 heads, 2 layers, 5 positions, batch 2) per attention kind and per
// architecture switch (mask, MLP, LayerNorm, positional type). Every parameter is perturbed by
// ±1e-6 (up to 16 entries of every tensor); the analytic gradient must agree to 1e-6 absolute + 1e-5 relative.

@testable import Transformer
import Testing

struct TinyProblem {
    let config: ModelConfig
    let tokens: [Int32], targets: [Int32], weights: [Double]
    static let batch = 2, length = 5

    init(_ kind: AttentionKind, causal: Bool = true, mlp: Bool = true, layerNorm: Bool = true,
         positional: Positional = .concat) {
        config = ModelConfig(vocabulary: 7, outputs: 5, width: 8, layers: 2, heads: 2, mlp: mlp,
                             layerNorm: layerNorm, causal: causal, attention: kind, positional: positional, maxSequence: 6)
        tokens = (0..<10).map { Int32(($0 * 5 + 3) % 7) }
        targets = (0..<10).map { Int32(($0 * 3 + 1) % 5) }
        weights = [0.1, 0.2, 0.05, 0.3, 0.5]
    }

    func network<S: EngineScalar>(_: S.Type, seed: UInt32 = 7) -> Network<S> {
        Network<S>(config, seed: seed)
    }

    func loss(_ net: Network<Double>) -> Double {
        net.forward(tokens: tokens, batch: Self.batch, length: Self.length)
        return net.lossAndGradients(targets: targets, positionWeights: weights)
    }
}

/// The worst violation of |fd − analytic| ≤ 1e-6 + 1e-5·|analytic| over all parameters (≤ 0 passes).
func gradientCheck(_ problem: TinyProblem) -> (worst: Double, name: String) {
    let net = problem.network(Double.self)
    _ = problem.loss(net)
    let analytic = net.gradients.array
    var worst = -Double.infinity, name = ""
    for slot in net.layout.slots {
        // Up to 16 entries per tensor, first and last included.
        let step = max(1, (slot.count + 15) / 16)
        for i in Array(stride(from: slot.offset, to: slot.offset + slot.count, by: step)) + [slot.offset + slot.count - 1] {
            let saved = net.parameters.pointer[i]
            net.parameters.pointer[i] = saved + 1e-6
            let up = problem.loss(net)
            net.parameters.pointer[i] = saved - 1e-6
            let down = problem.loss(net)
            net.parameters.pointer[i] = saved
            let fd = (up - down) / 2e-6
            let excess = abs(fd - analytic[i]) - (1e-6 + 1e-5 * abs(analytic[i]))
            if excess > worst { worst = excess; name = "\(slot.name)[\(i - slot.offset)] fd \(fd) analytic \(analytic[i])" }
        }
    }
    return (worst, name)
}

@Suite struct GradientCheckTests {
    @Test(arguments: AttentionKind.allCases)
    func everyKindCausalWithMLPAndLayerNorm(kind: AttentionKind) {
        let result = gradientCheck(TinyProblem(kind))
        #expect(result.worst <= 0, "\(kind): \(result.name)")
    }

    @Test(arguments: AttentionKind.allCases)
    func everyKindBidirectionalWithoutMLPOrLayerNorm(kind: AttentionKind) {
        let result = gradientCheck(TinyProblem(kind, causal: false, mlp: false, layerNorm: false, positional: .no))
        #expect(result.worst <= 0, "\(kind): \(result.name)")
    }

    @Test(arguments: [(true, false, Positional.add), (false, true, Positional.concat), (true, true, Positional.no)])
    func architectureSwitches(mlp: Bool, layerNorm: Bool, positional: Positional) {
        for kind in [AttentionKind.softmax, .mlpNorm, .linear] {
            let result = gradientCheck(TinyProblem(kind, causal: true, mlp: mlp, layerNorm: layerNorm, positional: positional))
            #expect(result.worst <= 0, "\(kind) mlp \(mlp) ln \(layerNorm) \(positional): \(result.name)")
        }
    }
}
