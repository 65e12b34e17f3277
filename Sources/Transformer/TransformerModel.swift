// The public Float32 model: forward, loss and backward, AdamW steps, attention maps, weights by name.
//
// A thin concrete wrapper, so that every call into the generic engine is specialized for Float
// inside this module (callers in other modules would otherwise get unspecialized generic code).

public final class TransformerModel {
    let network: Network<Float>
    var optimizer: AdamW<Float>

    /// Weights drawn with PyTorch's default distributions from `seed`; `threads` for every kernel.
    public init(_ config: ModelConfig, seed: UInt32, learningRate: Double = 1e-3, threads: Int = 1) {
        network = Network(config, seed: seed, threads: threads)
        optimizer = AdamW(count: network.layout.count, learningRate: learningRate,
                          frozen: network.layout.withoutGradient(config))
    }

    public var config: ModelConfig { network.config }
    public var threads: Int {
        get { network.threads }
        set { network.threads = newValue }
    }
    /// AdamW's decoupled weight decay (0.01, torch's default, in every experiment).
    public var weightDecay: Double {
        get { optimizer.weightDecay }
        set { optimizer.weightDecay = newValue }
    }

    public var learningRate: Double {
        get { optimizer.learningRate }
        set { optimizer.learningRate = newValue }
    }

    /// The tensors in PyTorch's `named_parameters()` order.
    public var slots: [TensorSlot] { network.layout.slots }
    public var parameterCount: Int { network.layout.count }

    /// All parameters, flat, in `slots` order.
    public var parameters: [Float] {
        get { network.parameters.array }
        set {
            precondition(newValue.count == parameterCount, "expected \(parameterCount) parameters, got \(newValue.count)")
            network.parameters.pointer.update(from: newValue, count: newValue.count)
        }
    }

    /// The gradients of the last `lossAndGradients` (or `trainStep`), flat, in `slots` order.
    public var gradients: [Float] { network.gradients.array }

    /// tokens: [batch × length], row-major → logits [batch × length × outputs].
    public func forward(tokens: [Int32], batch: Int, length: Int) {
        network.forward(tokens: tokens, batch: batch, length: length)
    }

    /// The logits of the last forward pass, [batch × length × outputs].
    public var logits: UnsafeBufferPointer<Float> {
        precondition(network.lossRows == nil, "a training step computes logits at its loss positions only; call forward first")
        return UnsafeBufferPointer(start: network.logits.pointer, count: network.batch * network.length * config.outputs)
    }

    /// Attention weights of `layer` from the last forward pass: [batch × heads × length × length].
    public func attentionMaps(layer: Int) -> AttentionMaps {
        precondition(network.lossRows == nil || layer < config.layers - 1,
                     "a training step makes the last layer's queries at its loss positions only; call forward first")
        let n = network.batch * config.heads * network.length * network.length
        return AttentionMaps(UnsafeBufferPointer(start: network.attentionWeights(layer: layer), count: n),
                             sequences: network.batch, heads: config.heads, length: network.length)
    }

    /// L = Σ_{b,t} w_t·CE(logits_bt, target_bt) on the last forward pass, and all gradients.
    @discardableResult
    public func lossAndGradients(targets: [Int32], positionWeights: [Float]) -> Double {
        network.lossAndGradients(targets: targets, positionWeights: positionWeights)
    }

    /// L on the logits of the last forward pass, without the backward pass (evaluation).
    public func loss(targets: [Int32], positionWeights: [Float]) -> Double {
        network.loss(targets: targets, positionWeights: positionWeights)
    }

    /// The class with the largest logit at every position of the last forward pass; a NaN counts as
    /// the largest (torch.argmax), the first of equal maxima wins.
    public func predictions() -> [Int32] {
        let v = config.outputs, z = logits
        return (0 ..< z.count / v).map { row in
            var best = 0
            for j in 0..<v {
                let x = z[row * v + j]
                if x.isNaN { best = j; break }
                if x > z[row * v + best] { best = j }
            }
            return Int32(best)
        }
    }

    /// One AdamW step with the current gradients.
    public func applyGradients() { optimizer.update(network.parameters, network.gradients, threads: threads) }

    /// zero_grad, forward, loss, backward, AdamW step. Returns the loss before the step.
    /// The last block works after its attention on the positions of nonzero weight only
    /// (`LossRows`: the same bits as on every position).
    @discardableResult
    public func trainStep(tokens: [Int32], targets: [Int32], batch: Int, length: Int, positionWeights: [Float]) -> Double {
        precondition(positionWeights.count == length, "\(positionWeights.count) position weights for sequences of length \(length)")
        network.forward(tokens: tokens, batch: batch, length: length, lossPositions: LossRows.positions(weightedBy: positionWeights))
        let loss = lossAndGradients(targets: targets, positionWeights: positionWeights)
        applyGradients()
        return loss
    }
}
