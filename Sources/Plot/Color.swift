// Colours and the palettes of the paper's figures (docs/spec.md §2.2, seaborn 0.13.2 semantics).
//
// hls(n): hues (0.01 + i/n) mod 1, lightness 0.6, saturation 0.65 (colorsys.hls_to_rgb).
// husl(n): hues (0.01 + i/n) mod 1 · 359, saturation 0.9·99, lightness 0.65·99, HSLuv → sRGB, clipped.
// deep, Set2: seaborn's fixed lists. desaturated(0.75): what sns.barplot does to its colours.

import Foundation

public struct Color: Equatable, Sendable {
    public var red: Double, green: Double, blue: Double, alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    /// "#rrggbb".
    public init(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        let v = UInt32(digits, radix: 16) ?? 0
        self.init(red: Double((v >> 16) & 0xff) / 255, green: Double((v >> 8) & 0xff) / 255, blue: Double(v & 0xff) / 255)
    }

    /// matplotlib's `to_hex`: each channel rounded to the nearest of 256 levels.
    public var hex: String {
        "#" + [red, green, blue].map { channel in
            let s = String(Int((min(max(channel, 0), 1) * 255).rounded()), radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    public func withAlpha(_ alpha: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: alpha) }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    /// seaborn's ".15" text and axes grey.
    public static let seabornDark = Color(red: 0.15, green: 0.15, blue: 0.15)
}

public enum Palette {
    public static let deep = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3",
                              "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd"].map(Color.init(hex:))
    public static let set2 = ["#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3"]
        .map(Color.init(hex:))

    static func hues(_ n: Int) -> [Double] {
        (0..<n).map { (Double($0) / Double(n) + 0.01).truncatingRemainder(dividingBy: 1) }
    }

    public static func hls(_ n: Int) -> [Color] {
        hues(n).map { hlsToRGB(hue: $0, lightness: 0.6, saturation: 0.65) }
    }

    public static func husl(_ n: Int) -> [Color] {
        hues(n).map { HSLuv.rgb(hue: $0 * 359, saturation: 0.9 * 99, lightness: 0.65 * 99) }
    }

    /// seaborn's `desaturate`: saturation scaled in HLS space.
    public static func desaturated(_ c: Color, _ proportion: Double) -> Color {
        let (h, l, s) = rgbToHLS(c)
        return hlsToRGB(hue: h, lightness: l, saturation: s * proportion)
    }

    /// Python's `colorsys.hls_to_rgb`.
    public static func hlsToRGB(hue h: Double, lightness l: Double, saturation s: Double) -> Color {
        guard s != 0 else { return Color(red: l, green: l, blue: l) }
        let m2 = l <= 0.5 ? l * (1 + s) : l + s - l * s
        let m1 = 2 * l - m2
        func v(_ hue: Double) -> Double {
            let h = hue.truncatingRemainder(dividingBy: 1) + (hue < 0 ? 1 : 0)
            if h < 1.0 / 6 { return m1 + (m2 - m1) * h * 6 }
            if h < 0.5 { return m2 }
            if h < 2.0 / 3 { return m1 + (m2 - m1) * (2.0 / 3 - h) * 6 }
            return m1
        }
        return Color(red: v(h + 1.0 / 3), green: v(h), blue: v(h - 1.0 / 3))
    }

    /// Python's `colorsys.rgb_to_hls`.
    public static func rgbToHLS(_ c: Color) -> (Double, Double, Double) {
        let maxc = max(c.red, c.green, c.blue), minc = min(c.red, c.green, c.blue)
        let l = (minc + maxc) / 2
        guard minc != maxc else { return (0, l, 0) }
        let s = l <= 0.5 ? (maxc - minc) / (maxc + minc) : (maxc - minc) / (2 - maxc - minc)
        let rc = (maxc - c.red) / (maxc - minc), gc = (maxc - c.green) / (maxc - minc), bc = (maxc - c.blue) / (maxc - minc)
        var h = c.red == maxc ? bc - gc : c.green == maxc ? 2 + rc - bc : 4 + gc - rc
        h = (h / 6).truncatingRemainder(dividingBy: 1)
        if h < 0 { h += 1 }
        return (h, l, s)
    }
}

/// HSLuv (formerly HUSL, Boronine 2012), as seaborn's bundled `husl` module computes it.
enum HSLuv {
    static let m: [[Double]] = [[3.2406, -1.5372, -0.4986], [-0.9689, 1.8758, 0.0415], [0.0557, -0.2040, 1.0570]]
    static let refU = 0.19784, refV = 0.46834, epsilon = 0.008856, kappa = 903.3

    static func rgb(hue h: Double, saturation s: Double, lightness l: Double) -> Color {
        // HSLuv → LCh
        let chroma: Double
        if l > 99.9999999 || l < 0.00000001 { chroma = 0 } else { chroma = maxChroma(l, h) / 100 * s }
        // LCh → Luv → XYZ
        let hrad = h * .pi / 180
        let u = cos(hrad) * chroma, v = sin(hrad) * chroma
        guard l != 0 else { return Color(red: 0, green: 0, blue: 0) }
        let t = (l + 16) / 116
        let y = t * t * t > epsilon ? t * t * t : (116 * t - 16) / kappa
        let varU = u / (13 * l) + refU, varV = v / (13 * l) + refV
        let x = 0 - (9 * y * varU) / ((varU - 4) * varV - varU * varV)
        let z = (9 * y - 15 * varV * y - varV * x) / (3 * varV)
        // XYZ → sRGB, clipped to [0, 1] as seaborn does.
        let linear = m.map { $0[0] * x + $0[1] * y + $0[2] * z }
        let srgb = linear.map { c in min(max(c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055, 0), 1) }
        return Color(red: srgb[0], green: srgb[1], blue: srgb[2])
    }

    static func maxChroma(_ l: Double, _ h: Double) -> Double {
        let hrad = h * .pi / 180, sinH = sin(hrad), cosH = cos(hrad)
        let sub1 = pow(l + 16, 3) / 1_560_896
        let sub2 = sub1 > epsilon ? sub1 : l / kappa
        var result = Double.infinity
        for row in m {
            let top = (0.99915 * row[0] + 1.05122 * row[1] + 1.14460 * row[2]) * sub2
            let rbottom = 0.86330 * row[2] - 0.17266 * row[1]
            let lbottom = 0.12949 * row[2] - 0.38848 * row[0]
            let bottom = (rbottom * sinH + lbottom * cosH) * sub2
            for t in [0.0, 1.0] {
                let c = l * (top - 1.05122 * t) / (bottom + 0.17266 * sinH * t)
                if c > 0 && c < result { result = c }
            }
        }
        return result
    }
}
