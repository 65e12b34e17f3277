// Tick placement and labels (matplotlib's rules), palettes, TeX markup, PNG chunks.

@testable import Plot
import Foundation
import Testing

@Suite struct TicksTests {
    @Test func linearTicksUseNiceSteps() {
        // MaxNLocator's ticks in view.
        func linear(_ lo: Double, _ hi: Double, bins: Int) -> [Double] { Ticks.maxN(lo, hi, bins: bins).filter { Ticks.inView($0, (lo, hi)) } }
        #expect(linear(-0.05, 1.05, bins: 5) == [0, 0.25, 0.5, 0.75, 1])
        #expect(linear(-0.05, 1.05, bins: 9) == [0, 0.2, 0.4000000000000001, 0.6000000000000001, 0.8, 1.0000000000000002])
        #expect(linear(-15000, 315000, bins: 5) == [0, 100000, 200000, 300000])
        #expect(Ticks.labels([0, 0.25, 0.5], format: .automatic) == ["0.00", "0.25", "0.50"])
        #expect(Ticks.labels([0, 100000, 200000], format: .automatic) == ["0", "100000", "200000"])
        #expect(Ticks.labels([-0.5, 0, 0.5], format: .automatic) == ["\u{2212}0.5", "0.0", "0.5"])
        #expect(Ticks.labels([0.1], format: .fixed(decimals: 3)) == ["0.100"])
    }

    @Test func logTicksOnDecadesWithStride() {
        let many = Ticks.log(pow(10, -24.3), pow(10, 2.46), numticks: 4, minor: true)
        #expect(many.filter { $0.major }.map { $0.label } == ["$10^{-18}$", "$10^{-11}$", "$10^{-4}$"])
        #expect(many.allSatisfy { $0.major })   // sparse decades: no minor ticks, as matplotlib
        let few = Ticks.log(0.5, 2e3, numticks: 9, minor: true)
        #expect(few.filter { $0.major }.map { $0.value } == [1, 10, 100, 1000])
        #expect(few.filter { !$0.major }.count == 5 + 3 * 8 + 1)   // 0.5..0.9, 2..9 × 10^0..10^2, 2000
        #expect(few.filter { !$0.major }.allSatisfy { $0.label == nil })
        // Less than a decade with at most one of 2…9 × 10^k in view: MaxNLocator's ticks, labelled m×10^k.
        let narrow = Ticks.log(1.2, 2.1, numticks: 4, minor: true)
        #expect(narrow.compactMap { $0.label } == ["$1.2\\times10^{0}$", "$1.4\\times10^{0}$", "$1.6\\times10^{0}$", "$1.8\\times10^{0}$", "$2\\times10^{0}$"])
    }
}
