// Backward pass of `Network`: from dL/dlogits to every parameter's gradient (written, not added).

extension Network {
    /// Cross-entropy with per-position weights (see `CrossEntropy`) on the logits of the last
    /// `forward`, then the full backward pass. Returns the loss.
    /// With the loss rows of a training step's forward pass, the weights (and targets) at the
    /// positions left out must be 0 (their logits were not computed).
    @discardableResult
    func lossAndGradients(targets: [Int32], positionWeights: [S]) -> Double {
        let loss = self.loss(targets: targets, positionWeights: positionWeights)
        backward(dLogits: backwardScratch().logits.pointer)
        return loss
    }

    /// The loss alone (dL/dlogits lands in scratch).
    func loss(targets: [Int32], positionWeights: [S]) -> Double {
        precondition(targets.count == batch * length && positionWeights.count == length)
        var (targets, weights, length) = (targets, positionWeights, length)
        if let kept = lossRows {
            precondition(positionWeights.indices.allSatisfy { kept.positions.contains($0) || positionWeights[$0] == 0 },
                         "a position of nonzero loss weight has no logits in this forward pass")
            (targets, weights, length) = (kept.keptRows(targets), kept.kept(positionWeights), kept.positions.count)
        }
        let scratch = backwardScratch()
        return targets.withUnsafeBufferPointer {
            CrossEntropy.forwardBackward(logits.pointer, targets: $0.baseAddress!, batch: batch, length: length,
                                         classes: config.outputs, weights: weights, dLogits: scratch.logits.pointer, threads: threads)
        }
    }

    func backward(dLogits: UnsafePointer<S>) {
        let scratch = backwardScratch()
        let p = parameters.pointer, g = gradients.pointer
        let rows = outputRows, d = config.width, rowBlocks = lossRows?.blocks
        gradients.zero()
        let dx = scratch.stream.pointer
        let top = layout.finalNorm == nil ? output.pointer : finalNormed.pointer
        Linear.backward(dLogits, top, rows: rows, weight: p + layout.output.weight, layout.output, gradients: g,
                        dx: layout.finalNorm == nil ? dx : scratch.normed.pointer, accumulate: false, threads: threads,
                        rowBlocks: rowBlocks)
        if let (w, b) = layout.finalNorm {
            dx.update(repeating: 0, count: rows * d)
            LayerNorm.backward(scratch.normed.pointer, output.pointer, rows: rows, width: d, gamma: p + w,
                               mean: finalMean.pointer, rstd: finalRstd.pointer, dGamma: g + w, dBeta: g + b,
                               dx: dx, threads: threads)
        }
        for l in stride(from: config.layers - 1, through: 0, by: -1) {
            if l == config.layers - 1, let kept = lossRows {
                residualBackward(l, rows: kept.count, attended: lossAttended.pointer, rowBlocks: kept.blocks, scratch)
                kept.spread(dx, width: d)
                kept.spread(scratch.attended.pointer, width: d)
            } else {
                residualBackward(l, rows: batch * length, attended: blocks[l].attended.pointer, rowBlocks: nil, scratch)
            }
            attentionBackward(l, scratch)
        }
        tokens.withUnsafeBufferPointer {
            Embedding.backward(dx, tokens: $0.baseAddress!, batch: batch, length: length, config, layout, gradients: g, threads: threads)
        }
    }

    /// Through next = middle + MLP(LN2(middle)), middle = input + o_proj(attended), on `rows` rows
    /// (all, or the packed loss rows, whose weight gradients sum in `rowBlocks`). dX (scratch.stream)
    /// holds dL/d(block output) on entry and dL/d(input) through the residual on exit;
    /// scratch.attended gets dL/d(attended).
    private func residualBackward(_ l: Int, rows: Int, attended: UnsafePointer<S>, rowBlocks: [Range<Int>]?,
                                  _ sc: BackwardScratch<S>) {
        let a = blocks[l], s = layout.blocks[l], p = parameters.pointer, g = gradients.pointer
        let d = config.width
        let dx = sc.stream.pointer
        if let w1 = s.mlpIn, let w2 = s.mlpOut {
            Linear.backward(dx, a.activated.pointer, rows: rows, weight: p + w2.weight, w2, gradients: g,
                            dx: sc.hidden.pointer, accumulate: false, threads: threads, rowBlocks: rowBlocks,
                            then: GELU.backward(sc.hidden.pointer, a.hidden.pointer, cdf: a.cdf.pointer, width: w1.outputs))
            if let (w, b) = s.norm2 {
                Linear.backward(sc.hidden.pointer, a.normed2.pointer, rows: rows, weight: p + w1.weight, w1, gradients: g,
                                dx: sc.normed.pointer, accumulate: false, threads: threads, rowBlocks: rowBlocks)
                LayerNorm.backward(sc.normed.pointer, a.middle.pointer, rows: rows, width: d, gamma: p + w,
                                   mean: a.mean2.pointer, rstd: a.rstd2.pointer, dGamma: g + w, dBeta: g + b,
                                   dx: dx, threads: threads)
            } else {
                Linear.backward(sc.hidden.pointer, a.middle.pointer, rows: rows, weight: p + w1.weight, w1, gradients: g,
                                dx: dx, accumulate: true, threads: threads, rowBlocks: rowBlocks)
            }
        }
        // middle = input + o_proj(attended): dx flows on unchanged and into o_proj.
        Linear.backward(dx, attended, rows: rows, weight: p + s.o.weight, s.o, gradients: g,
                        dx: sc.attended.pointer, accumulate: false, threads: threads, rowBlocks: rowBlocks)
    }

    /// Through attended = attention(q, k, v) and h = LN1(input) on every row: dX (scratch.stream)
    /// holds dL/d(input) through the residual on entry and all of dL/d(input) on exit.
    private func attentionBackward(_ l: Int, _ sc: BackwardScratch<S>) {
        let a = blocks[l], s = layout.blocks[l], p = parameters.pointer, g = gradients.pointer
        let rows = batch * length, d = config.width
        let dx = sc.stream.pointer
        let kernel = config.attention.kernel
        let scored = kernel == .featureMap || kernel == .mlp
        let queries = scored ? a.scoreQ.pointer : a.q.pointer, keys = scored ? a.scoreK.pointer : a.k.pointer
        Attention.backward(config.attention, shape(l), queries: queries, keys: keys, values: a.v.pointer,
                           weights: a.weights.pointer, kernel: a.kernel.pointer, normalizers: a.normalizers.pointer,
                           dOut: sc.attended.pointer, dQueries: scored ? sc.dScoreQ.pointer : sc.dq.pointer,
                           dKeys: scored ? sc.dScoreK.pointer : sc.dk.pointer, dValues: sc.dv.pointer, threads: threads)
        if kernel == .featureMap {
            FeatureMap.backward(sc.dScoreQ.pointer, a.scoreQ.pointer, count: rows * d, into: sc.dq.pointer)
            FeatureMap.backward(sc.dScoreK.pointer, a.scoreK.pointer, count: rows * d, into: sc.dk.pointer)
        } else if kernel == .mlp {
            attentionMLPBackward(s, sc.dScoreQ.pointer, input: a.q.pointer, hidden: a.mlpHiddenQ, activated: a.mlpActQ,
                                 cdf: a.mlpCdfQ, dInput: sc.dq.pointer, sc)
            attentionMLPBackward(s, sc.dScoreK.pointer, input: a.k.pointer, hidden: a.mlpHiddenK, activated: a.mlpActK,
                                 cdf: a.mlpCdfK, dInput: sc.dk.pointer, sc)
        }
        let h = s.norm1 == nil ? a.input.pointer : a.normed1.pointer
        let dh = s.norm1 == nil ? dx : sc.normed.pointer
        let first = s.norm1 == nil  // without LN the gradient adds straight onto dx
        if l == config.layers - 1, let kept = lossRows {
            // Queries were made on the loss rows only: their gradient is packed to those rows
            // (the others are zero), dWq sums in the full product's blocks, and dh gets its rows.
            kept.gather(sc.dq.pointer, width: d, into: sc.dq.pointer)
            let dhKept = first ? lossStream.pointer : dh
            if first { kept.gather(dh, width: d, into: dhKept) }
            Linear.backward(sc.dq.pointer, lossNormed.pointer, rows: kept.count, weight: p + s.q.weight, s.q, gradients: g,
                            dx: dhKept, accumulate: first, threads: threads, rowBlocks: kept.blocks)
            if first { kept.put(dhKept, width: d, into: dh) } else { kept.spread(dh, width: d) }
        } else {
            Linear.backward(sc.dq.pointer, h, rows: rows, weight: p + s.q.weight, s.q, gradients: g, dx: dh, accumulate: first,
                            threads: threads)
        }
        Linear.backward(sc.dk.pointer, h, rows: rows, weight: p + s.k.weight, s.k, gradients: g, dx: dh, accumulate: true, threads: threads)
        Linear.backward(sc.dv.pointer, h, rows: rows, weight: p + s.v.weight, s.v, gradients: g, dx: dh, accumulate: true, threads: threads)
        if let (w, b) = s.norm1 {
            LayerNorm.backward(sc.normed.pointer, a.input.pointer, rows: rows, width: d, gamma: p + w,
                               mean: a.mean1.pointer, rstd: a.rstd1.pointer, dGamma: g + w, dBeta: g + b,
                               dx: dx, threads: threads)
        }
    }

    /// Through m(x) = W2·GELU(W1 x + b1) + b2 on [rows·H × hd]; weight gradients add up over the q and k paths.
    private func attentionMLPBackward(_ s: BlockSlots, _ dy: UnsafePointer<S>, input: UnsafePointer<S>,
                                      hidden: Storage<S>, activated: Storage<S>, cdf: Storage<S>, dInput: UnsafeMutablePointer<S>,
                                      _ sc: BackwardScratch<S>) {
        let p = parameters.pointer, g = gradients.pointer, n = batch * length * config.heads
        let (w1, w2) = (s.attentionMLPIn!, s.attentionMLPOut!)
        Linear.backward(dy, activated.pointer, rows: n, weight: p + w2.weight, w2, gradients: g,
                        dx: sc.hidden.pointer, accumulate: false, threads: threads,
                        then: GELU.backward(sc.hidden.pointer, hidden.pointer, cdf: cdf.pointer, width: w1.outputs))
        Linear.backward(sc.hidden.pointer, input, rows: n, weight: p + w1.weight, w1, gradients: g,
                        dx: dInput, accumulate: false, threads: threads)
    }
}
