// End-to-end: the real `paper-repro` executable at the smoke scale, as a user drives it.

import Foundation
import Testing

struct Invocation {
    let status: Int32
    let output: String
    let error: String
}

enum PaperReproBinary {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The executable built next to this test bundle.
    static var url: URL {
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

@Suite(.serialized) struct CommandLineTests {
    let directory = NSTemporaryDirectory() + "paper-repro-\(UUID().uuidString)"

    @Test func runCheckVerifyAtSmokeScale() throws {
        let run = try PaperReproBinary.run(["run", "--scale", "smoke", "--output", directory, "--jobs", "2"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.contains("done   kl") && run.error.contains("runs, ETA"))
        let check = try PaperReproBinary.run(["check", "--scale", "smoke", "--output", directory])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("verdict: PASS (857 quantities)"))
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
        let path = directory + "/tied.json"
        try "{\"schema\": 2, \"experi".write(toFile: path, atomically: true, encoding: .utf8)
        let broken = try PaperReproBinary.run(["check", "tied", "--scale", "smoke", "--output", directory])
        #expect(broken.status == 1 && broken.output.contains("corrupt result file \(path)"))
        let repaired = try PaperReproBinary.run(["run", "tied", "--scale", "smoke", "--output", directory])
        #expect(repaired.error.contains("running tied again") && repaired.output.contains("ran     tied "))
        #expect(try PaperReproBinary.run(["check", "tied", "--scale", "smoke", "--output", directory]).status == 0)

        // The same for one run of a sweep: status counts it as failed, run recomputes only it.
        let run0 = directory + "/induction/smoke/softmax_concat_shift_aux0.2_lr0.001_h2_s0.json"
        let text = try String(contentsOfFile: run0, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: run0, atomically: true, encoding: .utf8)
        let status = try PaperReproBinary.run(["status", "induction", "--scale", "smoke", "--output", directory])
        #expect(status.output.contains("failed   induction/softmax_concat_shift_aux0.2_lr0.001_h2_s0: corrupt result file"), "\(status.output)")
        let figuresOfBroken = try PaperReproBinary.run(["figures", "induction", "--scale", "smoke", "--output", directory, "--figures", directory + "/figures"])
        #expect(figuresOfBroken.status == 1 && figuresOfBroken.output.contains("1 of 6 runs of induction (scale smoke) not stored"))
        let resumed = try PaperReproBinary.run(["run", "induction", "--scale", "smoke", "--output", directory])
        #expect(resumed.output.contains("ran     induction/softmax_concat_shift_aux0.2_lr0.001_h2_s0") && resumed.output.contains("kept    5 stored runs"))
        #expect(try PaperReproBinary.run(["check", "induction", "--scale", "smoke", "--output", directory]).status == 0)
    }

    @Test func resultsDoNotDependOnTheJobCount() throws {
        let one = try PaperReproBinary.run(["run", "normalization-square", "tied", "--scale", "smoke", "--output", directory + "/j1", "--jobs", "1"])
        let two = try PaperReproBinary.run(["run", "normalization-square", "tied", "--scale", "smoke", "--output", directory + "/j2", "--jobs", "2"])
        #expect(one.status == 0 && two.status == 0)
        for name in ["normalization-square", "tied"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/j1/\(name).json"))
            let b = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/j2/\(name).json"))
            let strip = { (d: Data) in String(decoding: d, as: UTF8.self).split(separator: "\n").filter { !$0.contains("\"seconds\"") && !$0.contains("\"threads\"") } }
            #expect(strip(a) == strip(b), "\(name) differs between --jobs 1 and --jobs 2")
        }
    }

    @Test(arguments: [
        (["run", "nonsense"], "unknown experiment 'nonsense'; valid: logistic, normalization-square"),
        (["run", "--scale", "huge"], "'smoke', 'default' or 'paper'"),
        (["run", "--jobs", "0"], "--jobs must be at least 1"),
        (["run", "--shard", "4/3"], "--shard must be i/n with 1 ≤ i ≤ n"),
        (["merge"], "Missing expected argument '<sources> ...'"),
        (["frobnicate"], "frobnicate"),
        (["figures", "fig9"], "unknown figure 'fig9'; valid: softmax_and_u_evolution_icml_2col"),
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
