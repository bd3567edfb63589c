/// An error a user can cause with a tensor operation or a data file.
///
/// One small public type with a message phrased for the user (lowercase, no
/// final period, naming shapes, indices, files and offsets), so the language
/// layer can show it as is.
public struct TensorError: Error, Sendable, CustomStringConvertible, Equatable {
  /// The message shown to the user.
  public let message: String

  /// Creates an error with a message.
  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

/// Formats a shape the way NumPy prints it: `(3, 4)`, `(5,)`, `()`.
public func formatShape(_ shape: [Int]) -> String {
  if shape.count == 1 { return "(\(shape[0]),)" }
  return "(" + shape.map(String.init).joined(separator: ", ") + ")"
}
