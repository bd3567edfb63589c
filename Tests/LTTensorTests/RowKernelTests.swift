import Foundation
import Testing

@testable import LTTensor

/// The vectorised row argmax (CLTKernels' lt_row_stats_f32) against a scalar
/// reference on every instruction set the CPU has, at widths around the 16-lane
/// vector and with the awkward values (ties, NaN, infinities, signed zeros); and
/// a memory-mapped file scanned in blocks against the same tensor in memory.
@Suite struct RowKernelTests {
  /// First maximum, first NaN wins: the contract of argmax(axis:).
  static func referenceArgmax(_ v: [Float], rows: Int, cols: Int) -> [Int32] {
    (0..<rows).map { r in
      var best = v[r * cols], at = 0
      if best.isNaN { return 0 }
      for c in 1..<cols {
        let x = v[r * cols + c]
        if x.isNaN { return Int32(c) }
        if x > best { best = x; at = c }
      }
      return Int32(at)
    }
  }

  /// Rows with every hard case: random values (small integers, so ties are common),
  /// a NaN, infinities, all -inf, signed zeros, the maximum in the tail or the last lane.
  static func rows(_ rows: Int, _ cols: Int, seed: UInt64) -> [Float] {
    var g = SplitMix(seed)
    var v = (0..<(rows * cols)).map { _ in Float(Int(g.next() % 7)) - 3 }
    for r in 0..<rows {
      let row = r * cols
      switch r % 8 {
      case 1: v[row + Int(g.next() % UInt64(cols))] = .nan
      case 2: v[row + cols - 1] = 100   // in the tail (or the last lane)
      case 3: for c in 0..<cols { v[row + c] = -.infinity }
      case 4: for c in 0..<cols { v[row + c] = c % 2 == 0 ? -0.0 : 0.0 }
      case 5: v[row + Int(g.next() % UInt64(cols))] = .infinity
      case 6: v[row + cols / 2] = .nan; v[row] = .infinity
      default: break
      }
    }
    return v
  }

  @Test(arguments: [1, 2, 15, 16, 17, 31, 33, 100, 1000, 8142])
  func rowArgmaxMatchesTheScalarReferenceOnEveryInstructionSet(cols: Int) throws {
    let n = 41
    let v = Self.rows(n, cols, seed: UInt64(cols))
    let t = try Tensor(floats: v, shape: [n, cols])
    let want = Self.referenceArgmax(v, rows: n, cols: cols)
    var ran: Set<String> = []
    for level in [0, 1, 2] {
      Tensor.forceKernelLevel(level)
      defer { Tensor.forceKernelLevel(nil) }
      ran.insert(Tensor.kernelISA)
      let got = try t.argmax(axis: 1).toInt32s()
      #expect(got == want, "cols \(cols), \(Tensor.kernelISA)")
      let maxima = try t.max(axis: -1).toFloats()
      for r in 0..<n {
        let w = v[r * cols + Int(want[r])]
        #expect(maxima[r] == w || (maxima[r].isNaN && w.isNaN), "max of row \(r), cols \(cols), \(Tensor.kernelISA)")
      }
    }
    // The portable path always runs; AVX2 and AVX-512 when the CPU has them.
    #expect(ran.contains("portable"))
    print("row argmax ran on: \(ran.sorted().joined(separator: ", "))")
  }

  @Test func argmaxOfHigherRankAndViewsUsesTheLastAxis() throws {
    let v = Self.rows(6 * 5, 19, seed: 9)
    let t = try Tensor(floats: v, shape: [6, 5, 19])
    let want = Self.referenceArgmax(v, rows: 30, cols: 19)
    #expect(try t.argmax(axis: -1).shape == [6, 5])
    #expect(try t.argmax(axis: 2).toInt32s() == want)
    // a transposed (non-contiguous) view is made contiguous first
    let tt = try t.reshape([30, 19]).T
    #expect(try tt.argmax(axis: 0).toInt32s() == want)
    #expect(try Tensor(floats: [3], shape: [1]).argmax(axis: 0).toInt32s() == [0])
    #expect(try Tensor.zeros([0, 4]).argmax(axis: 1).shape == [0])
  }

  @Test func mappedFileScannedInBlocksEqualsTheTensorInMemory() throws {
    // 8142 columns (iNaturalist's classes) so a row is not page aligned.
    let (n, k) = (97, 8142)
    let v = Self.rows(n, k, seed: 77)
    let t = try Tensor(floats: v, shape: [n, k])
    let p = tempPath("rows.npy")
    defer { unlink(p) }
    try t.saveNPY(p)
    let m = try Tensor.loadNPY(p, mmap: true)
    #expect(m.isMemoryMapped)
    let want = try t.argmax(axis: 1).toInt32s()
    #expect(try m.argmax(axis: 1).toInt32s() == want)
    for rows in [1, 7, 64, n, n + 5] {
      let got = try m.reduceChunks(rows: rows, initial: [Int32]()) { acc, block in
        #expect(block.isMemoryMapped)
        return acc + (try block.argmax(axis: 1).toInt32s())
      }
      #expect(got == want, "blocks of \(rows) rows")
    }
    // the mapping is still readable after its pages were released
    #expect(m.toFloats().map(\.bitPattern) == v.map(\.bitPattern))
  }
}

/// A tiny deterministic generator for test data.
struct SplitMix {
  var state: UInt64
  init(_ seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
