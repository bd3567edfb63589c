import Testing

@testable import LTLearn

@Suite struct DatasetTests {
  func balanced(_ k: Int, _ n: Int) throws -> Dataset {
    let y = (0..<(k * n)).map { Int32($0 % k) }
    var x = Matrix(rows: y.count, cols: 2)
    for i in 0..<y.count {
      x[i, 0] = Float(i)
      x[i, 1] = Float(y[i])
    }
    return try Dataset(features: x, labels: y)
  }

  @Test func cifar100LTCountsMatchTheReference() throws {
    // lt-methods §4.1: CIFAR-100-LT, n_max 500: IF 100 -> 10847, IF 50 -> 12608, IF 10 -> 19573.
    for (imb, total) in [(100.0, 10847), (50.0, 12608), (10.0, 19573), (200.0, 9502)] {
      let c = try longTailCounts(classes: 100, maxPerClass: 500, imbalance: imb, profile: .exp)
      #expect(c.reduce(0, +) == total)
      #expect(c.first == 500)
    }
    let g = try dgroups(
      try longTailCounts(classes: 100, maxPerClass: 500, imbalance: 100, profile: .exp))
    #expect(g.filter { $0 == .many }.count == 35)
    #expect(g.filter { $0 == .medium }.count == 35)
    #expect(g.filter { $0 == .few }.count == 30)
  }

  @Test func otherProfiles() throws {
    let p = try longTailCounts(classes: 10, maxPerClass: 100, imbalance: 10, profile: .pareto)
    #expect(p.first == 100 && p.last == 10)
    #expect(zip(p, p.dropFirst()).allSatisfy { $0 >= $1 })
    let s = try longTailCounts(classes: 10, maxPerClass: 100, imbalance: 10, profile: .step)
    #expect(s == [100, 100, 100, 100, 100, 10, 10, 10, 10, 10])
  }

  @Test func longtailSubsamplesByOrder() throws {
    let ds = try balanced(10, 100)
    let prior = (0..<10).map { Double($0 + 1) / 55 }
    let cons = try ds.longtail(imbalance: 10, order: .consistent(prior), maxPerClass: 100, seed: 1)
    #expect(cons.classCounts.last == 100 && cons.classCounts.first == 10)
    let rev = try ds.longtail(imbalance: 10, order: .reverse(prior), maxPerClass: 100, seed: 1)
    #expect(rev.classCounts.first == 100 && rev.classCounts.last == 10)
    let bal = try ds.longtail(imbalance: 10, order: .balanced, maxPerClass: 100, seed: 1)
    #expect(Set(bal.classCounts).count == 1)
    #expect(abs(bal.size - cons.size) < 10)
    let r1 = try ds.longtail(imbalance: 10, maxPerClass: 100, seed: 7)
    let r2 = try ds.longtail(imbalance: 10, maxPerClass: 100, seed: 7)
    #expect(r1 == r2)
    #expect(try imbalanceFactor(r1.classCounts) == 10)
    // Kept rows are real rows of the right class.
    for i in 0..<r1.size { #expect(Int32(r1.features[i, 1]) == r1.labels[i]) }
  }

  @Test func stratifiedSplitKeepsProportions() throws {
    let ds = try balanced(5, 40)
    let parts = try ds.split([0.5, 0.25, 0.25], seed: 3)
    #expect(parts.map(\.size) == [100, 50, 50])
    for p in parts { #expect(Set(p.classCounts).count == 1) }
    let ids = parts.flatMap { p in (0..<p.size).map { Int(p.features[$0, 0]) } }
    #expect(Set(ids).count == 200)
    let loose = try ds.split([0.3, 0.7], stratify: false, seed: 3)
    #expect(loose.map(\.size) == [60, 140])
    expectLearnError("sum to") { _ = try ds.split([0.7, 0.7], seed: 1) }
    expectLearnError("in (0, 1]") { _ = try ds.split([0], seed: 1) }
  }

  @Test func groupsByCountAndPrior() throws {
    #expect(try dgroups([101, 100, 20, 19]) == [.many, .medium, .medium, .few])
    #expect(try dgroups([50, 5], many: 40, few: 10) == [.many, .few])
    let prior = (0..<10).map { Double(10 - $0) / 55 }
    let g = try pgroups(prior)
    #expect(g == [.many, .many, .many, .medium, .medium, .medium, .few, .few, .few, .few])
    let g2 = try pgroups(prior, many: 0.5, medium: 0.8)
    #expect(g2.filter { $0 == .many }.count == 5 && g2.filter { $0 == .few }.count == 2)
    expectLearnError("many <= medium") { _ = try pgroups(prior, many: 0.7, medium: 0.6) }
  }

  @Test func datasetChecksItsInput() throws {
    expectLearnError("out of range") {
      _ = try Dataset(features: Matrix(rows: 2, cols: 1), labels: [0, 3], classNames: ["a", "b"])
    }
    expectLearnError("2 samples") {
      _ = try Dataset(features: Matrix(rows: 2, cols: 1), labels: [0])
    }
    var x = Matrix(rows: 1, cols: 1)
    x[0, 0] = .infinity
    expectLearnError("features contains inf") { _ = try Dataset(features: x, labels: [0]) }
    let ds = try balanced(2, 2)
    #expect(try ds.selecting([3, 0]).labels == [1, 0])
    expectLearnError("sample index 4") { _ = try ds.selecting([4]) }
    expectLearnError("imbalance factor") {
      _ = try longTailCounts(classes: 3, maxPerClass: 5, imbalance: 0.5, profile: .exp)
    }
  }
}
