// Linear, LayerNorm, GELU, embeddings: forward/backward pairs on row-major [rows × width] buffers.
//
// Parameter gradients are sums over rows taken serially in row order (one fixed order whatever
// the thread count); row-wise work runs in chunks of `rowChunk` rows.

import Foundation
import SIMDCore

let rowChunk = 64

/// A heap array with a stable base pointer; zero-filled on creation.
final class Storage<S: EngineScalar>: @unchecked Sendable {
    let count: Int
    let pointer: UnsafeMutablePointer<S>
    init(_ count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }
    deinit { pointer.deallocate() }
    func zero() { pointer.update(repeating: 0, count: count) }
    var array: [S] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

enum Linear {
    /// y[rows×out] = x[rows×in]·Wᵀ + b,  W: [out × in] (PyTorch layout); then `epilogue` on each
    /// finished block of y (GELU).
    static func forward<S: EngineScalar>(_ x: UnsafePointer<S>, rows: Int, weight w: UnsafePointer<S>,
                                         bias b: UnsafePointer<S>, _ s: LinearSlots,
                                         into y: UnsafeMutablePointer<S>, threads: Int, then epilogue: GEMM.Epilogue? = nil) {
        // The bias starts C in the GEMM's epilogue: the same sums as copying it in first.
        StepProfile.measure(.gemm) {
            S.gemm(m: rows, n: s.outputs, k: s.inputs, x, lda: s.inputs, transA: false,
                   w, ldb: s.inputs, transB: true, y, ldc: s.outputs, accumulate: false, bias: b, threads: threads,
                   depthBlocks: nil, epilogue: epilogue)
        }
    }

    /// dx (=, or += when `accumulate`) dy·W, then `epilogue` on each finished block of dx;
    /// dW += dyᵀx;  db += Σ_rows dy. `rowBlocks`: the blocks of rows dW sums in (see `LossRows`).
    static func backward<S: EngineScalar>(_ dy: UnsafePointer<S>, _ x: UnsafePointer<S>, rows: Int,
                                          weight w: UnsafePointer<S>, _ s: LinearSlots,
                                          gradients g: UnsafeMutablePointer<S>,
                                          dx: UnsafeMutablePointer<S>?, accumulate: Bool, threads: Int,
                                          rowBlocks: [Range<Int>]? = nil, then epilogue: GEMM.Epilogue? = nil) {
        StepProfile.measure(.gemm) {
            S.gemm(m: s.outputs, n: s.inputs, k: rows, dy, lda: s.outputs, transA: true,
                   x, ldb: s.inputs, transB: false, g + s.weight, ldc: s.inputs, accumulate: true, bias: nil, threads: threads,
                   depthBlocks: rowBlocks, epilogue: nil)
        }
        ColumnSums.add(dy, rows: rows, columns: s.outputs, into: g + s.bias, threads: threads)
        if let dx {
            StepProfile.measure(.gemm) {
                S.gemm(m: rows, n: s.inputs, k: s.outputs, dy, lda: s.outputs, transA: false,
                       w, ldb: s.inputs, transB: false, dx, ldc: s.inputs, accumulate: accumulate, bias: nil, threads: threads,
                       depthBlocks: nil, epilogue: epilogue)
            }
        }
    }
}

enum LayerNorm {
    static let epsilon = 1e-5

    /// y = (x − μ)/√(σ² + 1e-5)·γ + β per row (σ² biased); keeps μ and 1/√(σ² + ε) per row.
    static func forward<S: EngineScalar>(_ x: UnsafePointer<S>, rows: Int, width d: Int,
                                         gamma: UnsafePointer<S>, beta: UnsafePointer<S>,
                                         into y: UnsafeMutablePointer<S>, mean: UnsafeMutablePointer<S>,
                                         rstd: UnsafeMutablePointer<S>, threads: Int) {
        StepProfile.measure(.elementwise) {
            Parallel.forEach(Parallel.chunkCount(rows, rowChunk), threads: threads) { chunk in
                for r in Parallel.range(chunk, rowChunk, rows) {
                    let xr = x + r * d, yr = y + r * d
                    let mu = sum(xr, d) / S(d)
                    var acc = SIMD8<S>(), i = 0
                    let m8 = SIMD8<S>(repeating: mu)
                    while i + 8 <= d { let c = load8(xr + i) - m8; acc = acc.addingProduct(c, c); i += 8 }
                    var variance = lanes(acc)
                    while i < d { let c = xr[i] - mu; variance = variance.addingProduct(c, c); i += 1 }
                    variance /= S(d)
                    let inv = 1 / (variance + S(epsilon)).squareRoot()
                    for i in 0..<d { yr[i] = (xr[i] - mu) * inv * gamma[i] + beta[i] }
                    mean[r] = mu
                    rstd[r] = inv
                }
            }
        }
    }

    /// dx += rstd·(γ·dy − mean(γ·dy) − x̂·mean(γ·dy·x̂));  dγ += Σ dy·x̂;  dβ += Σ dy.
    static func backward<S: EngineScalar>(_ dy: UnsafePointer<S>, _ x: UnsafePointer<S>, rows: Int, width d: Int,
                                          gamma: UnsafePointer<S>, mean: UnsafePointer<S>, rstd: UnsafePointer<S>,
                                          dGamma: UnsafeMutablePointer<S>, dBeta: UnsafeMutablePointer<S>,
                                          dx: UnsafeMutablePointer<S>, threads: Int) {
        StepProfile.measure(.elementwise) {
            Parallel.forEach(Parallel.chunkCount(rows, rowChunk), threads: threads) { chunk in
                withUnsafeTemporaryAllocation(of: S.self, capacity: 2 * d) { scratch in
                    let xhat = scratch.baseAddress!, dxhat = xhat + d
                    for r in Parallel.range(chunk, rowChunk, rows) {
                        let xr = x + r * d, dyr = dy + r * d, dxr = dx + r * d
                        for i in 0..<d { xhat[i] = (xr[i] - mean[r]) * rstd[r]; dxhat[i] = dyr[i] * gamma[i] }
                        let meanDxhat = sum(dxhat, d) / S(d)
                        let meanDxhatXhat = dot(dxhat, xhat, d) / S(d)
                        for i in 0..<d { dxr[i] += (dxhat[i] - meanDxhat - xhat[i] * meanDxhatXhat) * rstd[r] }
                    }
                }
            }
            Parallel.forEach(Parallel.chunkCount(d, ColumnSums.block), threads: threads) { chunk in
                let columns = Parallel.range(chunk, ColumnSums.block, d)
                let first = columns.lowerBound
                S.addNormGradients(dy + first, x + first, mean: mean, rstd: rstd, rows: rows, stride: d,
                                   dGamma: dGamma + first, dBeta: dBeta + first, columns.count)
            }
        }
    }
}

/// y[c] += Σ_rows x[r, c], rows in order; parallel over blocks of columns.
enum ColumnSums {
    static let block = 32

    static func add<S: EngineScalar>(_ x: UnsafePointer<S>, rows: Int, columns n: Int,
                                     into y: UnsafeMutablePointer<S>, threads: Int) {
        StepProfile.measure(.columnSums) {
            Parallel.forEach(Parallel.chunkCount(n, block), threads: threads) { chunk in
                let columns = Parallel.range(chunk, block, n)
                S.addRows(x + columns.lowerBound, rows: rows, stride: n, into: y + columns.lowerBound, columns.count)
            }
        }
    }
}

/// The residual connection y += x [rows × width], applied by the GEMM that writes y to each
/// finished job tile (GEMM.multiply's epilogue): the same addition per element as a pass over the
/// array, without that pass.
enum Residual {
    static func add<S: EngineScalar>(_ x: UnsafePointer<S>, width: Int, into y: UnsafeMutablePointer<S>) -> GEMM.Epilogue {
        { rows, columns in
            for r in rows {
                let o = r * width + columns.lowerBound
                axpy(1, x + o, y + o, columns.count)
            }
        }
    }
}

/// The exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)), applied by the GEMM that writes x (or its
/// gradient) to each finished job tile while it is in the core's cache (GEMM.multiply's
/// epilogue): the same arithmetic per element as one pass over the array, without that pass.
enum GELU {
    /// For the GEMM writing x [rows × width]: y = x·Φ(x), and cdf = Φ(x) for the backward pass.
    static func forward<S: EngineScalar>(_ x: UnsafePointer<S>, width: Int, into y: UnsafeMutablePointer<S>,
                                         cdf: UnsafeMutablePointer<S>) -> GEMM.Epilogue {
        { rows, columns in
            for r in rows {
                let o = r * width + columns.lowerBound
                S.gelu(x + o, y + o, cdf + o, columns.count)
            }
        }
    }

    /// For the GEMM writing dy = dL/dy [rows × width]: dy ← dL/dx = dy·(Φ(x) + x·φ(x)) in place,
    /// φ(x) = e^{−x²/2}/√(2π).
    static func backward<S: EngineScalar>(_ dy: UnsafeMutablePointer<S>, _ x: UnsafePointer<S>, cdf: UnsafePointer<S>,
                                          width: Int) -> GEMM.Epilogue {
        { rows, columns in
            for r in rows {
                let o = r * width + columns.lowerBound
                S.geluBackward(dy + o, x + o, cdf + o, dy + o, columns.count)
            }
        }
    }
}

enum Embedding {
    /// x[b,t] = tok[token] + pos[t] ("add"), [tok[token] ; pos[t]] ("concat"), or tok[token] ("no").
    static func forward<S: EngineScalar>(_ tokens: UnsafePointer<Int32>, batch: Int, length t: Int,
                                         _ c: ModelConfig, _ layout: ParameterLayout,
                                         parameters p: UnsafePointer<S>, into x: UnsafeMutablePointer<S>, threads: Int) {
        StepProfile.measure(.elementwise) {
            let d = c.width, e = c.positional == .concat ? d / 2 : d, rows = batch * t
            Parallel.forEach(Parallel.chunkCount(rows, rowChunk), threads: threads) { chunk in
                for r in Parallel.range(chunk, rowChunk, rows) {
                    let row = x + r * d
                    let token = Int(tokens[r])
                    precondition(token >= 0 && token < c.vocabulary, "token \(token) outside the vocabulary")
                    row.update(from: p + layout.tokens + token * e, count: e)
                    guard let pos = layout.positions else { continue }
                    let position = p + pos + (r % t) * e
                    if c.positional == .concat { (row + e).update(from: position, count: e) }
                    else { for i in 0..<d { row[i] += position[i] } }
                }
            }
        }
    }

    /// Scatter-adds dx into the token (and position) tables, rows in order; parallel over blocks
    /// of columns, so every table element sums its rows in the same order whatever the threads.
    static func backward<S: EngineScalar>(_ dx: UnsafePointer<S>, tokens: UnsafePointer<Int32>, batch: Int, length t: Int,
                                          _ c: ModelConfig, _ layout: ParameterLayout, gradients g: UnsafeMutablePointer<S>,
                                          threads: Int) {
        StepProfile.measure(.elementwise) {
            let d = c.width, e = c.positional == .concat ? d / 2 : d
            Parallel.forEach(Parallel.chunkCount(e, ColumnSums.block), threads: threads) { chunk in
                let columns = Parallel.range(chunk, ColumnSums.block, e)
                let (first, count) = (columns.lowerBound, columns.count)
                for r in 0..<batch * t {
                    let row = dx + r * d
                    axpy(1, row + first, g + layout.tokens + Int(tokens[r]) * e + first, count)
                    guard let pos = layout.positions else { continue }
                    axpy(1, (c.positional == .concat ? row + e : row) + first, g + pos + (r % t) * e + first, count)
                }
            }
        }
    }
}

enum CrossEntropy {
    /// L = Σ_{b,t} w_t·(logsumexp(z_bt) − z_bt[y_bt]);  dz = w_t·(softmax(z_bt) − onehot(y_bt)).
    /// Positions with w_t = 0 are skipped (their dz is 0). Rows run in parallel; their losses are
    /// summed afterwards in row order.
    static func forwardBackward<S: EngineScalar>(_ logits: UnsafePointer<S>, targets: UnsafePointer<Int32>,
                                                 batch: Int, length t: Int, classes v: Int, weights: [S],
                                                 dLogits: UnsafeMutablePointer<S>, threads: Int) -> Double {
        return StepProfile.measure(.elementwise) {
            let rows = batch * t
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: rows) { perRow in
                Parallel.forEach(Parallel.chunkCount(rows, rowChunk), threads: threads) { chunk in
                    for r in Parallel.range(chunk, rowChunk, rows) {
                        let z = logits + r * v, dz = dLogits + r * v
                        let w = weights[r % t]
                        if w == 0 { dz.update(repeating: 0, count: v); continue }
                        let target = Int(targets[r])
                        precondition(target >= 0 && target < v, "target \(target) outside 0..<\(v)")
                        let m = S.maximum(z, v)
                        S.map(.exp, z, shift: m, dz, v)
                        let total = sum(dz, v)
                        let logZ = m + S(Foundation.log(Double(total)))
                        perRow[r] = Double(w) * Double(logZ - z[target])
                        for j in 0..<v { dz[j] = w * (dz[j] / total) }
                        dz[target] -= w
                    }
                }
                var loss = 0.0
                for r in 0..<rows where weights[r % t] != 0 { loss += perRow[r] }
                return loss
            }
        }
    }
}
