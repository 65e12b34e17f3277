// End-to-end: the real `paper-repro` executable at the smoke scale, as a user drives it.

import Foundation
import Testing

struct Invocation {
    let status: Int32
    let output: String
    let error: String
}

/// A fresh folder path under the system's temporary directory, removed with everything in it
/// when the suite instance that holds it goes (Swift Testing makes one instance per test).
final class ScratchFolder: Sendable {
    let path: String
    init(_ prefix: String) { path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)" }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

enum PaperReproBinary {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The executable built next to this test bundle ($PAPER_REPRO_BINARY instead, e.g. to try
    /// a test against an older build).
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["PAPER_REPRO_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("paper-repro")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/paper-repro")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Invocation {
        try Invocation.of(url, arguments, environment: environment, directory: repository)
    }
}

extension Invocation {
    /// Runs `executable` to the end, collecting its exit status, stdout and stderr.
    static func of(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> Invocation {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Invocation(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                          error: String(decoding: errData, as: UTF8.self))
    }
}

/// The stored result file of run `name` of `experiment` under `directory` (named by the run and its config hash).
func resultFile(_ directory: String, _ experiment: String, _ name: String) throws -> String {
    let files = try FileManager.default.contentsOfDirectory(atPath: "\(directory)/\(experiment)")
        .filter { $0.hasPrefix(name + ".") && $0.hasSuffix(".json") && $0.dropFirst(name.count + 1).count == 17 }
    guard files.count == 1 else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(directory)/\(experiment)/\(name).*.json: \(files)"]) }
    return "\(directory)/\(experiment)/\(files[0])"
}

@Suite(.serialized) struct CommandLineTests {
    let scratch = ScratchFolder("paper-repro")
    var directory: String { scratch.path }

    @Test func runCheckVerifyAtSmokeScale() throws {
        let run = try PaperReproBinary.run(["run", "--scale", "smoke", "--output", directory, "--jobs", "2"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.contains("done   kl") && run.error.contains("runs, ETA"))
        let check = try PaperReproBinary.run(["check", "--scale", "smoke", "--output", directory])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("verdict: PASS (857 quantities)"))
        // Every claim gets a verdict; the smoke runs are too short to polarize, which is a finding, not a failure of check.
        #expect(check.output.components(separatedBy: "\nCLAIM ").count - 1 == 8, "\(check.output)")
        #expect(check.output.contains("CLAIM fails     C1 (F1)"))
        // Toy experiments are rerun whole, sweeps two runs each: 6 + 2 + 2 + 2 + 1 + 2 + 1.
        let verify = try PaperReproBinary.run(["verify", "--scale", "smoke", "--output", directory, "--jobs", "1"])
        #expect(verify.status == 0 && verify.output.contains("verdict: deterministic (16 results identical)"), "\(verify.output)")

        // Figures from the stored results, then nothing to do the second time.
        let figures = try PaperReproBinary.run(["figures", "--scale", "smoke", "--output", directory, "--figures", directory + "/figures"])
        #expect(figures.status == 0, "\(figures.output)")
        let rendered = try FileManager.default.contentsOfDirectory(atPath: directory + "/figures")
        #expect(rendered.filter { $0.hasSuffix(".pdf") }.count == 112 && rendered.filter { $0.hasSuffix(".png") }.count == 112)
        let again = try PaperReproBinary.run(["figures", "kl", "induction", "--scale", "smoke", "--output", directory, "--figures", directory + "/figures"])
        #expect(again.output.contains("up to date  25 figures"), "\(again.output)")

        // A rerun keeps finished results.
        let rerun = try PaperReproBinary.run(["run", "--scale", "smoke", "--output", directory])
        #expect(rerun.output.contains("kept    26 stored runs"), "\(rerun.output)")

        // A corrupted result: check fails naming the file; run reports it and recomputes it.
        let path = try resultFile(directory, "tied", "tied")
        try "{\"schema\": 2, \"experi".write(toFile: path, atomically: true, encoding: .utf8)
        let broken = try PaperReproBinary.run(["check", "tied", "--scale", "smoke", "--output", directory])
        #expect(broken.status == 1 && broken.output.contains("corrupt result file \(path)"))
        let repaired = try PaperReproBinary.run(["run", "tied", "--scale", "smoke", "--output", directory])
        #expect(repaired.error.contains("running tied again") && repaired.output.contains("ran     tied "))
        #expect(try PaperReproBinary.run(["check", "tied", "--scale", "smoke", "--output", directory]).status == 0)

        // The same for one run of a sweep: status counts it as failed, run recomputes only it.
        let run0 = try resultFile(directory, "induction", "softmax_concat_shift_aux0.2_lr0.001_h2_s0")
        let text = try String(contentsOfFile: run0, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: run0, atomically: true, encoding: .utf8)
        let status = try PaperReproBinary.run(["status", "induction", "--scale", "smoke", "--output", directory])
        #expect(status.output.contains("failed   induction/softmax_concat_shift_aux0.2_lr0.001_h2_s0: corrupt result file"), "\(status.output)")
        let figuresOfBroken = try PaperReproBinary.run(["figures", "induction", "--scale", "smoke", "--output", directory, "--figures", directory + "/figures"])
        #expect(figuresOfBroken.status == 1 && figuresOfBroken.output.contains("1 of 6 runs of induction (smoke) not stored"))
        let resumed = try PaperReproBinary.run(["run", "induction", "--scale", "smoke", "--output", directory])
        #expect(resumed.output.contains("ran     induction/softmax_concat_shift_aux0.2_lr0.001_h2_s0") && resumed.output.contains("kept    5 stored runs"))
        #expect(try PaperReproBinary.run(["check", "induction", "--scale", "smoke", "--output", directory]).status == 0)
    }

    @Test func resultsDoNotDependOnTheJobCount() throws {
        let one = try PaperReproBinary.run(["run", "normalization-square", "tied", "--scale", "smoke", "--output", directory + "/j1", "--jobs", "1"])
        let two = try PaperReproBinary.run(["run", "normalization-square", "tied", "--scale", "smoke", "--output", directory + "/j2", "--jobs", "2"])
        #expect(one.status == 0 && two.status == 0)
        for name in ["normalization-square", "tied"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: resultFile(directory + "/j1", name, name)))
            let b = try Data(contentsOf: URL(fileURLWithPath: resultFile(directory + "/j2", name, name)))
            let strip = { (d: Data) in String(decoding: d, as: UTF8.self).split(separator: "\n").filter { !$0.contains("\"seconds\"") && !$0.contains("\"threads\"") } }
            #expect(strip(a) == strip(b), "\(name) differs between --jobs 1 and --jobs 2")
        }
    }

    @Test(arguments: [
        (["run", "nonsense"], "unknown experiment 'nonsense'; valid: logistic, normalization-square"),
        (["run", "--scale", "huge"], "'smoke', 'default' or 'paper'"),
        (["run", "--jobs", "0"], "--jobs must be in 1...4096, not 0"),
        (["run", "--shard", "4/3"], "--shard must be i/n with 1 ≤ i ≤ n"),
        (["merge"], "Missing expected argument '<sources> ...'"),
        (["frobnicate"], "frobnicate"),
        (["figures", "fig9"], "unknown figure or experiment 'fig9'"),
        (["run", "inducton"], "unknown experiment 'inducton' (did you mean 'induction'?)"),
        (["run", "induction", "lr=abc"], "override lr=abc: 'abc' is not a finite number"),
        (["run", "induction", "nosuch=1"], "unknown key 'nosuch' in override nosuch=1; valid: seed, shift_query_token"),
        (["run", "induction", "lr=nan"], "override lr=nan: 'nan' is not a finite number"),
        (["run", "induction", "lr=-1"], "'lr' is -1.0, not a number in (0, 100.0]"),
        (["run", "induction", "seed=5000000000"], "'seed' is 5000000000, not in 0...4294967295"),
        (["run", "induction", "attention_type=softmaxx"], "'attention_type' is not an attention kind"),
        (["run", "classification", "vocab_size=42"], "vocab_size 42 is not 1 + 4·k with k ≥ 10"),
        (["run", "--sweep", "/nonexistent.yaml"], "cannot read sweep file /nonexistent.yaml (no such file)"),
        (["run", "--scale", "smoke", "--sweep", "x.yaml"], "--scale and --sweep exclude each other"),
    ])
    func badUsageIsOneLineAndExitTwo(arguments: [String], message: String) throws {
        let result = try PaperReproBinary.run(arguments)
        #expect(result.status == 2)
        #expect(result.error.contains(message), "\(result.error)")
        #expect(result.error.split(separator: "\n").count == 1)
    }

    @Test func checkWithoutResultsFails() throws {
        let result = try PaperReproBinary.run(["check", "kl", "--scale", "smoke", "--output", directory + "/empty"])
        #expect(result.status == 1 && result.output.contains("no result in") && result.output.contains("verdict: FAIL"))
    }
}
