// The BERT encoder forward pass (Hugging Face BertModel, post-LayerNorm), Float32 on the SIMD
// core's packed GEMM, for reading a pretrained model's attention (all-MiniLM-L6-v2: 6 layers,
// 12 heads, width 384). One unpadded sequence at a time: with HF's padding mask the padded keys
// get weight 0, so this is the same computation without the padding.
//
//   x = LN(word[id] + position[t] + tokenType[0])                    [T, d]
//   per layer:  A_h = softmax(q_h k_hᵀ / √(d/H))                      [H, T, T]
//               x = LN(x + concat_h(A_h v_h) W_oᵀ + b_o)
//               x = LN(x + GELU(x W_1ᵀ + b_1) W_2ᵀ + b_2)              GELU = x·Φ(x) (erf)
// Linear weights are stored [out, in] (torch's nn.Linear), so every product is x·Wᵀ.

import Foundation
import Transformer
import Records

public struct BertConfig: Sendable, Equatable {
    public var layers = 6, heads = 12, width = 384, intermediate = 1536
    public var vocabulary = 30522, positions = 512, tokenTypes = 2
    public var layerNormEpsilon: Float = 1e-12

    public init() {}

    /// Reads a Hugging Face config.json of a BERT model.
    public init(configJSON path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw SafeTensorsError(description: "cannot read \(path)") }
        try self.init(configJSON: Array(data), name: path)
    }

    /// Parses the bytes of a Hugging Face config.json (`name` for errors): the bytes that were hashed.
    public init(configJSON bytes: [UInt8], name path: String) throws {
        guard let json = try? JSON(parsing: String(decoding: bytes, as: UTF8.self)) else {
            throw SafeTensorsError(description: "cannot read \(path) as JSON")
        }
        func int(_ key: String) throws -> Int {
            guard let v = json[key]?.int else { throw SafeTensorsError(description: "\(path) lacks \(key)") }
            return v
        }
        guard json["model_type"]?.string == "bert", json["hidden_act"]?.string == "gelu" else {
            throw SafeTensorsError(description: "\(path) is not a BERT model with the exact GELU")
        }
        layers = try int("num_hidden_layers"); heads = try int("num_attention_heads"); width = try int("hidden_size")
        intermediate = try int("intermediate_size"); vocabulary = try int("vocab_size")
        positions = try int("max_position_embeddings"); tokenTypes = try int("type_vocab_size")
        layerNormEpsilon = Float(json["layer_norm_eps"]?.double ?? 1e-12)
    }
}

public struct BertEncoder: Sendable {
    struct Linear: Sendable {
        var weight: [Float], bias: [Float], inputs: Int, outputs: Int
    }
    struct Norm: Sendable { var weight: [Float], bias: [Float] }
    struct Layer: Sendable {
        var query: Linear, key: Linear, value: Linear, output: Linear, attentionNorm: Norm
        var up: Linear, down: Linear, outputNorm: Norm
    }

    public let config: BertConfig
    let word: [Float], position: [Float], tokenType: [Float], embeddingNorm: Norm
    let layers: [Layer]

    /// Loads the tensors of a Hugging Face BertModel checkpoint (names with or without "bert.").
    public init(_ tensors: SafeTensors, config c: BertConfig) throws {
        let prefix = tensors.entries["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func f(_ name: String, _ shape: [Int]) throws -> [Float] { try tensors.floats(prefix + name, shape: shape) }
        func linear(_ name: String, _ inputs: Int, _ outputs: Int) throws -> Linear {
            Linear(weight: try f("\(name).weight", [outputs, inputs]), bias: try f("\(name).bias", [outputs]), inputs: inputs, outputs: outputs)
        }
        func norm(_ name: String) throws -> Norm { Norm(weight: try f("\(name).weight", [c.width]), bias: try f("\(name).bias", [c.width])) }
        config = c
        word = try f("embeddings.word_embeddings.weight", [c.vocabulary, c.width])
        position = try f("embeddings.position_embeddings.weight", [c.positions, c.width])
        tokenType = try f("embeddings.token_type_embeddings.weight", [c.tokenTypes, c.width])
        embeddingNorm = try norm("embeddings.LayerNorm")
        layers = try (0..<c.layers).map { i in
            let p = "encoder.layer.\(i)."
            return Layer(query: try linear(p + "attention.self.query", c.width, c.width),
                         key: try linear(p + "attention.self.key", c.width, c.width),
                         value: try linear(p + "attention.self.value", c.width, c.width),
                         output: try linear(p + "attention.output.dense", c.width, c.width),
                         attentionNorm: try norm(p + "attention.output.LayerNorm"),
                         up: try linear(p + "intermediate.dense", c.width, c.intermediate),
                         down: try linear(p + "output.dense", c.intermediate, c.width),
                         outputNorm: try norm(p + "output.LayerNorm"))
        }
    }

    /// The last hidden states [T, d] and every attention matrix [layer][head] as T×T, row = query.
    public func forward(_ ids: [Int32], threads: Int = 1) throws -> (hidden: [Float], attention: [[[Float]]]) {
        let t = ids.count, d = config.width, h = config.heads, hd = d / h
        guard t > 0, t <= config.positions else { throw SafeTensorsError(description: "sequence length \(t) outside 1…\(config.positions)") }
        guard ids.allSatisfy({ $0 >= 0 && Int($0) < config.vocabulary }) else { throw SafeTensorsError(description: "token id outside the vocabulary") }
        var x = [Float](repeating: 0, count: t * d)
        for i in 0..<t {
            let w = Int(ids[i]) * d, p = i * d
            for j in 0..<d { x[p + j] = word[w + j] + position[p + j] + tokenType[j] }
        }
        layerNorm(&x, embeddingNorm, rows: t)
        var attention: [[[Float]]] = []
        for layer in layers {
            let q = apply(layer.query, x, rows: t, threads), k = apply(layer.key, x, rows: t, threads)
            let v = apply(layer.value, x, rows: t, threads)
            var context = [Float](repeating: 0, count: t * d)
            var maps: [[Float]] = []
            let scale = 1 / Float(hd).squareRoot()
            for head in 0..<h {
                var a = [Float](repeating: 0, count: t * t)
                for i in 0..<t {
                    for j in 0..<t {
                        var s: Float = 0
                        for e in 0..<hd { s += q[i * d + head * hd + e] * k[j * d + head * hd + e] }
                        a[i * t + j] = s * scale
                    }
                    softmaxRow(&a, offset: i * t, count: t)
                    for j in 0..<t {
                        let w = a[i * t + j]
                        for e in 0..<hd { context[i * d + head * hd + e] += w * v[j * d + head * hd + e] }
                    }
                }
                maps.append(a)
            }
            attention.append(maps)
            x = zip(x, apply(layer.output, context, rows: t, threads)).map(+)
            layerNorm(&x, layer.attentionNorm, rows: t)
            var up = apply(layer.up, x, rows: t, threads)
            var cdf = [Float](repeating: 0, count: up.count), activated = [Float](repeating: 0, count: up.count)
            up.withUnsafeMutableBufferPointer { u in
                Float.gelu(u.baseAddress!, activated.withUnsafeMutableBufferPointer { $0.baseAddress! }, cdf.withUnsafeMutableBufferPointer { $0.baseAddress! }, u.count)
            }
            x = zip(x, apply(layer.down, activated, rows: t, threads)).map(+)
            layerNorm(&x, layer.outputNorm, rows: t)
        }
        return (x, attention)
    }

    /// y[rows, out] = x[rows, in]·Wᵀ + b.
    func apply(_ l: Linear, _ x: [Float], rows: Int, _ threads: Int) -> [Float] {
        var y = [Float](repeating: 0, count: rows * l.outputs)
        x.withUnsafeBufferPointer { xp in
            l.weight.withUnsafeBufferPointer { wp in
                l.bias.withUnsafeBufferPointer { bp in
                    y.withUnsafeMutableBufferPointer { yp in
                        Float.gemm(m: rows, n: l.outputs, k: l.inputs, xp.baseAddress!, lda: l.inputs, transA: false,
                                   wp.baseAddress!, ldb: l.inputs, transB: true, yp.baseAddress!, ldc: l.outputs,
                                   accumulate: false, bias: bp.baseAddress!, threads: threads, depthBlocks: nil, epilogue: nil)
                    }
                }
            }
        }
        return y
    }

    /// Row-wise LayerNorm (biased variance), statistics accumulated in Double in index order.
    func layerNorm(_ x: inout [Float], _ n: Norm, rows: Int) {
        let d = config.width
        for r in 0..<rows {
            var mean = 0.0, square = 0.0
            for j in 0..<d { mean += Double(x[r * d + j]) }
            mean /= Double(d)
            for j in 0..<d { let c = Double(x[r * d + j]) - mean; square += c * c }
            let inverse = 1 / (square / Double(d) + Double(config.layerNormEpsilon)).squareRoot()
            for j in 0..<d { x[r * d + j] = Float((Double(x[r * d + j]) - mean) * inverse) * n.weight[j] + n.bias[j] }
        }
    }

    func softmaxRow(_ a: inout [Float], offset: Int, count: Int) {
        var top = -Float.infinity
        for j in 0..<count { top = max(top, a[offset + j]) }
        var total: Float = 0
        for j in 0..<count { let e = Foundation.exp(a[offset + j] - top); a[offset + j] = e; total += e }
        for j in 0..<count { a[offset + j] /= total }
    }
}
