// The architecture of `TransformerLM` (docs/spec.md §4.1), the twelve attention kinds of the paper's
// sweeps (§4.2) and Apple's sigmoid attention (the 7B sigmoid model of §7).

import Foundation

/// How attention weights are made from queries and keys. Raw values are the sweep keys.
public enum AttentionKind: String, CaseIterable, Sendable, Codable {
    case softmax, uniform
    case sigmoidNorm = "sigmoid_norm", sigmoidUnnorm = "sigmoid_unnorm"
    case linear, linearUnnorm = "linear_unnorm"
    case coupledLinearNorm = "coupled_linear_norm", coupledLinearUnnorm = "coupled_linear_unnorm"
    case rawDotProductNorm = "raw_dotproduct_norm", rawDotProductUnnorm = "raw_dotproduct_unnorm"
    case mlpNorm = "mlp_norm", mlpUnnorm = "mlp_unnorm"
    /// σ(S − log n), unnormalized, n = `maxSequence` (Apple's SigmoidAttention bias b = −log n, with
    /// n the configured maximum length as axlearn uses it); not one of the sweeps' kinds.
    case sigmoidLogN = "sigmoid_logn_unnorm"

    /// The twelve kinds of docs/spec.md §4.2, in the sweeps' order.
    public static let paper: [AttentionKind] = allCases.filter { $0 != .sigmoidLogN }

    /// The kernel applied to each query-key pair, before masking and normalization.
    enum Kernel { case softmax, uniform, sigmoid, featureMap, eluPlusOne, raw, mlp }

    /// How a row is normalized: by Σⱼ + 1e-9, by max(|Σⱼ|, 1), or not at all.
    enum Normalizer { case none, sumPlusEpsilon, clampedAbsoluteSum }

    var kernel: Kernel {
        switch self {
        case .softmax: .softmax
        case .uniform: .uniform
        case .sigmoidNorm, .sigmoidUnnorm, .sigmoidLogN: .sigmoid
        case .linear, .linearUnnorm: .featureMap
        case .coupledLinearNorm, .coupledLinearUnnorm: .eluPlusOne
        case .rawDotProductNorm, .rawDotProductUnnorm: .raw
        case .mlpNorm, .mlpUnnorm: .mlp
        }
    }

    /// Whether backward reads the kernel map K (the sigmoid and elu + 1 derivatives, the clamp's
    /// sign): softmax's needs only A, so its scores live in a per-sequence scratch, not in the
    /// [B × H × T × T] store (64 MB less for the language model).
    var keepsKernelMap: Bool { kernel != .softmax && kernel != .uniform }

    var normalizer: Normalizer {
        switch self {
        case .softmax, .sigmoidUnnorm, .sigmoidLogN, .linearUnnorm, .coupledLinearUnnorm, .rawDotProductUnnorm, .mlpUnnorm: .none
        case .uniform, .sigmoidNorm, .linear, .coupledLinearNorm: .sumPlusEpsilon
        case .rawDotProductNorm, .mlpNorm: .clampedAbsoluteSum
        }
    }
}

/// Token and position embeddings: x = tok + pos, x = [tok ; pos] (each d/2 wide), or tok alone.
public enum Positional: String, CaseIterable, Sendable, Codable { case add, concat, no }

public struct ModelConfig: Sendable, Hashable, Codable {
    public var vocabulary: Int
    public var outputs: Int
    public var width: Int = 128
    public var layers: Int = 2
    public var heads: Int = 4
    public var mlp: Bool = true
    public var layerNorm: Bool = true
    public var causal: Bool = true
    public var attention: AttentionKind = .softmax
    public var positional: Positional = .concat
    public var maxSequence: Int = 512

    public init(vocabulary: Int, outputs: Int, width: Int = 128, layers: Int = 2, heads: Int = 4,
                mlp: Bool = true, layerNorm: Bool = true, causal: Bool = true,
                attention: AttentionKind = .softmax, positional: Positional = .concat, maxSequence: Int = 512) {
        precondition(width % heads == 0 && (positional != .concat || width % 2 == 0))
        self.vocabulary = vocabulary; self.outputs = outputs; self.width = width; self.layers = layers
        self.heads = heads; self.mlp = mlp; self.layerNorm = layerNorm; self.causal = causal
        self.attention = attention; self.positional = positional; self.maxSequence = maxSequence
    }

    var headWidth: Int { width / heads }

    /// What the sigmoid kernel subtracts from the scores: log n for `sigmoidLogN`, else 0.
    var sigmoidShift: Double { attention == .sigmoidLogN ? log(Double(maxSequence)) : 0 }

    /// Multiply-adds ×2 of the matrix products (forward + both backward products) of one
    /// `trainStep` with these position weights (nil: every position), where the last block's
    /// queries, everything after its attention and the output layer run on the loss positions
    /// only (`LossRows`). Attention's own products (a few % here) are counted on every row.
    public func trainingFLOPs(batch: Int, length: Int, positionWeights: [Float]? = nil) -> Double {
        let rows = Double(batch * length), d = Double(width)
        let lossPositions = positionWeights.map { LossRows.positions(weightedBy: $0).count } ?? length
        let kept = Double(batch * (lossPositions == 0 ? length : lossPositions))
        var keysValuesAttention = 2 * d * d + 2 * Double(heads) * Double(length) * Double(headWidth)
        if attention.kernel == .mlp { keysValuesAttention += 2 * Double(heads) * 8 * Double(headWidth * headWidth) }
        let queriesToOutput = d * d + d * d + (mlp ? 8 * d * d : 0)   // q, o_proj, MLP
        let forward = 2 * (Double(layers) * rows * keysValuesAttention + Double(layers - 1) * rows * queriesToOutput
                           + kept * (queriesToOutput + d * Double(outputs)))
        return 3 * forward
    }
    var hiddenWidth: Int { 4 * width }
}
