// Progress: what is running, done/total iterations, rate and ETA, and for a list of runs the runs
// done/total with an ETA scaled from the reference-machine estimates by the speed observed so far.
//
// On a terminal (stderr is a TTY) one live status line is redrawn five times a second; otherwise
// plain lines are printed when a run starts and ends, and every 10 s while it runs.

import Foundation

public final class ProgressBoard: @unchecked Sendable {
    struct Entry { var name: String; var total: Int; var done: Int; var start: Date; var lastPrint: Date }

    private let lock = NSLock()
    private var entries: [Entry] = []
    private let live: Bool
    private var ticker: Thread?
    private var stopped = false
    public let quiet: Bool
    private var planned = 0, finishedRuns = 0
    private var estimatedTotal = 0.0, estimatedDone = 0.0
    private var planStart = Date()

    public init(quiet: Bool = false) {
        self.quiet = quiet
        live = !quiet && isatty(STDERR_FILENO) != 0
        if live {
            let thread = Thread { [weak self] in
                while let self, !self.isStopped { self.redraw(); Thread.sleep(forTimeInterval: 0.2) }
            }
            ticker = thread
            thread.start()
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    public func stop() {
        lock.withLock { stopped = true }
        if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    public func started(_ name: String, total: Int) {
        lock.withLock { entries.append(Entry(name: name, total: total, done: 0, start: Date(), lastPrint: Date())) }
        say("start  \(name) (\(total) steps)")
    }

    public func advance(_ name: String, by count: Int) {
        var line: String?
        lock.withLock {
            guard let i = entries.firstIndex(where: { $0.name == name }) else { return }
            entries[i].done += count
            if !live && Date().timeIntervalSince(entries[i].lastPrint) > 10 {
                entries[i].lastPrint = Date()
                line = "       " + Self.describe(entries[i])
            }
        }
        if let line { say(line) }
    }

    /// Announces `runs` runs costing `estimatedSeconds` on the reference machine.
    public func plan(runs: Int, estimatedSeconds: Double) {
        lock.withLock {
            planned = runs; finishedRuns = 0
            estimatedTotal = estimatedSeconds; estimatedDone = 0; planStart = Date()
        }
        if runs > 1 { say(String(format: "plan   %d runs, about %@ on one core of the reference machine", runs, duration(estimatedSeconds))) }
    }

    public func finished(_ name: String, seconds: Double, estimated: Double = 0, note: String = "") {
        let overall: String = lock.withLock {
            entries.removeAll { $0.name == name }
            finishedRuns += 1
            estimatedDone += estimated
            guard planned > 1 else { return "" }
            let elapsed = Date().timeIntervalSince(planStart)
            let eta = estimatedDone > 0 ? elapsed * (estimatedTotal - estimatedDone) / estimatedDone : .infinity
            return "  [\(finishedRuns)/\(planned) runs, ETA \(eta.isFinite ? duration(max(eta, 0)) : "?")]"
        }
        say("done   \(name) in \(String(format: "%.2f", seconds)) s\(note.isEmpty ? "" : " (\(note))")\(overall)")
    }



    public func say(_ line: String) {
        guard !quiet else { return }
        lock.withLock {
            FileHandle.standardError.write(Data(((live ? "\r\u{1B}[K" : "") + line + "\n").utf8))
        }
    }

    private func redraw() {
        let line = lock.withLock { entries.map(Self.describe).joined(separator: " | ") }
        guard !line.isEmpty else { return }
        lock.withLock { FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8)) }
    }

    static func describe(_ e: Entry) -> String {
        let elapsed = max(Date().timeIntervalSince(e.start), 1e-6)
        let rate = Double(e.done) / elapsed
        let eta = rate > 0 ? Double(e.total - e.done) / rate : .infinity
        let percent = e.total > 0 ? 100 * Double(e.done) / Double(e.total) : 100
        return String(format: "%@ %3.0f%% %d/%d %@ it/s ETA %@", e.name, percent, e.done, e.total,
                      humanRate(rate), eta.isFinite ? String(format: "%.1fs", eta) : "?")
    }

    static func humanRate(_ rate: Double) -> String {
        rate >= 1e6 ? String(format: "%.1fM", rate / 1e6) : rate >= 1e3 ? String(format: "%.1fk", rate / 1e3) : String(format: "%.0f", rate)
    }
}

/// "42 s", "17 min", "3.2 h", "12 days".
public func duration(_ seconds: Double) -> String {
    seconds < 90 ? String(format: "%.0f s", seconds) : seconds < 5400 ? String(format: "%.0f min", seconds / 60)
        : seconds < 172_800 ? String(format: "%.1f h", seconds / 3600) : String(format: "%.0f days", seconds / 86400)
}
