// Float64 BLAS-1/2 kernels on SIMD4<Double> (AVX2 + FMA with -target-cpu haswell).
//
// Every reduction has one fixed order, independent of alignment and of the machine's thread count:
// four lanes accumulate elements i ≡ lane (mod 4) of the full SIMD blocks with FMA, the lanes are
// combined as (l0 + l1) + (l2 + l3), then the tail is added left to right. Matrices are row-major.

@inline(__always) func load4(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
}

@inline(__always) func store4(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
}

@inline(__always) func laneSum(_ v: SIMD4<Double>) -> Double { (v[0] + v[1]) + (v[2] + v[3]) }

/// xᵀy.
@inlinable @inline(__always)
public func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count n: Int) -> Double {
    var acc = SIMD4<Double>()
    var i = 0
    while i + 4 <= n {
        acc = acc.addingProduct(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self),
                                UnsafeRawPointer(y + i).loadUnaligned(as: SIMD4<Double>.self))
        i += 4
    }
    var s = (acc[0] + acc[1]) + (acc[2] + acc[3])
    while i < n { s = s.addingProduct(x[i], y[i]); i += 1 }
    return s
}

/// Σᵢ xᵢ, in the same lane order as `dot`.
public func sum(_ x: UnsafePointer<Double>, count n: Int) -> Double {
    var acc = SIMD4<Double>()
    var i = 0
    while i + 4 <= n { acc += load4(x + i); i += 4 }
    var s = laneSum(acc)
    while i < n { s += x[i]; i += 1 }
    return s
}

/// ‖x‖₂ (no scaling: the models' values stay far from overflow).
public func norm(_ x: UnsafePointer<Double>, count n: Int) -> Double {
    dot(x, x, count: n).squareRoot()
}

/// y = A x, A: rows × cols.
public func gemv(_ a: UnsafePointer<Double>, rows: Int, cols: Int,
                 _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>) {
    for r in 0..<rows { y[r] = dot(a + r * cols, x, count: cols) }
}

/// y = Aᵀ x, A: rows × cols (y has cols entries). Accumulates row by row: y = Σ_r x_r A[r, :].
public func gemvTransposed(_ a: UnsafePointer<Double>, rows: Int, cols: Int,
                           _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>) {
    y.update(repeating: 0, count: cols)
    for r in 0..<rows { axpy(x[r], a + r * cols, y, count: cols) }
}

/// y += α x.
@inlinable @inline(__always)
public func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count n: Int) {
    let va = SIMD4<Double>(repeating: alpha)
    var i = 0
    while i + 4 <= n {
        let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD4<Double>.self)
        let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self)
        UnsafeMutableRawPointer(y + i).storeBytes(of: yv.addingProduct(va, xv), as: SIMD4<Double>.self)
        i += 4
    }
    while i < n { y[i] = y[i].addingProduct(alpha, x[i]); i += 1 }
}

/// A += α x yᵀ, A: rows × cols (a rank-one gradient step).
public func rankOneUpdate(_ a: UnsafeMutablePointer<Double>, rows: Int, cols: Int, alpha: Double,
                          _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) {
    for r in 0..<rows { axpy(alpha * x[r], y, a + r * cols, count: cols) }
}

/// A += α (x yᵀ + u vᵀ), one rounding of the sum per row coefficient pair (the tied-U update).
public func rankTwoUpdate(_ a: UnsafeMutablePointer<Double>, rows: Int, cols: Int, alpha: Double,
                          _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>,
                          _ u: UnsafePointer<Double>, _ v: UnsafePointer<Double>) {
    for r in 0..<rows {
        let row = a + r * cols
        let cx = SIMD4<Double>(repeating: x[r]), cu = SIMD4<Double>(repeating: u[r])
        let va = SIMD4<Double>(repeating: alpha)
        var i = 0
        while i + 4 <= cols {
            let g = (cx * load4(y + i)).addingProduct(cu, load4(v + i))
            store4(load4(row + i).addingProduct(va, g), row + i)
            i += 4
        }
        while i < cols {
            let g = (x[r] * y[i]).addingProduct(u[r], v[i])
            row[i] = row[i].addingProduct(alpha, g)
            i += 1
        }
    }
}

/// ‖x yᵀ‖_F computed elementwise, the way `np.linalg.norm(np.outer(x, y))` defines it.
public func outerProductNorm(_ x: UnsafePointer<Double>, rows: Int, _ y: UnsafePointer<Double>, cols: Int) -> Double {
    var total = 0.0
    for r in 0..<rows {
        let c = x[r]
        var acc = SIMD4<Double>()
        var i = 0
        while i + 4 <= cols {
            let g = SIMD4<Double>(repeating: c) * load4(y + i)
            acc = acc.addingProduct(g, g)
            i += 4
        }
        var s = laneSum(acc)
        while i < cols { let g = c * y[i]; s = s.addingProduct(g, g); i += 1 }
        total += s
    }
    return total.squareRoot()
}
