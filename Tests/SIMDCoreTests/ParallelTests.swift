// Parallel.forEach: every chunk runs exactly once and is finished when forEach returns, whether the
// helpers are spinning, asleep or busy with another region (then GCD's threads do the work).

import Dispatch
import Foundation
import SIMDCore
import Synchronization
import Testing

@Suite struct ParallelTests {
    /// `regions` regions of 1–12 chunks; each chunk does ~20 µs of work and then marks itself, so a
    /// helper is often still inside a chunk when the caller runs out of them. After every region
    /// each mark must be exactly 1. Every `sleepEvery`-th region follows a pause long enough for
    /// the helpers to fall asleep (0: never).
    static func regionsRunEveryChunkOnce(_ regions: Int, threads: Int, sleepEvery: Int = 0) -> Bool {
        let marks = UnsafeMutablePointer<Int>.allocate(capacity: 12)
        defer { marks.deallocate() }
        for region in 0..<regions {
            if sleepEvery > 0 && region % sleepEvery == 0 { usleep(3_000) }
            let count = 1 + region % 12
            marks.initialize(repeating: 0, count: count)
            Parallel.forEach(count, threads: threads) { chunk in
                var x = Double(chunk)
                for _ in 0..<20_000 { x = x * 0.999_999 + 1 }
                marks[chunk] += x > 0 ? 1 : 2
            }
            if (0..<count).contains(where: { marks[$0] != 1 }) { return false }
        }
        return true
    }

    @Test func everyChunkOnceWithSpinningHelpers() {
        #expect(Self.regionsRunEveryChunkOnce(2_000, threads: 2))
        #expect(Self.regionsRunEveryChunkOnce(500, threads: 4))
    }

    @Test func everyChunkOnceWithSleepingHelpers() {
        #expect(Self.regionsRunEveryChunkOnce(60, threads: 2, sleepEvery: 2))
    }

    /// Regions opened from several threads at once: one holds the pool, the others fall back.
    @Test func everyChunkOnceFromConcurrentCallers() {
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            if !Self.regionsRunEveryChunkOnce(300, threads: 2) { failures.wrappingAdd(1, ordering: .relaxed) }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }

    /// A region inside a region's chunk (the pool is taken: GCD's threads run the inner one).
    @Test func nestedRegionsFinishEveryChunk() {
        let marks = UnsafeMutablePointer<Int>.allocate(capacity: 8 * 8)
        defer { marks.deallocate() }
        marks.initialize(repeating: 0, count: 64)
        Parallel.forEach(8, threads: 2) { outer in
            Parallel.forEach(8, threads: 2) { inner in marks[outer * 8 + inner] += 1 }
        }
        #expect((0..<64).allSatisfy { marks[$0] == 1 })
    }
}
