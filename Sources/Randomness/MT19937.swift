// MT19937: the Mersenne Twister of Matsumoto & Nishimura (1998), as NumPy and CPython use it.
//
// Contract: `MT19937(seed:)` is `init_genrand(seed)`; `next()` returns the same 32-bit words as
// the reference `genrand_int32`, so any generator built on top of it can be bit-exact with
// NumPy's legacy `RandomState` (and, with `init_by_array`, with CPython's `random`).

public struct MT19937: Sendable {
    static let n = 624
    static let m = 397
    static let matrixA: UInt32 = 0x9908_b0df
    static let upperMask: UInt32 = 0x8000_0000
    static let lowerMask: UInt32 = 0x7fff_ffff

    private var state: [UInt32]
    private var index: Int

    /// `init_genrand`: mt[0] = seed; mt[i] = 1812433253·(mt[i−1] ⊕ (mt[i−1] >> 30)) + i (mod 2³²).
    public init(seed: UInt32) {
        var state = [UInt32](repeating: 0, count: Self.n)
        state[0] = seed
        for i in 1..<Self.n {
            let previous = state[i - 1]
            state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
        }
        self.state = state
        self.index = Self.n
    }

    /// `init_by_array` (CPython's `random.seed`): init_genrand(19650218), then the key mixed in.
    public init(key: [UInt32]) {
        precondition(!key.isEmpty)
        self.init(seed: 19_650_218)
        let n = Self.n
        var i = 1, j = 0
        for _ in 0..<max(n, key.count) {
            let previous = state[i - 1]
            state[i] = (state[i] ^ ((previous ^ (previous >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= n { state[0] = state[n - 1]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            let previous = state[i - 1]
            state[i] = (state[i] ^ ((previous ^ (previous >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n { state[0] = state[n - 1]; i = 1 }
        }
        state[0] = 0x8000_0000
    }

    /// The next tempered 32-bit output.
    public mutating func next() -> UInt32 {
        if index >= Self.n { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        let n = Self.n, m = Self.m
        state.withUnsafeMutableBufferPointer { mt in
            for k in 0..<n {
                let y = (mt[k] & Self.upperMask) | (mt[(k + 1) % n] & Self.lowerMask)
                let mag: UInt32 = (y & 1) == 0 ? 0 : Self.matrixA
                mt[k] = mt[(k + m) % n] ^ (y >> 1) ^ mag
            }
        }
        index = 0
    }
}
