/// How to draw a figure as text.
///
/// The caller decides `ascii` (from `LTNB_ASCII=1` or a terminal without Unicode) and
/// `color` (a TTY that wants ANSI escapes); LTPlot reads no environment itself, so output
/// depends only on the figure and these options.
public struct TextOptions: Sendable, Equatable {
    /// Total width in columns; overrides `FigureOptions.width` (default 80, minimum 20).
    public var width: Int?
    /// Total height in rows for line, scatter and histogram; overrides `FigureOptions.height`
    /// (default width / 3 but at least 14; minimum 8). Bar charts and heatmaps take the rows their data need.
    public var height: Int?
    /// Use only ASCII characters (`*`, `#`, `|`, `-`, `+` and the ramp " .:-=+*#%@").
    public var ascii: Bool
    /// Colour series and heatmap cells with ANSI 256-colour escapes.
    public var color: Bool

    /// Creates text options; the defaults give Unicode without colour.
    public init(width: Int? = nil, height: Int? = nil, ascii: Bool = false, color: Bool = false) {
        self.width = width
        self.height = height
        self.ascii = ascii
        self.color = color
    }
}

extension Figure {
    /// The figure drawn with Unicode braille and block characters (or ASCII), ending in a
    /// newline. Deterministic: the same figure and options give the same string.
    public func text(_ options: TextOptions = TextOptions()) -> String {
        TextRenderer(figure: self, options: options).render()
    }
}
