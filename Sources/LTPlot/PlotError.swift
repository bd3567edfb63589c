/// An error a caller can cause when building, rendering or saving a figure or table.
///
/// One small public struct, as in swift-argument-parser's `ValidationError`: the message is
/// the whole contract. Messages name the offending lengths, series and indices so the
/// language layer can show them unchanged.
public struct PlotError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The human-readable explanation, e.g. "x has 5 values but y has 4".
    public let message: String

    /// Creates an error with the given message.
    public init(_ message: String) { self.message = message }

    /// The message itself, so `"\(error)"` reads well.
    public var description: String { message }
}
