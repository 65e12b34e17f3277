// Tick placement and labels, following matplotlib's defaults so that the figures read the same.
//
// Linear axes: MaxNLocator(nbins = clip(tick space, 1, 9), steps [1, 2, 2.5, 5, 10]) and
// ScalarFormatter's choice of decimals. Log axes: major ticks on decades (every `stride`-th
// when there are many), minor ticks at 2..9 × 10^k, labels 10^k; an axis spanning less than a
// decade also labels some minor ticks as m×10^k; minor ticks only when no decade is skipped (LogFormatter's minor thresholds 1 and 0.4).
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
            let values = linear(limits.0, limits.1, bins: min(max(space, 1), 9))
            return zip(values, labels(values, format: format)).map { Tick(value: $0, label: $1, major: true) }
        case .log:
            return log(limits.0, limits.1, numticks: min(max(space, 2), 9), minor: minor)
        }
    }

    // MARK: linear

    static func linear(_ vmin: Double, _ vmax: Double, bins: Int) -> [Double] {
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
        let tolerance = 1e-10 * dv
        return ticks.map { $0 + offset }.filter { $0 >= vmin - tolerance && $0 <= vmax + tolerance }
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

    static func log(_ vmin: Double, _ vmax: Double, numticks: Int, minor: Bool) -> [Tick] {
        let lmin = log10(vmin), lmax = log10(vmax)
        let numdec = Int(floor(lmax) - ceil(lmin))
        var stride = numdec / numticks + 1
        if stride >= numdec { stride = max(1, numdec - 1) }
        let first = Int(floor(lmin)) - stride, last = Int(ceil(lmax)) + stride
        var ticks: [Tick] = []
        let inView = { (v: Double) in v >= vmin * (1 - 1e-12) && v <= vmax * (1 + 1e-12) }
        // Labels of minor ticks: none above one decade, {1,2,3,4,6} between 0.4 and 1, all below.
        let span = lmax - lmin
        let labelled: Set<Int> = span > 1 ? [] : span > 0.4 ? [2, 3, 4, 6] : Set(2...9)
        for k in first...last {
            let decade = pow(10, Double(k))
            if (k - first) % stride == 0 && inView(decade) {
                ticks.append(Tick(value: decade, label: "$10^{\(k)}$", major: true))
            }
            // matplotlib's minor LogLocator places 2..9 × 10^k only when every decade is major.
            guard minor, stride == 1, numdec <= 10 else { continue }
            for m in 2...9 where inView(Double(m) * decade) {
                let label = labelled.contains(m) ? "$\(m)\\times10^{\(k)}$" : nil
                ticks.append(Tick(value: Double(m) * decade, label: label, major: false))
            }
        }
        return ticks.sorted { $0.value < $1.value }
    }
}
