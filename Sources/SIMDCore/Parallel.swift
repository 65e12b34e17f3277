// Parallel loops whose results cannot depend on the number of threads.
//
// The caller splits its work into `count` chunks whose boundaries depend on the problem size only;
// each chunk is done by exactly one thread, in one fixed order, and writes memory no other chunk
// writes. Which thread does which chunk varies from run to run; the bits of the result do not.

import Dispatch
import Synchronization

public enum Parallel {
    /// How many regions have run on more than one thread (for profiles: each is a fork and a join).
    public static let regionCount = Atomic<Int>(0)

    /// Calls `body(chunk)` once for every chunk in 0..<count on at most `threads` threads.
    /// With one thread (or one chunk) it is a plain loop on the calling thread.
    public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        let workers = min(max(threads, 1), count)
        if workers <= 1 {
            for chunk in 0..<count { body(chunk) }
            return
        }
        regionCount.wrappingAdd(1, ordering: .relaxed)
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { escapable in
            // The chunks write disjoint memory (the caller's contract), so sharing `body` is safe.
            nonisolated(unsafe) let work = escapable
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if chunk >= count { return }
                    work(chunk)
                }
            }
        }
    }

    /// Chunks of at most `size` items covering 0..<total: `forEach` over `chunkCount(total, size)`
    /// and take `range(chunk, size, total)` in the body.
    @inlinable public static func chunkCount(_ total: Int, _ size: Int) -> Int { (total + size - 1) / size }

    @inlinable public static func range(_ chunk: Int, _ size: Int, _ total: Int) -> Range<Int> {
        chunk * size ..< min(total, (chunk + 1) * size)
    }

    /// The number of processors the scheduler lets this process use.
}

import Foundation
