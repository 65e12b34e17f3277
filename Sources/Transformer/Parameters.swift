// All trainable tensors of a model in one flat buffer, in PyTorch's registration order.
//
// Names and shapes follow `model.named_parameters()` of the authors' TransformerLM, so weights can
// be exchanged with PyTorch by name. Gradients and AdamW moments are flat buffers of the same
// layout, which makes the optimizer one loop.

import Randomness

public struct TensorSlot: Sendable, Hashable {
    public let name: String
    public let shape: [Int]
    public let offset: Int
    public var count: Int { shape.reduce(1, *) }
}

/// Where each tensor of one block sits in the flat buffer.
struct BlockSlots {
    var q, k, v, o: LinearSlots
    var norm1, norm2: (weight: Int, bias: Int)?
    var mlpIn, mlpOut: LinearSlots?
    var attentionMLPIn, attentionMLPOut: LinearSlots?
}

struct LinearSlots { let weight: Int, bias: Int, inputs: Int, outputs: Int }

struct ParameterLayout {
    private(set) var slots: [TensorSlot] = []
    private(set) var count = 0
    var positions: Int?, tokens = 0, finalNorm: (weight: Int, bias: Int)?
    var blocks: [BlockSlots] = []
    var output: LinearSlots!

    init(_ c: ModelConfig) {
        let tokenWidth = c.positional == .concat ? c.width / 2 : c.width
        if c.positional != .no { positions = add("pos_embedding.weight", [c.maxSequence, tokenWidth]) }
        tokens = add("embedding.weight", [c.vocabulary, tokenWidth])
        for l in 0..<c.layers {
            let p = "layers.\(l)."
            let q = linear(p + "q_proj", c.width, c.width), k = linear(p + "k_proj", c.width, c.width)
            let v = linear(p + "v_proj", c.width, c.width), o = linear(p + "o_proj", c.width, c.width)
            var block = BlockSlots(q: q, k: k, v: v, o: o)
            if c.layerNorm {
                block.norm1 = (add(p + "norm1.weight", [c.width]), add(p + "norm1.bias", [c.width]))
                if c.mlp { block.norm2 = (add(p + "norm2.weight", [c.width]), add(p + "norm2.bias", [c.width])) }
            }
            if c.mlp {
                block.mlpIn = linear(p + "mlp.0", c.width, c.hiddenWidth)
                block.mlpOut = linear(p + "mlp.2", c.hiddenWidth, c.width)
            }
            if c.attention.kernel == .mlp {
                block.attentionMLPIn = linear(p + "attn_mlp.0", c.headWidth, 4 * c.headWidth)
                block.attentionMLPOut = linear(p + "attn_mlp.2", 4 * c.headWidth, c.headWidth)
            }
            blocks.append(block)
        }
        if c.layerNorm { finalNorm = (add("final_norm.weight", [c.width]), add("final_norm.bias", [c.width])) }
        output = linear("output_proj", c.width, c.outputs)
    }

    /// Tensors that never get a gradient: q_proj and k_proj under uniform attention (A ignores q, k).
    func withoutGradient(_ c: ModelConfig) -> [Range<Int>] {
        guard c.attention == .uniform else { return [] }
        return slots.filter { $0.name.contains("q_proj") || $0.name.contains("k_proj") }
            .map { $0.offset ..< $0.offset + $0.count }
    }

    private mutating func add(_ name: String, _ shape: [Int]) -> Int {
        let slot = TensorSlot(name: name, shape: shape, offset: count)
        slots.append(slot)
        count += slot.count
        return slot.offset
    }

    private mutating func linear(_ name: String, _ inputs: Int, _ outputs: Int) -> LinearSlots {
        let w = add(name + ".weight", [outputs, inputs])
        let b = add(name + ".bias", [outputs])
        return LinearSlots(weight: w, bias: b, inputs: inputs, outputs: outputs)
    }

    /// PyTorch's default initialization, drawn in registration order from one stream:
    /// embeddings N(0, 1), Linear weights and biases U(−1/√fan_in, 1/√fan_in), LayerNorm γ = 1, β = 0.
    /// (The distributions are PyTorch's; the bits are not: torch's generator is not replicated.)
    func initialize<S: EngineScalar>(_ values: UnsafeMutablePointer<S>, seed: UInt32) {
        var rng = NumPyRandomState(seed: seed)
        for slot in slots {
            let out = values + slot.offset
            if slot.name.hasSuffix("embedding.weight") {
                for i in 0..<slot.count { out[i] = S(rng.standardNormal()) }
            } else if slot.name.contains("norm") {
                let one: S = slot.name.hasSuffix(".weight") ? 1 : 0
                out.update(repeating: one, count: slot.count)
            } else {
                let fanIn = slot.name.hasSuffix(".weight") ? slot.shape[1] : linearFanIn(slot)
                let bound = 1 / Double(fanIn).squareRoot()
                for i in 0..<slot.count { out[i] = S((2 * rng.randomSample() - 1) * bound) }
            }
        }
    }

    private func linearFanIn(_ bias: TensorSlot) -> Int {
        let weightName = String(bias.name.dropLast("bias".count)) + "weight"
        return slots.first { $0.name == weightName }!.shape[1]
    }
}
