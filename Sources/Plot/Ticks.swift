// Tick placement and labels as matplotlib 3.10.8 makes them (Tests/Reference/matplotlib_layout.py
// checks the result). Linear axes: MaxNLocator(nbins = clip(tick space, 1, 9), steps [1, 2, 2.5,
// 5, 10]) and ScalarFormatter's choice of decimals. Log axes: LogLocator and
// LogFormatterSciNotation (see `log`).
// Labels are TeX-like strings (`$10^{3}$`), turned into Pango markup by `TeX`.

import Foundation

public enum AxisScale: Sendable { case linear, log }

public struct Tick: Equatable, Sendable {
    public var value: Double
    public var label: String?   // nil: unlabelled (minor) tick
    public var major: Bool
}

public enum TickFormat: Sendable, Equatable {
    /// matplotlib's ScalarFormatter (decimals chosen from the tick spacing).
    case automatic
    /// `FormatStrFormatter("%.Nf")`.
    case fixed(decimals: Int)
}

enum Ticks {
    /// Ticks that fit in `limits` for an axis of `length` points with tick labels of `labelSize`.
    /// `perLabel` is 3 label sizes per tick for x axes and 2 for y axes (matplotlib's tick space).
    static func ticks(scale: AxisScale, limits: (Double, Double), length: Double, labelSize: Double,
                      perLabel: Double, format: TickFormat, minor: Bool) -> [Tick] {
        let space = Int((length / (labelSize * perLabel)).rounded(.down))
        switch scale {
        case .linear:
            // ScalarFormatter chooses its decimals from every tick the locator returns, in view or not.
            let raw = maxN(limits.0, limits.1, bins: min(max(space, 1), 9))
            return zip(raw, labels(raw, format: format)).filter { inView($0.0, limits) }.map { Tick(value: $0, label: $1, major: true) }
        case .log:
            return log(limits.0, limits.1, numticks: min(max(space, 2), 9), minor: minor)
        }
    }

    /// matplotlib's test for a tick in the view interval (relative slack 1e-10).
    static func inView(_ v: Double, _ limits: (Double, Double), log: Bool = false) -> Bool {
        let t = { (u: Double) in log ? log10(u) : u }
        let lo = t(min(limits.0, limits.1)), hi = t(max(limits.0, limits.1)), x = t(v)
        let slack = 1e-10 * (hi - lo)
        return x >= lo - slack && x <= hi + slack
    }

    // MARK: linear

    /// MaxNLocator's raw ticks (`_raw_ticks`): they may reach one step past either limit.
    static func maxN(_ vmin: Double, _ vmax: Double, bins: Int) -> [Double] {
        guard vmax > vmin else { return [vmin] }
        let dv = vmax - vmin, mean = (vmax + vmin) / 2
        let offset = abs(mean) / dv < 100 ? 0 : (mean < 0 ? -1 : 1) * pow(10, floor(log10(abs(mean))))
        let scale = pow(10, floor(log10(dv / Double(bins))))
        let lo = vmin - offset, hi = vmax - offset
        let steps = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20].map { $0 * scale }
        let rawStep = (hi - lo) / Double(bins)
        let first = steps.firstIndex { $0 >= rawStep } ?? steps.count - 1
        var ticks: [Double] = []
        for step in steps[...first].reversed() {
            let best = (lo / step).rounded(.down) * step
            let low = edgeFloor(lo - best, step: step, offset: offset)
            let high = edgeCeil(hi - best, step: step, offset: offset)
            ticks = (low...max(low, high)).map { Double($0) * step + best }
            let inside = ticks.filter { $0 >= lo && $0 <= hi }.count
            if inside >= 2 { break }
        }
        return ticks.map { $0 + offset }
    }

    /// matplotlib's `_Edge_integer`: floor/ceil of x/step that forgive rounding noise.
    static func edgeFloor(_ x: Double, step: Double, offset: Double) -> Int {
        let d = x / step
        let tol = offset > 0 ? max(1e-10, pow(10, log10(offset / step) - 12)) : 1e-10
        let nearest = d.rounded()
        return Int(abs(d - nearest) < tol ? nearest : d.rounded(.down))
    }

    static func edgeCeil(_ x: Double, step: Double, offset: Double) -> Int {
        let d = x / step
        let tol = offset > 0 ? max(1e-10, pow(10, log10(offset / step) - 12)) : 1e-10
        let nearest = d.rounded()
        return Int(abs(d - nearest) < tol ? nearest : d.rounded(.up))
    }

    /// ScalarFormatter: the fewest decimals that still show the ticks to 1e-3 of their range.
    static func labels(_ values: [Double], format: TickFormat) -> [String] {
        let decimals: Int
        switch format {
        case let .fixed(d): decimals = d
        case .automatic:
            var range = (values.max() ?? 0) - (values.min() ?? 0)
            if range == 0 { range = values.map(abs).max() ?? 1 }
            if range == 0 { range = 1 }
            let oom = Int(floor(log10(range)))
            var sigfigs = max(0, 3 - oom)
            let threshold = 1e-3 * pow(10, Double(oom))
            while sigfigs >= 0 {
                let scale = pow(10, Double(sigfigs))
                if values.map({ abs($0 - ($0 * scale).rounded() / scale) }).max() ?? 0 < threshold { sigfigs -= 1 } else { break }
            }
            decimals = sigfigs + 1
        }
        return values.map { v in
            let text = String(format: "%.\(decimals)f", v == 0 ? 0 : v)   // no "-0.0"
            return text.replacingOccurrences(of: "-", with: "\u{2212}")
        }
    }

    // MARK: log

    /// LogLocator (major: decades, every `stride`-th; minor: 2…9 × 10^k when every decade is
    /// major and the axis spans at most 10 decades, or MaxNLocator's ticks when at most one of
    /// those is in view) and LogFormatterSciNotation's labels, as in matplotlib 3.10.8.
    static func log(_ vmin: Double, _ vmax: Double, numticks: Int, minor: Bool) -> [Tick] {
        let lmin = matplotlibLog10(vmin), lmax = matplotlibLog10(vmax)
        let numdec = Int(floor(lmax) - ceil(lmin))
        var stride = Int((Double(numdec) / Double(numticks)).rounded(.down)) + 1   // Python's //
        if stride >= numdec { stride = max(1, numdec - 1) }
        let decades = Array(Swift.stride(from: Int(floor(lmin)) - stride, to: Int(ceil(lmax)) + 2 * stride, by: stride))
        let visible = { (v: Double) in inView(v, (vmin, vmax), log: true) }
        // Which coefficients are labelled (LogFormatter.set_locs, minor thresholds 1 and 0.4).
        let span = abs(lmax - lmin)
        let labelled: Set<Int> = span > 1 ? [1] : span > 0.4 ? [1, 2, 3, 4, 6, 10] : Set(1...10)
        let majors = decades.map { pow(10, Double($0)) }.filter(visible)
        var ticks = majors.map { Tick(value: $0, label: sciNotation($0, labelled: labelled), major: true) }
        guard minor, numdec <= 10, stride == 1 else { return ticks }
        var minors = decades.flatMap { k in (2...9).map { Double($0) * pow(10, Double(k)) } }
        if minors.filter({ vmin <= $0 && $0 <= vmax }).count <= 1 { minors = maxN(vmin, vmax, bins: 9) }
        // Minor ticks that fall on a major tick are dropped (Axis.remove_overlapping_locs).
        let majorLogs = majors.map(log10)
        for v in minors where visible(v) && !majorLogs.contains(where: { abs($0 - log10(v)) < 1e-5 * max(1, abs(lmax - lmin)) }) {
            ticks.append(Tick(value: v, label: sciNotation(v, labelled: labelled), major: false))
        }
        return ticks.sorted { $0.value < $1.value }
    }

    /// LogFormatterSciNotation: `$10^{k}$` on decades, `$c\times10^{k}$` elsewhere, nil when the
    /// rounded coefficient is not among the labelled ones.
    static func sciNotation(_ x: Double, labelled: Set<Int>) -> String? {
        let fx = matplotlibLog10(x)
        let isDecade = isClose(fx, fx.rounded())
        let exponent = isDecade ? fx.rounded() : floor(fx)
        guard labelled.contains(Int(pow(10, fx - exponent).rounded())) else { return nil }
        if isDecade { return "$10^{\(Int(exponent))}$" }
        var coefficient = pow(10, fx - exponent)
        if isClose(coefficient, coefficient.rounded()) { coefficient = coefficient.rounded() }
        return "$" + String(format: "%g", coefficient) + "\\times10^{\(Int(exponent))}$"
    }

    /// log₁₀ x as matplotlib computes it, ln x / ln 10: for 1e3 that is 2.9999999999999996, not 3,
    /// and which decades an axis spans depends on it.
    static func matplotlibLog10(_ x: Double) -> Double { Foundation.log(x) / Foundation.log(10.0) }

    /// Python's math.isclose with its default relative tolerance.
    static func isClose(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(a), abs(b)) }
}
