// The figure model: Figure → grid of Axes → artists. Experiments describe their figures with these
// values; `Renderer` lays them out and draws them. Sizes are in points unless they say inches;
// text is TeX-like (see `TeX`); line widths are matplotlib's `lw`.

public struct Line: Sendable {
    public var x: [Double]
    public var y: [Double]
    public var color: Color
    public var width: Double
    public var alpha: Double
    public var label: String?

    public init(x: [Double], y: [Double], color: Color, width: Double = 1, alpha: Double = 1, label: String? = nil) {
        self.x = x; self.y = y; self.color = color; self.width = width; self.alpha = alpha; self.label = label
    }
}

/// Bars (one rectangle per x), as `plt.bar`/`sns.barplot` draw them. `hatch` is a matplotlib
/// hatch string ("xxxx", "....", "**"), drawn in the edge colour with `hatchWidth`.
public struct Bars: Sendable {
    public var x: [Double]
    public var heights: [Double]
    public var width: Double
    public var color: Color
    public var edgeColor = Color.black
    public var edgeWidth = 0.5
    public var hatch: String?
    public var hatchWidth = 0.1
    public var alpha = 1.0
    public var label: String?

    public init(x: [Double], heights: [Double], width: Double, color: Color, label: String? = nil) {
        self.x = x; self.heights = heights; self.width = width; self.color = color; self.label = label
    }

    /// seaborn 0.13's histplot edge widths for histograms drawn one after another on an axes
    /// `axesWidth` points wide: each call's bars get 0.1 × its narrowest bin in points, at most
    /// 1 pt, measured when the call is made, i.e. over the x range of this and the earlier
    /// histograms plus matplotlib's 5 % margins.
    public static func seabornEdgeWidths(_ histograms: [Bars], axesWidth: Double) -> [Double] {
        var low = Double.infinity, high = -Double.infinity
        return histograms.map { h in
            low = min(low, (h.x.min() ?? 0) - h.width / 2)
            high = max(high, (h.x.max() ?? 0) + h.width / 2)
            let span = (high - low) * 1.1
            return span > 0 ? min(1, 0.1 * h.width / span * axesWidth) : 1
        }
    }

    /// `sns.histplot(values, bins: n, stat="count")`: n equal bins over the values' own range.
    /// The edge width depends on the axes the histograms share: set it with `seabornEdgeWidths`.
    public static func histogram(_ values: [Double], bins n: Int, color: Color, alpha: Double = 0.8, label: String? = nil) -> Bars {
        let lo = values.min() ?? 0, hi = values.max() ?? 1
        let width = hi > lo ? (hi - lo) / Double(n) : 1
        var counts = [Double](repeating: 0, count: n)
        for v in values { counts[min(Int((v - lo) / width), n - 1)] += 1 }   // the last bin is closed
        var bars = Bars(x: (0..<n).map { lo + (Double($0) + 0.5) * width }, heights: counts, width: width, color: color, label: label)
        bars.alpha = alpha
        return bars
    }
}

/// Point markers; `cross` is matplotlib's "x".
public struct Markers: Sendable {
    public var x: [Double]
    public var y: [Double]
    public var size: Double
    public var edgeWidth: Double
    public var color: Color
    public var label: String?

    public init(x: [Double], y: [Double], size: Double = 6, edgeWidth: Double = 1, color: Color, label: String? = nil) {
        self.x = x; self.y = y; self.size = size; self.edgeWidth = edgeWidth; self.color = color; self.label = label
    }
}

/// matplotlib's `LinearSegmentedColormap.from_list(colors, N)`: N levels, values outside [0, 1] clip.
public struct Colormap: Sendable {
    public var stops: [Color]
    public var levels = 256

    public init(_ stops: [Color], levels: Int = 256) { self.stops = stops; self.levels = levels }

    /// The F10 attention colormap: −1 pink, 0 light beige, +1 green.
    public static let attention = Colormap(["#de337d", "#ede8e1", "#0bb806"].map(Color.init(hex:)))

    public func color(_ t: Double) -> Color {
        let level = t.isNaN ? 0 : min(max(Int(t * Double(levels)), 0), levels - 1)
        let u = Double(level) / Double(levels - 1) * Double(stops.count - 1)
        let i = min(Int(u), stops.count - 2), f = u - Double(i)
        let a = stops[i], b = stops[i + 1]
        return Color(red: a.red + f * (b.red - a.red), green: a.green + f * (b.green - a.green), blue: a.blue + f * (b.blue - a.blue))
    }
}

/// An image of a matrix (row 0 at the top) filling the axes box, `imshow(aspect="auto")`.
public struct Heatmap: Sendable {
    public var values: [[Double]]
    public var colormap: Colormap
    public var vmin: Double, vmax: Double
    /// Lines at every cell boundary (F10: white, 0.3 pt, alpha 0.5); nil for none.
    public var grid: Color? = Color.white.withAlpha(0.5)
    public var gridWidth = 0.3
    /// A frame around the image (F10: black, 0.3 pt); 0 for none.
    public var frameWidth = 0.3

    public init(values: [[Double]], colormap: Colormap, vmin: Double, vmax: Double) {
        self.values = values; self.colormap = colormap; self.vmin = vmin; self.vmax = vmax
    }
}

/// A vertical colorbar beside the axes (`fig.colorbar`: 15 % of the axes width, pad 5 %, aspect 20).
public struct Colorbar: Sendable {
    public var colormap: Colormap
    public var vmin: Double, vmax: Double
    public var label: String?

    public init(colormap: Colormap, vmin: Double, vmax: Double, label: String? = nil) {
        self.colormap = colormap; self.vmin = vmin; self.vmax = vmax; self.label = label
    }
}

public enum LegendLocation: String, CaseIterable, Sendable {
    case best, upperRight, upperLeft, lowerLeft, lowerRight, right, centerLeft, centerRight, lowerCenter, upperCenter, center
}

/// A frameless legend (all the paper's legends are `frameon=False`); lengths in legend font sizes.
public struct Legend: Sendable {
    public var location: LegendLocation
    public var columns: Int
    public var handleLength: Double
    public var borderAxesPad: Double
    /// Leave the legend out when its box overlaps a bar (the induction figures' rule).
    public var dropIfOverlappingBars = false

    public init(location: LegendLocation = .best, columns: Int = 1, handleLength: Double = 2.0, borderAxesPad: Double = 0.5,
                dropIfOverlappingBars: Bool = false) {
        self.location = location; self.columns = columns; self.handleLength = handleLength; self.borderAxesPad = borderAxesPad
        self.dropIfOverlappingBars = dropIfOverlappingBars
    }
}

public struct Axes: Sendable {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScale: AxisScale = .linear
    public var yScale: AxisScale = .linear
    public var yTickFormat: TickFormat = .automatic
    /// Minor ticks on log axes (F1 removes them with NullLocator).
    public var minorTicks = true
    public var lines: [Line] = []
    public var bars: [Bars] = []
    public var markers: [Markers] = []
    /// Text at data coordinates, centred horizontally, its bottom at y (`ax.text(..., ha="center", va="bottom")`).
    public var annotations: [(x: Double, y: Double, text: String, size: Double)] = []
    public var heatmap: Heatmap?
    public var colorbar: Colorbar?
    public var legend: Legend?
    /// Fixed limits instead of data limits with 5 % margins.
    public var xLimits: (Double, Double)?
    public var yLimits: (Double, Double)?
    /// Fixed ticks with their labels (categorical axes, percent scales).
    public var xTicks: [(Double, String)]?
    public var yTicks: [(Double, String)]?
    /// Rotation of the x tick labels in degrees (counter-clockwise), centred under their ticks.
    public var xTickRotation = 0.0
    /// `axis("off")`: no spines, ticks or labels.
    public var axisOff = false

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                xScale: AxisScale = .linear, yScale: AxisScale = .linear) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.xScale = xScale; self.yScale = yScale
    }
}

/// rcParams that differ between the paper's figures.
public struct Style: Sendable {
    public var fontFamily = "TeX Gyre Termes"
    /// rcParams["font.size"]: the unit of tight_layout's pads.
    public var fontSize = 9.0
    public var labelSize = 10.0, titleSize = 10.0, tickLabelSize = 8.0, legendSize = 8.0
    public var showTicks = true
    public var tickLength = 3.5, tickWidth = 0.8, minorTickLength = 2.0, minorTickWidth = 0.6
    public var tickPad = 3.5, minorTickPad = 3.4, labelPad = 4.0, titlePad = 6.0
    public var axesLineWidth = 0.8
    public var foreground = Color.black
    public var roundCaps = false

    public init() {}

    /// How far a tick label sits from its axis: the tick's length plus its pad (matplotlib adds
    /// them even where seaborn hides the tick marks).
    func labelGap(major: Bool) -> Double { major ? tickLength + tickPad : minorTickLength + minorTickPad }

    /// matplotlib defaults plus the paper's "ICML style" rcParams (docs/spec.md §2.1).
    public static let icml = Style()

    /// After `sns.set_theme(style="white", context="paper")`: no tick marks (their 0.8-scaled
    /// lengths still set the labels' distance), dark grey, 1.0 pt axes.
    public static var seabornPaper: Style {
        var s = Style()
        s.showTicks = false
        s.tickLength = 4.8
        s.minorTickLength = 3.2
        s.foreground = .seabornDark
        s.axesLineWidth = 1.0
        s.roundCaps = true
        return s
    }
}

public struct Figure: Sendable {
    public var widthInches: Double
    public var heightInches: Double
    public var rows: Int
    public var columns: Int
    /// Row-major, rows × columns.
    public var axes: [Axes]
    public var style: Style
    /// `tight_layout(pad, w_pad, h_pad)`, in units of the style's font size.
    public var pad: Double
    public var wPad: Double?
    public var hPad: Double?
    /// A title above the whole grid (`suptitle`), in the title font size, its top at
    /// `suptitleY` (a fraction of the figure height from the bottom, matplotlib's default 0.98).
    public var suptitle: String?
    public var suptitleY = 0.98

    public init(widthInches: Double, heightInches: Double, rows: Int, columns: Int, style: Style = .icml,
                pad: Double = 1.08, wPad: Double? = nil, hPad: Double? = nil) {
        self.widthInches = widthInches; self.heightInches = heightInches
        self.rows = rows; self.columns = columns; self.style = style
        self.pad = pad; self.wPad = wPad; self.hPad = hPad
        axes = Array(repeating: Axes(), count: rows * columns)
    }

    public subscript(row: Int, column: Int) -> Axes {
        get { axes[row * columns + column] }
        set { axes[row * columns + column] = newValue }
    }

    public var widthPoints: Double { widthInches * 72 }
    public var heightPoints: Double { heightInches * 72 }
}
