// NumPy's `linspace` and the log-spaced history schedules built on `logspace` (docs/spec.md §3, §8.1).
//
// linspace: yᵢ = start + i·(stop − start)/(num − 1), with the last value set to `stop` exactly.
// logspace: 10^yᵢ with libm `pow`, truncated toward zero by `astype(int)`.

import Foundation

public func linspace(_ start: Double, _ stop: Double, count num: Int) -> [Double] {
    guard num > 1 else { return num == 1 ? [start] : [] }
    let step = (stop - start) / Double(num - 1)
    var y = (0..<num).map { Double($0) * step + start }
    y[num - 1] = stop
    return y
}

public enum HistorySchedule {
    /// Scheme A (E1): unique(int(logspace(0, log10 N, samples))) − 1, kept in [0, N), plus 0 and N − 1.
    public static func schemeA(iterations n: Int, samples: Int) -> [Int] {
        var set = Set(linspace(0, log10(Double(n)), count: samples).map { Int(pow(10.0, $0)) - 1 }
            .filter { $0 >= 0 && $0 < n })
        set.insert(0)
        set.insert(n - 1)
        return set.sorted()
    }

    /// Scheme B (E4, E5): unique(int(logspace(0, log10(N − 1), samples))) with 0 prepended.
    public static func schemeB(iterations n: Int, samples: Int) -> [Int] {
        guard n > 1 else { return [0] }
        var set = Set(linspace(0, log10(Double(n - 1)), count: samples).map { Int(pow(10.0, $0)) })
        set.insert(0)
        return set.sorted()
    }
}
