// Class groups: by training count (D-groups) and by prior rank (P-groups).

/// A class group name, as reported by `dgroups` and `pgroups`.
public enum ClassGroup: String, Sendable, CaseIterable {
  case many, medium, few
}

/// Groups classes by training count, the OLTR convention (Liu et al., "Large-Scale
/// Long-Tailed Recognition in an Open World", CVPR 2019): many if `count > many`
/// (default 100), few if `count < few` (default 20), medium otherwise (20...100 inclusive).
public func dgroups(_ counts: [Int], many: Int = 100, few: Int = 20) throws -> [ClassGroup] {
  if few > many { throw LearnError("dgroups: few (\(few)) must not exceed many (\(many))") }
  return counts.map { $0 > many ? .many : ($0 < few ? .few : .medium) }
}

/// Groups classes by their rank in `prior` (descending; ties by class index): the first
/// `round(many * K)` classes are many (P-Many), up to `round(medium * K)` medium, the rest
/// few. Defaults 0.3 / 0.6 give top 30 % / 30–60 % / rest.
public func pgroups(_ prior: [Double], many: Double = 0.3, medium: Double = 0.6) throws
  -> [ClassGroup]
{
  if !(0...1).contains(many) || !(0...1).contains(medium) || many > medium {
    throw LearnError("pgroups: need 0 <= many <= medium <= 1, got many \(many), medium \(medium)")
  }
  for (j, p) in prior.enumerated() where p.isNaN { throw LearnError("prior[\(j)] is NaN") }
  let k = prior.count
  let order = (0..<k).sorted { prior[$0] > prior[$1] || (prior[$0] == prior[$1] && $0 < $1) }
  let nMany = Int((many * Double(k)).rounded())
  let nMedium = Int((medium * Double(k)).rounded())
  var out = [ClassGroup](repeating: .few, count: k)
  for (rank, c) in order.enumerated() {
    out[c] = rank < nMany ? .many : (rank < nMedium ? .medium : .few)
  }
  return out
}
