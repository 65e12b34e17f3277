// Hashes, JSON round trips, tolerances, the result store's failure modes.

import Experiments
import Figures
import Foundation
@testable import Pipeline
import Testing
import Records

@Suite struct SHA256Tests {
    @Test func standardVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}

@Suite struct JSONTests {
    @Test func doublesRoundTripBitForBit() throws {
        let values: [Double] = [0.1, -0.0, 1e-300, .leastNonzeroMagnitude, .pi, 1.7976931348623157e308, -1.0856306033005612, 1e-5, 123456789.0]
        let json = JSON.object([("x", .doubles(values)), ("n", .int(-3)), ("s", .string("a\"b\\c\n")),
                                ("special", .doubles([.nan, .infinity, -.infinity]))])
        let back = try JSON(parsing: json.rendered())
        #expect(back["x"]!.array!.map { $0.double!.bitPattern } == values.map(\.bitPattern))
        #expect(back["n"]?.int == -3 && back["s"]?.string == "a\"b\\c\n")
        #expect(back["special"]!.array!.map { $0.double! }.map { $0.isNaN ? "nan" : "\($0)" } == ["nan", "inf", "-inf"])
        // Non-finite numbers come back as their string spelling; everything else is unchanged.
        let finite = JSON.object([("x", .doubles(values)), ("s", .string("é\u{1}"))])
        #expect(try JSON(parsing: finite.compact()) == finite)
    }

    @Test func truncatedInputIsAnErrorWithAnOffset() {
        #expect(throws: JSONParseError.self) { try JSON(parsing: "{\"a\": [1, 2") }
        #expect(throws: JSONParseError.self) { try JSON(parsing: "{\"a\": 1} x") }
    }
}

@Suite struct GoldenTests {
    func result(_ summary: JSON) -> ExperimentResults {
        let spec = RunSpec(experiment: "toy", id: "toy", config: .object([("n", .int(1))]), steps: 1, estimatedSeconds: 0)
        let stored = StoredResult(spec, output: ExperimentOutput(summary: summary, history: .object([]), iterations: 1), seconds: 0)
        return ExperimentResults(experiment: "toy", label: "smoke", specs: [spec], stored: ["toy": stored])
    }

    func golden(_ expected: JSON, _ tolerance: Tolerance, hash: String? = nil) -> GoldenFile {
        GoldenFile(experiment: "toy", scale: "smoke", configHash: hash ?? result(.null).configHash, reference: "test",
                   quantities: [GoldenQuantity(name: "g.x", expected: expected, tolerance: tolerance, why: "")])
    }

    @Test func tolerancesAcceptAndReject() {
        let r = result(.object([("g", .object([("x", .doubles([1.0, 2.0 + 4e-16]))]))]))
        #expect(Golden.check(r, golden: golden(.doubles([1.0, 2.0]), .close(rtol: 1e-12, atol: 0))).allSatisfy { $0.passed })
        #expect(Golden.check(r, golden: golden(.doubles([1.0, 2.0]), .ulp(1))).allSatisfy { $0.passed })
        let strict = Golden.check(r, golden: golden(.doubles([1.0, 2.0]), .bitwise))
        #expect(strict.map(\.passed) == [true, false])
        #expect(strict[1].text.hasPrefix("FAIL  toy  g.x[1]  expected=2  obtained=2.0000000000000004"))
        let far = Golden.check(r, golden: golden(.doubles([1.0, 2.1]), .close(rtol: 1e-3, atol: 0)))
        #expect(far.map(\.passed) == [true, false])
    }

    @Test func missingQuantityShapeOrConfigFail() {
        let r = result(.object([("g", .object([("x", .doubles([1.0]))]))]))
        #expect(!Golden.check(r, golden: golden(.doubles([1, 2]), .exact)).contains { $0.passed })
        #expect(!Golden.check(r, golden: golden(.number(1), .exact, hash: "other")).contains { $0.passed })
        let missing = GoldenFile(experiment: "toy", scale: "smoke", configHash: r.configHash, reference: "",
                                 quantities: [GoldenQuantity(name: "g.y", expected: .number(1), tolerance: .exact, why: "")])
        #expect(Golden.check(r, golden: missing).map(\.passed) == [false])
    }

    @Test func blessReportsChanges() {
        let r = result(.object([("g", .object([("x", .doubles([1.0, 3.0]))]))]))
        var previous = golden(.doubles([1.0, 2.0]), .ulp(2))
        previous.notChecked = .object([("g.y", .string("sign decided by rounding"))])
        let (file, changes) = Golden.bless(r, previous: previous)
        #expect(changes == ["g.x[1]: 2.0 -> 3.0"])
        #expect(file.notChecked == previous.notChecked)
        #expect(file.quantities.map(\.name) == ["g.x"])
        #expect(Golden.check(r, golden: file).allSatisfy { $0.passed })
    }
}

@Suite struct ResultStoreTests {
    let scratch = ScratchFolder("store")

    @Test func saveLoadAndDetectDamage() throws {
        let store = ResultStore(directory: scratch.path)
        let kl = try Sweeps.runs(scale: .smoke, experiments: [KLExperiment()]).specs[0]
        let output = try KLExperiment().run(kl.config) { _ in }
        let result = StoredResult(kl, output: output, seconds: 1)
        try store.save(result)
        let loaded = try #require(try store.load(kl))
        #expect(loaded.contentHash == result.contentHash)
        #expect(try store.load(Sweeps.runs(scale: .smoke, experiments: [LogisticExperiment()]).specs[0]) == nil)
        // One file named by the run and its configuration; no temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory.path) == ["kl"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory.path + "/kl") == ["kl.\(kl.configHash.prefix(12)).json"])

        let path = store.path(kl)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try store.load(kl) } throws: { "\($0)".contains("corrupt result file \(path)") }

        try text.replacingOccurrences(of: "\"initial_loss\": ", with: "\"initial_loss\": 1").write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try store.load(kl) } throws: { "\($0)".contains("content hash mismatch") }

        // A file that holds another configuration than its name says is not used either.
        var other = result
        other.config = .object([("seed", .int(7))])
        try writeAtomically(other.json.rendered(), to: path)
        #expect { try store.load(kl) } throws: { "\($0)".contains("holds run kl/kl of configuration") }
    }

    @Test func unwritableDirectoryIsAClearError() {
        #expect { try writeAtomically("x", to: "/proc/forbidden/result.json") } throws: { "\($0)".contains("cannot write /proc/forbidden/result.json") }
    }
}

@Suite struct PaperFigureCatalogTests {
    @Test func everyPaperFigureIsDrawnByARegisteredExperiment() {
        for figure in PaperFigures.all {
            let experiment = Registry.experiment(named: figure.experiment)
            #expect(experiment != nil, "\(figure.id): unknown experiment \(figure.experiment)")
            #expect(Set(figure.files).isSubset(of: experiment?.figures ?? []), "\(figure.id): \(figure.files)")
        }
    }
}
