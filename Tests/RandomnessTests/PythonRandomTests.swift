// CPython's `random`, exactly: draws from Python 3.11 (Tests/Reference/python_random_vectors.py)
// for five seeds, one and two key words, every method the experiments use.

import Randomness
import TestSupport
import Testing
import Records

@Suite struct PythonRandomTests {
    static let cases = (try? Fixtures.json("python_random_vectors.json"))?["cases"]?.array ?? []

    static func ints(_ j: JSON?) -> [Int] { j!.array!.map { Int($0.double!) } }

    @Test func fixtureIsPresent() { #expect(Self.cases.count == 5) }

    @Test(arguments: 0..<5)
    func everyMethodMatchesCPython(index: Int) throws {
        let c = try #require(Self.cases.count > index ? Self.cases[index] : nil)
        var r = PythonRandom(seed: UInt64(c["seed"]!.double!))
        #expect((0..<20).map { _ in Int(r.getrandbits(32)) } == Self.ints(c["getrandbits32"]))
        #expect([1, 5, 31, 33, 47, 64, 0, 7].map { r.getrandbits($0) }
                == c["getrandbits_mixed"]!.array!.map { UInt64($0.string!)! })
        let bounds = [1, 2, 3, 10, 49, 100, 1000, 2_147_483_649, 1_000_000_000_000]
        #expect((bounds + bounds + bounds).map { r.randbelow($0) } == Self.ints(c["randbelow"]))
        #expect((0..<10).map { _ in r.random() } == c["random"]!.array!.map { $0.double! })
        for expected in c["sample_pool"]!.array! {
            #expect(r.sample(Array(1..<50), 10) == Self.ints(expected))
        }
        #expect(r.sample(Array(0..<10000), 1000) == Self.ints(c["sample_set"]))
        #expect((0..<30).map { _ in r.randint(0, 9) } == Self.ints(c["randint"]))
        #expect((0..<20).map { _ in r.choice([3, 1, 4, 1, 5, 9, 2, 6]) } == Self.ints(c["choice"]))
        var items = Array(0..<10)
        r.shuffle(&items)
        #expect(items == Self.ints(c["shuffle"]))
        for expected in c["sample_labels"]!.array! {
            #expect(r.sample([0, 1, 2, 3], 2) == Self.ints(expected))
        }
    }
}
