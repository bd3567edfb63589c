import Foundation
import PropertyBased
import Testing

@testable import LTTensor

/// Property tests (swift-property-based) of broadcasting and reductions: each property
/// runs on 100 random cases per test run, every one checked against an oracle written
/// with plain index arithmetic, independent of the kernels. A failure prints the case
/// and a seed; `.fixedSeed("…")` on the test reproduces it.
@Suite struct BroadcastPropertyTests {
  /// Shape pairs that broadcast (either order) and shape pairs that may not.
  static let compatible = Generator<ShapePair, Shrink.None<ShapePair>> { rng in
    let s = TensorCase.shape(&rng)
    let other = TensorCase.broadcastPartner(s, &rng)
    return Bool.random(using: &rng) ? ShapePair(a: s, b: other, seed: rng.next()) : ShapePair(a: other, b: s, seed: rng.next())
  }
  static let arbitrary = Generator<ShapePair, Shrink.None<ShapePair>> { rng in
    ShapePair(a: TensorCase.shape(&rng, maxLength: 3), b: TensorCase.shape(&rng, maxLength: 3), seed: 0)
  }

  @Test func broadcastShapeIsCommutative() async {
    await propertyCheck(count: 300, input: Self.arbitrary) { p throws in
      let ab = try? broadcastShape(p.a, p.b), ba = try? broadcastShape(p.b, p.a)
      #expect(ab == ba, "\(p)")
    }
  }

  @Test func broadcastShapeFollowsNumPysRule() async {
    await propertyCheck(count: 300, input: Self.arbitrary) { p throws in
      // Right-aligned; per axis equal lengths, or one of them 1; else an error.
      let n = Swift.max(p.a.count, p.b.count)
      let da = [Int](repeating: 1, count: n - p.a.count) + p.a
      let db = [Int](repeating: 1, count: n - p.b.count) + p.b
      let ok = zip(da, db).allSatisfy { $0 == $1 || $0 == 1 || $1 == 1 }
      let want = zip(da, db).map { $0 == 1 ? $1 : $0 }
      if ok {
        #expect(try broadcastShape(p.a, p.b) == want, "\(p)")
      } else {
        #expect(throws: TensorError.self, "\(p)") { try broadcastShape(p.a, p.b) }
      }
    }
  }

  @Test func binaryOpsEqualExpandThenElementwise() async {
    let ops: [(BinaryOp, (Double, Double) -> Double)] = [
      (.add, +), (.sub, -), (.mul, *), (.div, /), (.maximum, { Swift.max($0, $1) }), (.minimum, { Swift.min($0, $1) }),
    ]
    await propertyCheck(input: Self.compatible, Gen.int(in: 0...(ops.count - 1)), Gen.bool) { p, k, wide throws in
      let dt: DType = wide ? .float64 : .float32
      var g = RandomGenerator(seed: p.seed)
      let a = try Tensor.randn(p.a, using: &g, dtype: dt), b = try Tensor.randn(p.b, using: &g, dtype: dt)
      let out = try broadcastShape(p.a, p.b)
      // The oracle: both operands expanded element by element to `out`, then the op
      // on the flat arrays, rounded to the dtype as the kernel's result is.
      let x = TensorCase.expand(a.toDoubles(), from: p.a, to: out)
      let y = TensorCase.expand(b.toDoubles(), from: p.b, to: out)
      let (op, f) = ops[k]
      let want = zip(x, y).map { wide ? f($0, $1) : Double(Float(f($0, $1))) }
      let got = try a.binary(op, b)
      #expect(got.shape == out && got.dtype == dt, "\(op) \(p)")
      #expect(got.toDoubles() == want, "\(op) \(p)")
      // broadcast(to:) is the same expansion, as a view.
      #expect(try a.broadcast(to: out).toDoubles() == x, "\(p)")
      let lt = try a.compare(.lt, b).toBools()
      #expect(lt == zip(x, y).map { $0 < $1 }, "lt \(p)")
    }
  }

  @Test func stridedAndTransposedViewsEqualTheirCopies() async {
    await propertyCheck(input: TensorCase.views) { v throws in
      var g = RandomGenerator(seed: v.seed)
      let base = try Tensor.randn(v.shape, using: &g)
      let view = try v.apply(to: base)
      let copy = try view.contiguous()
      // Elements: the view reads base[start + i * step] on each permuted axis.
      #expect(view.shape == v.viewShape, "\(v)")
      #expect(view.toDoubles() == v.oracle(base.toDoubles()), "\(v)")
      #expect(copy.count == 0 || copy.isContiguous, "\(v)")
      #expect(copy.toDoubles() == view.toDoubles(), "\(v)")
      // Ops on the view and on the copy agree: elementwise with a broadcast partner,
      // reductions, sorting.
      let other = try Tensor.randn(TensorCase.broadcastPartner(view.shape, &g), using: &g)
      #expect(try (view * other).equal(copy * other), "\(v)")
      #expect(try (other - view).equal(other - copy), "\(v)")
      for axis in 0..<view.ndim {
        #expect(try view.sum(axis: axis).equal(copy.sum(axis: axis)), "sum axis \(axis) \(v)")
        #expect(try view.argsort(axis: axis).equal(copy.argsort(axis: axis)), "argsort axis \(axis) \(v)")
        if view.count > 0 { #expect(try view.max(axis: axis).equal(copy.max(axis: axis)), "max axis \(axis) \(v)") }
      }
      #expect(try view.sum() == copy.sum(), "\(v)")
    }
  }
}

@Suite struct ReducePropertyTests {
  /// A float64 tensor case of 1...4 axes; with `empty`, lengths may be 0.
  static func cases(empty: Bool) -> Generator<TensorCase, Shrink.None<TensorCase>> {
    Generator { rng in
      var shape = TensorCase.shape(&rng, maxRank: 4, maxLength: 4, allowEmpty: empty)
      if shape.isEmpty { shape = [Int.random(in: 1...4, using: &rng)] }
      return TensorCase(shape: shape, seed: rng.next())
    }
  }

  @Test func everyAxisMatchesTheNaiveReduction() async {
    await propertyCheck(input: Self.cases(empty: false)) { c throws in
      var g = RandomGenerator(seed: c.seed)
      let t = try Tensor.randn(c.shape, using: &g, dtype: .float64)
      let flat = t.toDoubles()
      for axis in -c.shape.count..<c.shape.count {
        let a = axis < 0 ? axis + c.shape.count : axis
        let groups = TensorCase.groups(flat, shape: c.shape, axis: a)
        var kept = c.shape
        kept[a] = 1
        var dropped = c.shape
        dropped.remove(at: a)
        let sum = try t.sum(axis: axis), mean = try t.mean(axis: axis)
        let mx = try t.max(axis: axis), mn = try t.min(axis: axis)
        #expect(sum.shape == dropped && mx.shape == dropped, "axis \(axis) \(c)")
        expectClose(sum, try Tensor(groups.map { $0.reduce(0, +) }, shape: dropped, dtype: .float64), rtol: 1e-12, atol: 1e-12)
        expectClose(mean, try Tensor(groups.map { $0.reduce(0, +) / Double($0.count) }, shape: dropped, dtype: .float64),
                    rtol: 1e-12, atol: 1e-12)
        #expect(mx.toDoubles() == groups.map { $0.max() ?? .nan }, "max axis \(axis) \(c)")
        #expect(mn.toDoubles() == groups.map { $0.min() ?? .nan }, "min axis \(axis) \(c)")
        let am = try t.argmax(axis: axis)
        #expect(am.toInt32s() == groups.map { g in Int32(g.firstIndex(of: g.max() ?? 0) ?? -1) }, "argmax axis \(axis) \(c)")
        // keepdims: the same values with a length-1 axis in place.
        for (reduce, plain) in [(try t.sum(axis: axis, keepdims: true), sum), (try t.mean(axis: axis, keepdims: true), mean),
                                (try t.max(axis: axis, keepdims: true), mx), (try t.min(axis: axis, keepdims: true), mn)] {
          #expect(reduce.shape == kept, "keepdims axis \(axis) \(c)")
          #expect(reduce.toDoubles() == plain.toDoubles(), "keepdims axis \(axis) \(c)")
        }
      }
    }
  }

  @Test func reducingAllEqualsReducingEachAxisInTurn() async {
    await propertyCheck(input: Self.cases(empty: false), Gen.bool) { c, fromTheEnd throws in
      var g = RandomGenerator(seed: c.seed)
      let t = try Tensor.randn(c.shape, using: &g, dtype: .float64)
      var s = t, m = t, hi = t, lo = t
      // Axis after axis, from the front or (with negative axes) from the back.
      for _ in c.shape {
        let axis = fromTheEnd ? -1 : 0
        s = try s.sum(axis: axis)
        m = try m.mean(axis: axis)
        hi = try hi.max(axis: axis)
        lo = try lo.min(axis: axis)
      }
      #expect(s.ndim == 0 && hi.ndim == 0, "\(c)")
      #expect(Swift.abs(try s.item() - t.sum()) <= 1e-12 * Swift.max(1, Swift.abs(try t.sum())), "\(c)")
      #expect(Swift.abs(try m.item() - t.mean()) <= 1e-12 * Swift.max(1, Swift.abs(try t.mean())), "\(c)")
      #expect(try hi.item() == t.max() && lo.item() == t.min(), "\(c)")
      let flat = t.toDoubles()
      #expect(try t.argmax() == flat.firstIndex(of: flat.max() ?? 0), "\(c)")
      #expect(try t.argmin() == flat.firstIndex(of: flat.min() ?? 0), "\(c)")
    }
  }

  @Test func emptyAxesSumToZeroAndHaveNoMaximum() async {
    await propertyCheck(input: Self.cases(empty: true)) { c throws in
      let t = try Tensor.zeros(c.shape, dtype: .float64)
      for axis in 0..<c.shape.count {
        var dropped = c.shape
        dropped.remove(at: axis)
        #expect(try t.sum(axis: axis).equal(Tensor.zeros(dropped, dtype: .float64)), "\(c)")
        if c.shape[axis] == 0 {
          #expect(throws: TensorError.self, "\(c)") { try t.max(axis: axis) }
        }
      }
      #expect(try t.sum() == 0, "\(c)")
    }
  }
}

@Suite struct SortPropertyTests {
  /// A tensor of few distinct values (so ties are common) in any dtype.
  static let cases = Generator<SortCase, Shrink.None<SortCase>> { rng in
    var shape = TensorCase.shape(&rng, maxRank: 3, maxLength: 9, allowEmpty: true)
    if shape.isEmpty { shape = [Int.random(in: 0...9, using: &rng)] }
    let axis = Int.random(in: -shape.count..<shape.count, using: &rng)
    return SortCase(shape: shape, dtype: DType.allCases.randomElement(using: &rng) ?? .float32, axis: axis,
                    descending: Bool.random(using: &rng), seed: rng.next())
  }

  @Test func argsortIsAStablePermutation() async {
    await propertyCheck(count: 200, input: Self.cases) { c throws in
      var g = RandomGenerator(seed: c.seed)
      let t = try Tensor.randint(-3, 4, c.shape, using: &g).astype(c.dtype)
      let order = try t.argsort(axis: c.axis, descending: c.descending)
      #expect(order.shape == c.shape && order.dtype == .int32, "\(c)")
      let a = c.axis < 0 ? c.axis + c.shape.count : c.axis
      let values = TensorCase.groups(t.toDoubles(), shape: c.shape, axis: a)
      let indices = TensorCase.groups(order.toDoubles(), shape: c.shape, axis: a)
      for (row, idx) in zip(values, indices) {
        let perm = idx.map { Int($0) }
        #expect(perm.sorted() == Array(0..<row.count), "not a permutation: \(perm) \(c)")
        guard perm.sorted() == Array(0..<row.count) else { continue }
        let sorted = perm.map { row[$0] }
        for i in sorted.indices.dropFirst() {
          #expect(c.descending ? sorted[i - 1] >= sorted[i] : sorted[i - 1] <= sorted[i], "order \(sorted) \(c)")
          if sorted[i - 1] == sorted[i] { #expect(perm[i - 1] < perm[i], "not stable: \(perm) \(c)") }
        }
      }
      #expect(try t.sort(axis: c.axis, descending: c.descending).equal(t.takeAlong(order, axis: c.axis)), "\(c)")
    }
  }
}

/// Two shapes and a seed for the data.
struct ShapePair: Sendable, CustomStringConvertible {
  var a: [Int], b: [Int], seed: UInt64
  var description: String { "shapes \(a) and \(b), seed \(seed)" }
}

/// One argsort case.
struct SortCase: Sendable, CustomStringConvertible {
  var shape: [Int], dtype: DType, axis: Int, descending: Bool, seed: UInt64
  var description: String { "shape \(shape) \(dtype) axis \(axis)\(descending ? " descending" : ""), seed \(seed)" }
}

/// A shape with a data seed, and the helpers the oracles share.
struct TensorCase: Sendable, CustomStringConvertible {
  var shape: [Int], seed: UInt64
  var description: String { "shape \(shape), seed \(seed)" }

  /// 0...maxRank axes of length 1...maxLength (0 in one case in ten when allowed).
  static func shape(_ rng: inout any SeededRandomNumberGenerator, maxRank: Int = 4, maxLength: Int = 5, allowEmpty: Bool = true) -> [Int] {
    (0..<Int.random(in: 0...maxRank, using: &rng)).map { _ in
      allowEmpty && Int.random(in: 0..<10, using: &rng) == 0 ? 0 : Int.random(in: 1...maxLength, using: &rng)
    }
  }

  /// A shape that broadcasts with `s`: a suffix of it, some lengths set to 1, maybe
  /// with extra leading axes.
  static func broadcastPartner<R: RandomNumberGenerator>(_ s: [Int], _ rng: inout R) -> [Int] {
    let k = Int.random(in: 0...s.count, using: &rng)
    let lead = s.count == k && s.count < 4 && Bool.random(using: &rng) ? [Int.random(in: 1...3, using: &rng)] : []
    return lead + s.suffix(k).map { Int.random(in: 0..<3, using: &rng) == 0 ? 1 : $0 }
  }

  /// C-order multi-index of flat position `i` in `shape`.
  static func unravel(_ i: Int, _ shape: [Int]) -> [Int] {
    var r = i
    var idx = [Int](repeating: 0, count: shape.count)
    for a in stride(from: shape.count - 1, through: 0, by: -1) {
      idx[a] = r % shape[a]
      r /= shape[a]
    }
    return idx
  }

  /// `values` of `shape` expanded to `target` element by element: axes aligned from
  /// the right, a length-1 axis read at 0.
  static func expand(_ values: [Double], from shape: [Int], to target: [Int]) -> [Double] {
    let n = target.reduce(1, *)
    let pad = target.count - shape.count
    return (0..<n).map { i in
      let idx = unravel(i, target)
      var f = 0
      for (a, d) in shape.enumerated() { f = f * d + (d == 1 ? 0 : idx[a + pad]) }
      return values[f]
    }
  }

  /// The 1-d sequences along `axis`, in C order of the other axes.
  static func groups(_ values: [Double], shape: [Int], axis: Int) -> [[Double]] {
    var out: [[Double]] = []
    var keys: [[Int]: Int] = [:]
    for i in values.indices {
      var idx = unravel(i, shape)
      idx[axis] = 0
      if let k = keys[idx] { out[k].append(values[i]) } else {
        keys[idx] = out.count
        out.append([values[i]])
      }
    }
    // Sequences are created in C order of their first element, which is C order of
    // the remaining axes; an empty axis has none, one empty group per position.
    if shape[axis] == 0 {
      var rest = shape
      rest[axis] = 1
      return Array(repeating: [], count: rest.reduce(1, *))
    }
    return out
  }

  /// Random views: a transpose, then a slice with a step (maybe negative) per axis.
  static let views = Generator<ViewCase, Shrink.None<ViewCase>> { rng in
    var shape = TensorCase.shape(&rng, maxRank: 4, maxLength: 6, allowEmpty: true)
    if shape.isEmpty { shape = [Int.random(in: 1...6, using: &rng)] }
    let perm = Array(0..<shape.count).shuffled(using: &rng)
    let slices: [ViewCase.Slice] = perm.map { axis in
      let n = shape[axis]
      let step = [1, 2, 3, -1, -2].randomElement(using: &rng) ?? 1
      let start = Bool.random(using: &rng) ? nil : Int.random(in: -n - 1...n + 1, using: &rng)
      let stop = Bool.random(using: &rng) ? nil : Int.random(in: -n - 1...n + 1, using: &rng)
      return ViewCase.Slice(start: start, stop: stop, step: step)
    }
    return ViewCase(shape: shape, perm: perm, slices: slices, seed: rng.next())
  }
}

/// A view of a tensor: permuted axes, then a slice on each.
struct ViewCase: Sendable, CustomStringConvertible {
  struct Slice: Sendable {
    var start: Int?
    var stop: Int?
    var step: Int
  }
  var shape: [Int], perm: [Int], slices: [Slice], seed: UInt64
  var description: String {
    let s = slices.map { "\($0.start.map(String.init) ?? ""):\($0.stop.map(String.init) ?? ""):\($0.step)" }
    return "shape \(shape) transpose \(perm) [\(s.joined(separator: ", "))], seed \(seed)"
  }

  func apply(to t: Tensor) throws -> Tensor {
    try t.transpose(perm).index(slices.map { .slice($0.start, $0.stop, $0.step) })
  }

  /// The positions each view axis takes along its source axis, as Python's slice.indices.
  var positions: [[Int]] {
    zip(perm, slices).map { axis, s in
      let n = shape[axis]
      func clamp(_ v: Int?, _ low: Int, _ high: Int, _ dflt: Int) -> Int {
        guard var v else { return dflt }
        if v < 0 { v += n }
        return Swift.min(Swift.max(v, low), high)
      }
      if s.step > 0 {
        let b = clamp(s.start, 0, n, 0), e = clamp(s.stop, 0, n, n)
        return Array(stride(from: b, to: e, by: s.step))
      }
      let b = clamp(s.start, -1, n - 1, n - 1), e = clamp(s.stop, -1, n - 1, -1)
      return Array(stride(from: b, to: e, by: s.step))
    }
  }

  var viewShape: [Int] { positions.map(\.count) }

  /// The view's elements in C order, read from the base's flat values.
  func oracle(_ base: [Double]) -> [Double] {
    let pos = positions
    let n = pos.reduce(1) { $0 * $1.count }
    var baseStrides = [Int](repeating: 1, count: shape.count)
    for a in stride(from: shape.count - 2, through: 0, by: -1) { baseStrides[a] = baseStrides[a + 1] * shape[a + 1] }
    return (0..<n).map { i in
      let idx = TensorCase.unravel(i, pos.map(\.count))
      var f = 0
      for (k, axis) in perm.enumerated() { f += pos[k][idx[k]] * baseStrides[axis] }
      return base[f]
    }
  }
}
