// The report header: what ran, on what, with which code and libraries. Anything that cannot be
// found is said to be unknown, never guessed.

import Experiments
import Foundation
import Plot
import Records
import SIMDCore
import WideKernels

public enum MachineDescription {
    static func header(label: String, store: ResultStore, collected: [ExperimentResults]) -> [(String, String)] {
        let compute = collected.flatMap(\.stored.values).reduce(0) { $0 + $1.seconds }
        var rows: [(String, String)] = [
            ("Paper", "Varre, Rofin, Flammarion: Gradient Flow Polarizes Softmax Outputs towards Low-Entropy Solutions (arXiv 2603.06248)"),
            ("Code", "softmax-repro \(codeVersion), \(gitDescription())"),
            ("Machine", "\(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores, SIMD: \(simdFeatures()); GEMM kernel: \(GEMM.widest == .avx512 ? "512-bit (AVX-512)" : "256-bit (AVX2)")"),
            ("Toolchain", firstLine(of: ["swift", "--version"]) ?? "Swift (version unknown)"),
            ("Libraries", Fonts.libraryVersions),
            ("Fonts", (try? Fonts.check()).map { "\(Fonts.family) (resolved through a private fontconfig configuration)" } ?? "figure font NOT resolved"),
            ("Runs", "\(label) (results in \(store.directory.path))"),
            ("Compute time", "\(duration(compute)) (sum of the stored run times)"),
        ]
        if let wall = reproductionWallTime(store, label: label) { rows.append(("Wall time", wall)) }
        return rows
    }

    /// Written by paper-repro.sh at the end of a reproduction: {"wall_seconds": s, "jobs": n}.
    static func reproductionWallTime(_ store: ResultStore, label: String) -> String? {
        let path = store.directory.appendingPathComponent("checks/reproduction-\(fileLabel(label)).json").path
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSON(parsing: String(decoding: data, as: UTF8.self)), let seconds = json["wall_seconds"]?.double else { return nil }
        return "\(duration(seconds)) for the last ./paper-repro.sh (\(json["jobs"]?.int.map { "\($0) jobs" } ?? "jobs unknown"), build included)"
    }

    /// The commit of the checkout this program's sweeps/ belong to, and whether it has changes.
    public static func gitDescription() -> String {
        let repository = (Sweeps.root as NSString).deletingLastPathComponent
        guard let commit = firstLine(of: ["git", "-C", repository, "rev-parse", "HEAD"]) else { return "git commit unknown (not a git checkout)" }
        let dirty = firstLine(of: ["git", "-C", repository, "status", "--porcelain", "--untracked-files=no"]) != nil
        return "git \(commit)\(dirty ? " (dirty: uncommitted changes)" : " (clean)")"
    }

    static func cpuModel() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "CPU unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    static func simdFeatures() -> String {
        guard let flags = WideKernel.processorFlags else { return "unknown" }
        let found = ["sse4_2", "avx", "avx2", "fma", "avx512f"].filter(flags.contains)
        return found.isEmpty ? "none of SSE4.2/AVX/AVX2/FMA/AVX-512" : found.joined(separator: " ")
    }

    /// The first non-empty output line of a command, or nil when it fails or prints nothing.
    static func firstLine(of command: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
    }
}
