// TransformerLM (docs/spec.md §4.1): embeddings → pre-LN blocks → final LayerNorm → output projection,
// logits at every position (or at the loss positions only: `LossRows`). Explicit forward and
// backward; activations kept for one batch shape.
//
// Block: h = LN1(x); q, k, v = h·W{q,k,v}ᵀ + b; x += o_proj(attention(q, k, v));
//        if MLP: x += W2·GELU(W1·LN2(x) + b1) + b2.   (LN → identity when use_layernorm is false.)

import SIMDCore

/// The activations of one block for one batch shape. [rows × d] unless noted; rows = batch·length.
final class BlockActivations<S: EngineScalar> {
    let input, normed1, q, k, v, attended, middle, normed2: Storage<S>
    let mean1, rstd1, mean2, rstd2: Storage<S>       // [rows]
    let scoreQ, scoreK: Storage<S>                   // φ(q), φ(k) or m(q), m(k); empty otherwise
    let mlpHiddenQ, mlpActQ, mlpCdfQ, mlpHiddenK, mlpActK, mlpCdfK: Storage<S>  // [rows·H × 4hd], attn_mlp only
    let weights, kernel: Storage<S>                  // [B × H × T × T]; kernel only where backward reads it
    let normalizers: Storage<S>                      // [B × H × T]
    let hidden, activated, cdf: Storage<S>           // [rows × 4d], MLP only; cdf = Φ(hidden)

    init(_ c: ModelConfig, batch: Int, length: Int) {
        let rows = batch * length, d = c.width
        func make(_ n: Int, _ on: Bool = true) -> Storage<S> { Storage(on ? n : 0) }
        input = make(rows * d); normed1 = make(rows * d, c.layerNorm); q = make(rows * d); k = make(rows * d)
        v = make(rows * d); attended = make(rows * d); middle = make(rows * d)
        normed2 = make(rows * d, c.layerNorm && c.mlp)
        mean1 = make(rows); rstd1 = make(rows); mean2 = make(rows); rstd2 = make(rows)
        let scored = c.attention.kernel == .featureMap || c.attention.kernel == .mlp
        scoreQ = make(rows * d, scored); scoreK = make(rows * d, scored)
        let attnMLP = c.attention.kernel == .mlp
        mlpHiddenQ = make(rows * 4 * d, attnMLP); mlpActQ = make(rows * 4 * d, attnMLP); mlpCdfQ = make(rows * 4 * d, attnMLP)
        mlpHiddenK = make(rows * 4 * d, attnMLP); mlpActK = make(rows * 4 * d, attnMLP); mlpCdfK = make(rows * 4 * d, attnMLP)
        weights = make(batch * c.heads * length * length)
        kernel = make(batch * c.heads * length * length, c.attention.keepsKernelMap)
        normalizers = make(batch * c.heads * length)
        hidden = make(rows * c.hiddenWidth, c.mlp); activated = make(rows * c.hiddenWidth, c.mlp)
        cdf = make(rows * c.hiddenWidth, c.mlp)
    }
}

/// Scratch gradients shared by all blocks during backward.
final class BackwardScratch<S: EngineScalar> {
    let stream, normed, attended, dq, dk, dv, dScoreQ, dScoreK, hidden, logits: Storage<S>
    init(_ c: ModelConfig, batch: Int, length: Int) {
        let rows = batch * length, d = c.width
        stream = Storage(rows * d); normed = Storage(rows * d); attended = Storage(rows * d)
        dq = Storage(rows * d); dk = Storage(rows * d); dv = Storage(rows * d)
        dScoreQ = Storage(rows * d); dScoreK = Storage(rows * d)
        hidden = Storage(rows * max(c.hiddenWidth, 4 * d))
        logits = Storage(rows * c.outputs)
    }
}

final class Network<S: EngineScalar> {
    let config: ModelConfig
    let layout: ParameterLayout
    let parameters: Storage<S>
    let gradients: Storage<S>
    var threads: Int

    private(set) var batch = 0, length = 0
    private(set) var tokens: [Int32] = []
    private(set) var blocks: [BlockActivations<S>] = []
    private(set) var output: Storage<S> = Storage(0), finalNormed: Storage<S> = Storage(0)
    private(set) var finalMean: Storage<S> = Storage(0), finalRstd: Storage<S> = Storage(0)
    private(set) var logits: Storage<S> = Storage(0)
    private var scratch: BackwardScratch<S>?
    /// Set by a forward pass that computed the logits at the loss positions only; the last
    /// block's rows after attention, `output`, `finalNormed` and `logits` then hold the packed
    /// rows, `lossNormed`, `lossInput` and `lossAttended` the last block's LN1(input), input and
    /// attention output there, and `lossStream` is backward's scratch for those rows.
    private(set) var lossRows: LossRows?
    private(set) var lossNormed: Storage<S> = Storage(0), lossInput: Storage<S> = Storage(0)
    private(set) var lossAttended: Storage<S> = Storage(0), lossStream: Storage<S> = Storage(0)

    init(_ config: ModelConfig, seed: UInt32, threads: Int = 1) {
        self.config = config
        layout = ParameterLayout(config)
        parameters = Storage(layout.count)
        gradients = Storage(layout.count)
        self.threads = threads
        layout.initialize(parameters.pointer, seed: seed)
    }

    private func prepare(batch: Int, length: Int, lossPositions: [Int]?) {
        precondition(length >= 1 && length <= config.maxSequence, "sequence length \(length) outside 1...\(config.maxSequence)")
        let kept = lossPositions.flatMap { LossRows(positions: $0, batch: batch, length: length) }
        if kept != lossRows {
            lossRows = kept
            let n = (kept?.count ?? 0) * config.width
            (lossNormed, lossInput, lossAttended, lossStream) = (Storage(n), Storage(n), Storage(n), Storage(n))
        }
        if batch == self.batch && length == self.length { return }
        self.batch = batch; self.length = length
        let rows = batch * length
        blocks = (0..<config.layers).map { _ in BlockActivations(config, batch: batch, length: length) }
        output = Storage(rows * config.width); finalNormed = Storage(config.layerNorm ? rows * config.width : 0)
        finalMean = Storage(rows); finalRstd = Storage(rows)
        logits = Storage(rows * config.outputs)
        scratch = nil
    }

    func backwardScratch() -> BackwardScratch<S> {
        if let scratch { return scratch }
        let made = BackwardScratch<S>(config, batch: batch, length: length)
        scratch = made
        return made
    }

    /// Block l's attention: on every query row, or on the loss rows in a loss-rows pass's last block.
    func shape(_ l: Int) -> AttentionShape {
        AttentionShape(batch: batch, length: length, heads: config.heads, headWidth: config.headWidth, causal: config.causal,
                       sigmoidShift: config.sigmoidShift, queryRuns: l == config.layers - 1 ? lossRows?.positionRuns : nil)
    }

    /// Attention weights of `layer`: [batch × heads × length × length], the A with out = A·v.
    func attentionWeights(layer: Int) -> UnsafePointer<S> { UnsafePointer(blocks[layer].weights.pointer) }

    // MARK: forward

    /// tokens: [batch × length] → logits [batch × length × outputs], or with `lossPositions` (a
    /// training step's positions of nonzero loss weight) at those positions only: [batch × p × outputs].
    func forward(tokens: [Int32], batch: Int, length: Int, lossPositions: [Int]? = nil) {
        precondition(tokens.count == batch * length)
        prepare(batch: batch, length: length, lossPositions: lossPositions)
        self.tokens = tokens
        let p = parameters.pointer
        tokens.withUnsafeBufferPointer {
            Embedding.forward($0.baseAddress!, batch: batch, length: length, config, layout, parameters: p,
                              into: blocks[0].input.pointer, threads: threads)
        }
        for l in 0..<config.layers {
            let a = blocks[l]
            attentionForward(l)
            if l == config.layers - 1, let kept = lossRows {
                kept.gather(a.input.pointer, width: config.width, into: lossInput.pointer)
                kept.gather(a.attended.pointer, width: config.width, into: lossAttended.pointer)
                residualForward(l, rows: kept.count, input: lossInput.pointer, attended: lossAttended.pointer, into: output.pointer)
            } else {
                let next = l + 1 < config.layers ? blocks[l + 1].input.pointer : output.pointer
                residualForward(l, rows: batch * length, input: a.input.pointer, attended: a.attended.pointer, into: next)
            }
        }
        let rows = outputRows
        var top = UnsafePointer(output.pointer)
        if let (w, b) = layout.finalNorm {
            LayerNorm.forward(top, rows: rows, width: config.width, gamma: p + w, beta: p + b,
                              into: finalNormed.pointer, mean: finalMean.pointer, rstd: finalRstd.pointer, threads: threads)
            top = UnsafePointer(finalNormed.pointer)
        }
        Linear.forward(top, rows: rows, weight: p + layout.output.weight, bias: p + layout.output.bias,
                       layout.output, into: logits.pointer, threads: threads)
    }

    /// The rows of `output` and `logits`: all, or the packed loss rows.
    var outputRows: Int { lossRows?.count ?? batch * length }

    /// h = LN1(x); q, k, v; attended = attention(q, k, v), on every row (q on the loss rows
    /// only in the last block of a loss-rows pass, zero elsewhere).
    private func attentionForward(_ l: Int) {
        let a = blocks[l], s = layout.blocks[l], p = parameters.pointer
        let rows = batch * length, d = config.width
        var h = UnsafePointer(a.input.pointer)
        if let (w, b) = s.norm1 {
            LayerNorm.forward(h, rows: rows, width: d, gamma: p + w, beta: p + b, into: a.normed1.pointer,
                              mean: a.mean1.pointer, rstd: a.rstd1.pointer, threads: threads)
            h = UnsafePointer(a.normed1.pointer)
        }
        if l == config.layers - 1, let kept = lossRows {
            kept.gather(h, width: d, into: lossNormed.pointer)
            Linear.forward(lossNormed.pointer, rows: kept.count, weight: p + s.q.weight, bias: p + s.q.bias, s.q,
                           into: a.q.pointer, threads: threads)
            kept.spread(a.q.pointer, width: d)
        } else {
            Linear.forward(h, rows: rows, weight: p + s.q.weight, bias: p + s.q.bias, s.q, into: a.q.pointer, threads: threads)
        }
        Linear.forward(h, rows: rows, weight: p + s.k.weight, bias: p + s.k.bias, s.k, into: a.k.pointer, threads: threads)
        Linear.forward(h, rows: rows, weight: p + s.v.weight, bias: p + s.v.bias, s.v, into: a.v.pointer, threads: threads)
        var (queries, keys) = (UnsafePointer(a.q.pointer), UnsafePointer(a.k.pointer))
        switch config.attention.kernel {
        case .featureMap:
            FeatureMap.forward(queries, count: rows * d, into: a.scoreQ.pointer)
            FeatureMap.forward(keys, count: rows * d, into: a.scoreK.pointer)
            (queries, keys) = (UnsafePointer(a.scoreQ.pointer), UnsafePointer(a.scoreK.pointer))
        case .mlp:
            attentionMLPForward(s, queries, hidden: a.mlpHiddenQ, activated: a.mlpActQ, cdf: a.mlpCdfQ, into: a.scoreQ)
            attentionMLPForward(s, keys, hidden: a.mlpHiddenK, activated: a.mlpActK, cdf: a.mlpCdfK, into: a.scoreK)
            (queries, keys) = (UnsafePointer(a.scoreQ.pointer), UnsafePointer(a.scoreK.pointer))
        default: break
        }
        Attention.forward(config.attention, shape(l), queries: queries, keys: keys, values: a.v.pointer,
                          weights: a.weights.pointer, kernel: a.kernel.pointer, normalizers: a.normalizers.pointer,
                          out: a.attended.pointer, threads: threads)
    }

    /// next = middle + MLP(LN2(middle)), middle = input + o_proj(attended), on `rows` rows of
    /// `input` and `attended` (all, or the packed loss rows); the block's activations after
    /// attention hold those rows.
    private func residualForward(_ l: Int, rows: Int, input: UnsafePointer<S>, attended: UnsafePointer<S>,
                                 into next: UnsafeMutablePointer<S>) {
        let a = blocks[l], s = layout.blocks[l], p = parameters.pointer, d = config.width
        let middle = config.mlp ? a.middle.pointer : next
        Linear.forward(attended, rows: rows, weight: p + s.o.weight, bias: p + s.o.bias, s.o, into: middle, threads: threads,
                       then: Residual.add(input, width: d, into: middle))
        guard let w1 = s.mlpIn, let w2 = s.mlpOut else { return }
        var h2 = UnsafePointer(middle)
        if let (w, b) = s.norm2 {
            LayerNorm.forward(h2, rows: rows, width: d, gamma: p + w, beta: p + b, into: a.normed2.pointer,
                              mean: a.mean2.pointer, rstd: a.rstd2.pointer, threads: threads)
            h2 = UnsafePointer(a.normed2.pointer)
        }
        Linear.forward(h2, rows: rows, weight: p + w1.weight, bias: p + w1.bias, w1, into: a.hidden.pointer, threads: threads,
                       then: GELU.forward(a.hidden.pointer, width: w1.outputs, into: a.activated.pointer, cdf: a.cdf.pointer))
        Linear.forward(a.activated.pointer, rows: rows, weight: p + w2.weight, bias: p + w2.bias, w2, into: next, threads: threads,
                       then: Residual.add(middle, width: d, into: next))
    }

    /// m(x) = W2·GELU(W1 x + b1) + b2 on every head's hd-vector: x viewed as [rows·H × hd].
    private func attentionMLPForward(_ s: BlockSlots, _ x: UnsafePointer<S>, hidden: Storage<S>,
                                     activated: Storage<S>, cdf: Storage<S>, into y: Storage<S>) {
        let p = parameters.pointer, n = batch * length * config.heads
        let (w1, w2) = (s.attentionMLPIn!, s.attentionMLPOut!)
        Linear.forward(x, rows: n, weight: p + w1.weight, bias: p + w1.bias, w1, into: hidden.pointer, threads: threads,
                       then: GELU.forward(hidden.pointer, width: w1.outputs, into: activated.pointer, cdf: cdf.pointer))
        Linear.forward(activated.pointer, rows: n, weight: p + w2.weight, bias: p + w2.bias, w2, into: y.pointer, threads: threads)
    }
}
