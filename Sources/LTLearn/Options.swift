// Parsing option names (as the language spells them) into LTLearn's enums, with one
// error message for every unknown name.

extension CaseIterable where Self: RawRepresentable, Self.RawValue == String {
  /// The case spelled `name` (case-insensitive); throws naming the option and listing
  /// the accepted names, e.g. `unknown head "mlp"; expected one of linear, cosine, adapter`.
  public static func named(_ name: String, option: String) throws -> Self {
    if let v = allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) { return v }
    let names = allCases.map(\.rawValue).joined(separator: ", ")
    throw LearnError("unknown \(option) \"\(name)\"; expected one of \(names)")
  }
}
