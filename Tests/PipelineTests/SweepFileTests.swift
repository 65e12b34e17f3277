// Sweep files and overrides through the real executable: a user's grid runs without a rebuild,
// tabulates, resumes; bad files and overrides are one line and exit 2.

import Experiments
import Foundation
import Testing
@testable import Pipeline

@Suite(.serialized) struct SweepFileTests {
    let scratch = ScratchFolder("sweep-file")
    var directory: String { scratch.path }

    func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// 2 seeds × softmax/sigmoid_unnorm, 1 layer, 1 head, no MLP, no LayerNorm, 2 epochs (tiny model so it runs in seconds).
    var userGrid: String {
        """
        project: my-project
        name: four-runs
        program: exp_classification.py
        method: grid
        command: [python, exp_classification.py]
        parameters:
          seed: {values: [0, 1]}
          attention_type: {values: [softmax, sigmoid_unnorm]}
          num_layers: {value: 1}
          num_heads: {value: 1}
          use_mlp: {value: false}
          use_layernorm: {value: no}
          num_epochs: {value: 2}
          embed_dim: {value: 16}
          num_train: {value: 128}
          num_eval: {value: 32}
          batch_size: {value: 64}
          mixing_pairs: {value: 10}
        """
    }

    @Test func aUsersGridRunsTabulatesAndResumes() throws {
        let sweep = try write("mine.yaml", userGrid)
        let out = directory + "/results"
        let dry = try PaperReproBinary.run(["run", "--sweep", sweep, "--dry-run", "--output", out])
        #expect(dry.status == 0 && dry.output.hasPrefix("4 runs (\(sweep))"), "\(dry.output)\(dry.error)")
        #expect(!FileManager.default.fileExists(atPath: out), "--dry-run wrote results")

        let run = try PaperReproBinary.run(["run", "--sweep", sweep, "--output", out, "--jobs", "2"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.split(separator: "\n").filter { $0.hasPrefix("ran ") }.count == 4, "\(run.output)")

        let table = try PaperReproBinary.run(["table", "classification", "--sweep", sweep, "--format", "csv", "--output", out])
        #expect(table.status == 0, "\(table.error)")
        let lines = table.output.split(separator: "\n")
        #expect(lines.count == 5)
        let header = lines[0].split(separator: ",").map(String.init)
        for column in ["run", "seed", "attention_type", "acc", "rel_attn_max.l0.h0"] { #expect(header.contains(column), "\(header)") }
        let seeds = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[header.firstIndex(of: "seed")!] }
        #expect(seeds.sorted() == ["0", "0", "1", "1"])
        let jsonl = try PaperReproBinary.run(["table", "classification", "--sweep", sweep, "--format", "jsonl", "--long", "--output", out])
        #expect(jsonl.output.split(separator: "\n").count == 4 && jsonl.output.contains("\"layer\": 0, \"head\": 0"))

        // Running the file again computes nothing.
        let again = try PaperReproBinary.run(["run", "--sweep", sweep, "--output", out])
        #expect(again.status == 0 && again.output.contains("kept    4 stored runs") && !again.output.contains("ran "), "\(again.output)")
        // The same configurations given as overrides are the same runs, stored once.
        let overridden = try PaperReproBinary.run(["run", "--sweep", sweep, "seed=1", "--output", out])
        #expect(overridden.output.contains("kept    2 stored runs") && !overridden.output.contains("ran "), "\(overridden.output)")
    }

    @Test func scalesAndOverridesExpandAsTheAuthorsGrids() throws {
        let paper = try PaperReproBinary.run(["run", "--sweep", Sweeps.root + "/paper/induction.yaml", "--dry-run"])
        #expect(paper.output.hasPrefix("8640 runs"), "\(paper.output)")
        let seeds = try PaperReproBinary.run(["run", "induction", "--scale", "default", "seed=0,1", "--dry-run"])
        #expect(seeds.output.hasPrefix("264 runs (default)"), "\(seeds.output)")
        let classification = try PaperReproBinary.run(["run", "classification", "--scale", "paper", "--dry-run"])
        #expect(classification.output.hasPrefix("12960 runs (paper)"), "\(classification.output)")
    }

    @Test(arguments: [
        ("not: [valid", "not valid YAML"),
        ("program: exp_induction.py\nmethod: random\nparameters: {}", "method 'random' is not supported; valid: grid"),
        ("program: exp_nothing.py\nmethod: grid\nparameters: {}", "unknown program 'exp_nothing.py'; valid: exp_induction.py, exp_classification.py"),
        ("program: exp_induction.py\nmethod: grid\nparameters:\n  sead: {values: [1]}", ":4: unknown parameter 'sead' for induction (did you mean 'seed'?)"),
        ("program: exp_induction.py\nmethod: grid\nparameters:\n  lr: {values: [fast]}", ":4: 'lr': 'fast' is not a finite number"),
        ("program: exp_induction.py\nmethod: grid\nparameters:\n  num_heads: {value: 2.5}", "'num_heads': '2.5' is not an integer"),
        ("program: exp_induction.py\nmethod: grid\nparameters:\n  seed: {distribution: uniform}", "parameter 'seed' has no value or values"),
        ("experiment: inductoin\nmethod: grid", "unknown experiment 'inductoin' (did you mean 'induction'?)"),
    ])
    func badSweepFilesAreOneLineAndExitTwo(text: String, message: String) throws {
        let sweep = try write("bad-\(UUID().uuidString).yaml", text)
        let result = try PaperReproBinary.run(["run", "--sweep", sweep, "--dry-run"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.error.contains(message), "\(result.error)")
        #expect(result.error.split(separator: "\n").count == 1)
    }

    @Test func collidingRunNamesAreMadeUnique() throws {
        let runs = try Sweeps.runs(scale: .smoke, experiments: [Registry.experiment(named: "logistic")!],
                                   overrides: [try #require(try Override("seed=1,2"))])
        #expect(runs.specs.map(\.id) == ["logistic_seed1", "logistic_seed2"])
        #expect(Set(runs.specs.map(\.name)) == ["logistic"])
    }

    /// Runs picked out of a built-in scale by overrides are checked against that scale's golden
    /// file (their quantities only); --exact requires every value's bits.
    @Test func aSubsetOfAScaleIsCheckedAgainstItsGoldenFile() throws {
        let out = directory + "/subset"
        let selection = ["induction", "--scale", "smoke", "attention_type=softmax", "--output", out]
        #expect(try PaperReproBinary.run(["run"] + selection).status == 0)
        let check = try PaperReproBinary.run(["check"] + selection + ["--exact"])
        #expect(check.status == 0 && check.output.contains("verdict: PASS (42 quantities)"), "\(check.output)")
        // Runs the scale does not have: no golden values, a failure.
        #expect(try PaperReproBinary.run(["run", "induction", "--scale", "smoke", "attention_type=softmax", "lr=0.01", "--output", out]).status == 0)
        let foreign = try PaperReproBinary.run(["check", "induction", "--scale", "smoke", "attention_type=softmax", "lr=0.01", "--output", out])
        #expect(foreign.status == 1 && foreign.output.contains("no golden values"), "\(foreign.output)")
        // A golden value one ulp away: within its tolerance, but not its bits.
        let golden = directory + "/golden"
        try FileManager.default.createDirectory(atPath: golden + "/smoke", withIntermediateDirectories: true)
        var file = try GoldenFile(path: PaperReproBinary.repository.path + "/golden/smoke/induction.json")
        let i = try #require(file.quantities.firstIndex { $0.name.hasPrefix("softmax_") && $0.expected.double.map { $0 != 0 && $0.isFinite } == true })
        file.quantities[i].expected = .number(file.quantities[i].expected.double!.nextUp)
        try writeAtomically(file.json.rendered(), to: golden + "/smoke/induction.json")
        #expect(try PaperReproBinary.run(["check"] + selection + ["--golden", golden]).status == 0)
        let exact = try PaperReproBinary.run(["check"] + selection + ["--golden", golden, "--exact"])
        #expect(exact.status == 1 && exact.output.contains("FAIL  induction  \(file.quantities[i].name)"), "\(exact.output)")
    }
}
