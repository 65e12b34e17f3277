// Parallel loops whose results cannot depend on the number of threads.
//
// The caller splits its work into `count` chunks whose boundaries depend on the problem size only;
// each chunk is done by exactly one thread, in one fixed order, and writes memory no other chunk
// writes. Which thread does which chunk varies from run to run; the bits of the result do not.
//
// The threads are the caller and helpers from `WorkerPool`, which wait for the next region by
// spinning for a while before they sleep: a training step opens about 80 regions, many shorter
// than the tens of microseconds a parked thread takes to wake on a virtual machine (with GCD's
// threads the second core joined a 40 µs region too late to take any of it).

import Dispatch
import Foundation
import Synchronization

public enum Parallel {
    /// How many regions have run on more than one thread (for profiles: each is a fork and a join).
    public static let regionCount = Atomic<Int>(0)

    /// Calls `body(chunk)` once for every chunk in 0..<count on at most `threads` threads (and at
    /// most as many as the machine has cores). With one thread (or one chunk) it is a plain loop
    /// on the calling thread.
    public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        let workers = min(max(threads, 1), count, WorkerPool.cores)
        if workers <= 1 {
            for chunk in 0..<count { body(chunk) }
            return
        }
        regionCount.wrappingAdd(1, ordering: .relaxed)
        withoutActuallyEscaping(body) { escapable in
            // The chunks write disjoint memory (the caller's contract), so sharing `body` is safe.
            nonisolated(unsafe) let work = escapable
            if WorkerPool.shared.run(count, helpers: workers - 1, work) { return }
            // The pool is taken (a region inside a region, or another thread's region): GCD's threads.
            let next = Atomic<Int>(0)
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
}

/// Helper threads for `Parallel.forEach`, one region at a time. The caller publishes the region,
/// offers it to as many helpers as it wants, takes chunks itself, and withdraws the offer from any
/// helper that has not started by the time the chunks run out (so a sleeping helper costs the
/// region nothing); it returns once every helper that did start has finished.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()
    /// The processors this process may use: more threads than that only wait on each other.
    static let cores = ProcessInfo.processInfo.activeProcessorCount
    /// How long a helper spins for the next region before it sleeps (nanoseconds).
    static let spinNanoseconds: UInt64 = 2_000_000

    private final class Helper: @unchecked Sendable {
        /// idle → offered (caller) → running (helper) → idle (helper); or offered → idle (the
        /// caller withdrawing an offer the helper has not taken).
        let state = Atomic<Int>(Helper.idle)
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        static let idle = 0, offered = 1, running = 2
    }

    private let taken = Atomic<Bool>(false)
    private let nextChunk = Atomic<Int>(0)
    private var helpers: [Helper] = []        // touched only by the thread holding `taken`
    nonisolated(unsafe) private var job: ((Int) -> Void)?
    nonisolated(unsafe) private var count = 0

    /// Runs `work` over 0..<count on the calling thread and `helpers` helpers; false (nothing
    /// done) when another region holds the pool.
    func run(_ count: Int, helpers wanted: Int, _ work: @escaping (Int) -> Void) -> Bool {
        guard taken.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        while helpers.count < wanted { start(Helper()) }
        job = work
        self.count = count
        nextChunk.store(0, ordering: .relaxed)
        let asked = helpers.prefix(wanted)
        for helper in asked {
            helper.state.store(Helper.offered, ordering: .sequentiallyConsistent)
            if helper.sleeping.exchange(false, ordering: .sequentiallyConsistent) { helper.wake.signal() }
        }
        takeChunks()
        for helper in asked
        where !helper.state.compareExchange(expected: Helper.offered, desired: Helper.idle, ordering: .relaxed).exchanged {
            var spins = 0
            while helper.state.load(ordering: .acquiring) != Helper.idle { pause(&spins) }
        }
        job = nil
        taken.store(false, ordering: .releasing)
        return true
    }

    @inline(never)  // its reference to `job` must be gone before a helper reports idle
    private func takeChunks() {
        let work = job!, count = self.count
        while true {
            let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
            if chunk >= count { return }
            work(chunk)
        }
    }

    private func start(_ helper: Helper) {
        helpers.append(helper)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(HelperContext(pool: self, helper: helper)).toOpaque()
        let status = pthread_create(&thread, &attributes, { context in
            let c = Unmanaged<HelperContext>.fromOpaque(context!).takeRetainedValue()
            c.pool.serve(c.helper)
        }, context)
        precondition(status == 0, "cannot start a worker thread (pthread_create: \(status))")
        pthread_attr_destroy(&attributes)
        pthread_detach(thread)
    }

    private final class HelperContext {
        let pool: WorkerPool, helper: Helper
        init(pool: WorkerPool, helper: Helper) { self.pool = pool; self.helper = helper }
    }

    /// A helper's life: wait for an offer (spinning, then asleep), take it, run chunks, repeat.
    private func serve(_ helper: Helper) -> Never {
        while true {
            var spins = 0
            let idleSince = DispatchTime.now().uptimeNanoseconds
            while helper.state.load(ordering: .relaxed) != Helper.offered {
                pause(&spins)
                if spins % 1024 == 0 && DispatchTime.now().uptimeNanoseconds - idleSince > Self.spinNanoseconds {
                    sleep(helper)
                    spins = 0
                }
            }
            // The caller may withdraw the offer first; then there is nothing to do.
            if helper.state.compareExchange(expected: Helper.offered, desired: Helper.running, ordering: .acquiring).exchanged {
                takeChunks()
                helper.state.store(Helper.idle, ordering: .releasing)
            }
        }
    }

    /// Sleeps until a caller's offer wakes it (returns at once if an offer came meanwhile).
    private func sleep(_ helper: Helper) {
        helper.sleeping.store(true, ordering: .sequentiallyConsistent)
        if helper.state.load(ordering: .sequentiallyConsistent) == Helper.offered {
            // Take the flag back, unless the caller already did: then its signal is on the way.
            if helper.sleeping.exchange(false, ordering: .sequentiallyConsistent) { return }
        }
        helper.wake.wait()
    }
}

/// One spin of a wait loop; every 64 Ki spins the processor is yielded, in case the awaited
/// thread waits for it. (Swift cannot emit x86's pause hint: `_mm_pause` imports as an external
/// function that does not exist.)
@inline(__always) private func pause(_ spins: inout Int) {
    spins &+= 1
    if spins % 65_536 == 0 { sched_yield() }
}
