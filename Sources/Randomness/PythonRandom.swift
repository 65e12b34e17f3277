// CPython's `random.Random` (3.x), bit for bit: the draws the authors' datasets and label-mixing
// test make (docs/spec.md §8.2). Only integer seeds, as `random.seed(n)` with version 2.
//
//   seed(n):         init_by_array(32-bit little-endian words of |n|; [0] for 0)
//   getrandbits(k):  ≤ 32 bits: next() >> (32 − k); more: little-endian words, the last shifted
//   randbelow(n):    k = n.bit_length(); r = getrandbits(k) until r < n
//   random():        (a >> 5, b >> 6) → (a·2²⁶ + b)/2⁵³
//   sample, choice, shuffle, randint: as in Lib/random.py.

import Foundation

public struct PythonRandom: Sendable {
    private var mt: MT19937

    public init(seed: UInt64) {
        var key: [UInt32] = []
        var rest = seed
        repeat { key.append(UInt32(truncatingIfNeeded: rest)); rest >>= 32 } while rest > 0
        mt = MT19937(key: key)
    }

    public mutating func nextUInt32() -> UInt32 { mt.next() }

    /// A k-bit non-negative integer, 0 ≤ k ≤ 64.
    public mutating func getrandbits(_ k: Int) -> UInt64 {
        precondition(k >= 0 && k <= 64)
        if k == 0 { return 0 }
        if k <= 32 { return UInt64(mt.next() >> (32 - k)) }
        let low = UInt64(mt.next())
        let high = UInt64(mt.next() >> (64 - k))
        return low | (high << 32)
    }

    /// Uniform in 0..<n by rejection (`_randbelow_with_getrandbits`).
    public mutating func randbelow(_ n: Int) -> Int {
        precondition(n > 0)
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = getrandbits(k)
        while r >= UInt64(n) { r = getrandbits(k) }
        return Int(r)
    }

    /// [0, 1) with 53 random bits (`random()`).
    public mutating func random() -> Double {
        let a = Double(mt.next() >> 5), b = Double(mt.next() >> 6)
        return (a * 67_108_864 + b) * (1.0 / 9_007_199_254_740_992)
    }

    /// `randint(a, b)`: a ≤ result ≤ b.
    public mutating func randint(_ a: Int, _ b: Int) -> Int { a + randbelow(b - a + 1) }

    /// `choice(seq)`.
    public mutating func choice<T>(_ items: [T]) -> T { items[randbelow(items.count)] }

    /// `shuffle(x)` in place: for i = n−1 … 1, swap x[i] with x[randbelow(i + 1)].
    public mutating func shuffle<T>(_ items: inout [T]) {
        var i = items.count - 1
        while i >= 1 {
            items.swapAt(i, randbelow(i + 1))
            i -= 1
        }
    }

    /// `sample(population, k)`: the pool algorithm when the population is small, else rejection
    /// from a set of chosen indices (the threshold is CPython's: 21 + 4^⌈log₄(3k)⌉ for k > 5).
    public mutating func sample<T>(_ population: [T], _ k: Int) -> [T] {
        let n = population.count
        precondition(k >= 0 && k <= n, "sample larger than population")
        var setSize = 21
        if k > 5 { setSize += Int(Foundation.pow(4, Foundation.ceil(Foundation.log(Double(k * 3)) / Foundation.log(4.0)))) }
        var result: [T] = []
        result.reserveCapacity(k)
        if n <= setSize {
            var pool = population
            for i in 0..<k {
                let j = randbelow(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<k {
                var j = randbelow(n)
                while selected.contains(j) { j = randbelow(n) }
                selected.insert(j)
                result.append(population[j])
            }
        }
        return result
    }
}
