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

public enum LegendLocation: String, CaseIterable, Sendable {
    case best, upperRight, upperLeft, lowerLeft, lowerRight, right, centerLeft, centerRight, lowerCenter, upperCenter, center
}

/// A frameless legend (all the paper's legends are `frameon=False`); lengths in legend font sizes.
public struct Legend: Sendable {
    public var location: LegendLocation
    public var columns: Int
    public var handleLength: Double
    public var borderAxesPad: Double

    public init(location: LegendLocation = .best, columns: Int = 1, handleLength: Double = 2.0, borderAxesPad: Double = 0.5) {
        self.location = location; self.columns = columns; self.handleLength = handleLength; self.borderAxesPad = borderAxesPad
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
    public var legend: Legend?

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                xScale: AxisScale = .linear, yScale: AxisScale = .linear) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.xScale = xScale; self.yScale = yScale
    }
}

/// rcParams that differ between the paper's figures.
public struct Style: Sendable {
    public var fontFamily = "TeX Gyre Termes"
    public var labelSize = 10.0, titleSize = 10.0, tickLabelSize = 8.0, legendSize = 8.0
    public var showTicks = true
    public var tickLength = 3.5, tickWidth = 0.8, minorTickLength = 2.0, minorTickWidth = 0.6
    public var tickPad = 3.5, labelPad = 4.0, titlePad = 6.0
    public var axesLineWidth = 0.8
    public var foreground = Color.black
    public var roundCaps = false

    public init() {}

    /// matplotlib defaults plus the paper's "ICML style" rcParams (PAPER.md §2.1).
    public static let icml = Style()

    /// After `sns.set_theme(style="white", context="paper")`: no tick marks, dark grey, 1.0 pt axes.
    public static var seabornPaper: Style {
        var s = Style()
        s.showTicks = false
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
    /// `tight_layout(pad, w_pad, h_pad)`, in units of the font size (9 pt).
    public var pad: Double
    public var wPad: Double?
    public var hPad: Double?

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
