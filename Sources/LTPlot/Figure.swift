/// One figure: the data to draw (its marks) plus the options that say how to frame it.
///
/// A figure is a plain value, built and validated once by the `Figure.line`, `.scatter`,
/// `.bar`, `.histogram` and `.heatmap` builders; the text and SVG renderers only read it,
/// and share its scales, so the terminal and the paper show the same ticks.
public struct Figure: Sendable, Equatable {
    /// What kind of chart this is; decides which renderer path draws it.
    public enum Kind: String, Sendable, Equatable {
        case line, scatter, bar, histogram, heatmap
    }

    /// The data, already validated and with non-finite points removed.
    public let marks: Marks
    /// Title, axis labels, log axes, legend and sizes. Sizes and labels may be changed
    /// freely; turning on `logx`/`logy` after building skips the positivity check, and the
    /// renderers then pin non-positive values to the axis edge.
    public var options: FigureOptions
    /// Remarks the renderers show under the figure, e.g. "skipped 3 non-finite points".
    public internal(set) var notes: [String]
    /// Whether the caller named the series (then a single series still gets a legend).
    var named: Bool = false

    /// The kind of chart, derived from the marks.
    public var kind: Kind {
        switch marks {
        case .line: return .line
        case .scatter: return .scatter
        case .bars: return .bar
        case .histogram: return .histogram
        case .heatmap: return .heatmap
        }
    }

    init(marks: Marks, options: FigureOptions, notes: [String] = [], named: Bool = false) {
        self.named = named
        self.marks = marks
        self.options = options
        self.notes = notes
    }
}

/// The kind-specific content of a figure.
public enum Marks: Sendable, Equatable {
    /// Line series; each is drawn as connected segments broken at skipped points.
    case line([Series])
    /// Scatter series; each point drawn on its own.
    case scatter([Series])
    /// Grouped bars: one group per category, one bar per series in each group.
    case bars(BarData)
    /// A histogram: bin edges and counts.
    case histogram(HistogramData)
    /// A heatmap of a matrix with row and column labels.
    case heatmap(HeatmapData)
}

/// A point in data coordinates.
public struct Point: Sendable, Equatable {
    /// Horizontal data coordinate.
    public let x: Double
    /// Vertical data coordinate.
    public let y: Double
    /// Creates a point.
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// One labelled line or scatter series.
public struct Series: Sendable, Equatable {
    /// The legend label.
    public let label: String
    /// Runs of consecutive finite points; a skipped (non-finite) point ends a run, so a line
    /// is not drawn across a gap in the data.
    public let segments: [[Point]]
    /// All finite points in order.
    public var points: [Point] { segments.flatMap { $0 } }
}

/// Grouped bar data: `values[s][c]` is series `s` in category `c` (nil when skipped).
public struct BarData: Sendable, Equatable {
    /// Category (group) labels, one per group.
    public let categories: [String]
    /// Series labels, one per bar in a group.
    public let labels: [String]
    /// Values per series and category; nil marks a skipped non-finite value.
    public let values: [[Double?]]
}

/// Histogram bins: `counts[i]` values fell in `[edges[i], edges[i+1])` (the last bin is closed).
public struct HistogramData: Sendable, Equatable {
    /// Bin edges, one more than the counts.
    public let edges: [Double]
    /// Number of values per bin.
    public let counts: [Int]
}

/// A heatmap: a matrix with labels, a colour map and display choices.
public struct HeatmapData: Sendable, Equatable {
    /// Row-major values; NaN marks a missing cell, drawn empty.
    public let matrix: [[Double]]
    /// One label per row.
    public let rows: [String]
    /// One label per column.
    public let columns: [String]
    /// Whether each cell shows its value.
    public let annotate: Bool
    /// Decimals for annotations and the colour bar.
    public let digits: Int
    /// How values map to colours.
    public let colorMap: ColorMap
    /// Whether a colour bar is drawn.
    public let colorBar: Bool
    /// The value range the colour map spans (after centring a diverging map).
    public let range: ClosedRange<Double>
}

/// How heatmap values become colours.
public enum ColorMap: String, Sendable, Equatable {
    /// Low to high on a perceptually uniform, colour-blind-safe ramp (viridis-like).
    case sequential
    /// Two hues around a neutral centre (blue, white, red; RdBu-like), centred on 0 when the
    /// data straddle 0, else on the middle of the range.
    case diverging
}

/// Options shared by every kind of figure.
///
/// `width` and `height` are for the terminal (columns and rows); `svgWidth` and
/// `svgHeight` are SVG pixels. They are kept apart so a figure sized for an 80-column REPL
/// is not drawn 80 pixels wide in a report.
public struct FigureOptions: Sendable, Equatable {
    /// Title drawn above the plot.
    public var title: String?
    /// Label under the horizontal axis.
    public var xlabel: String?
    /// Label for the vertical axis.
    public var ylabel: String?
    /// Show the legend: nil means "when there is more than one series or labels were given".
    public var legend: Bool?
    /// Logarithmic horizontal axis (line and scatter only).
    public var logx: Bool
    /// Logarithmic vertical (value) axis (line, scatter, bar, histogram).
    public var logy: Bool
    /// Text width in columns (default 80; at least 20).
    public var width: Int?
    /// Text height in rows (default width / 3).
    public var height: Int?
    /// SVG width in pixels (default 640).
    public var svgWidth: Int?
    /// SVG height in pixels (default 400).
    public var svgHeight: Int?

    /// Creates options; every argument is optional.
    public init(
        title: String? = nil, xlabel: String? = nil, ylabel: String? = nil,
        legend: Bool? = nil, logx: Bool = false, logy: Bool = false,
        width: Int? = nil, height: Int? = nil, svgWidth: Int? = nil, svgHeight: Int? = nil
    ) {
        self.title = title
        self.xlabel = xlabel
        self.ylabel = ylabel
        self.legend = legend
        self.logx = logx
        self.logy = logy
        self.width = width
        self.height = height
        self.svgWidth = svgWidth
        self.svgHeight = svgHeight
    }
}
