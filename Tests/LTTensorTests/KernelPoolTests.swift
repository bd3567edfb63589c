import CLTKernels
import Foundation
import Testing

@testable import LTTensor

/// Bit patterns of a float tensor, so results compare byte for byte.
func bits(_ t: Tensor) -> [UInt64] {
  t.dtype == .float64 ? t.toDoubles().map(\.bitPattern) : t.toFloats().map { UInt64($0.bitPattern) }
}

/// Results recorded by several threads at once.
final class Recorder: @unchecked Sendable {
  private let lock = NSLock()
  private var entries: [(caller: Int, job: Int, bits: [UInt64]?)] = []
  func record(_ caller: Int, _ job: Int, _ bits: [UInt64]?) {
    lock.lock()
    entries.append((caller, job, bits))
    lock.unlock()
  }
  var all: [(caller: Int, job: Int, bits: [UInt64]?)] {
    lock.lock()
    defer { lock.unlock() }
    return entries
  }
}

/// The worker pool under the kernels: splits, thread counts, concurrent and
/// nested callers. In the serialized suite because they set the process-wide
/// thread count.
extension KernelPathTests {
  /// Shapes covering the pool's splits: by rows (B packed once, shared), by
  /// columns (C too short to split by rows), several k blocks (k > 256),
  /// several column blocks (n > 2048), and edges off the tile sizes.
  static let poolShapes: [(Int, Int, Int)] = [
    (300, 257, 190), (5, 300, 700), (3, 300, 2100), (13, 513, 61), (97, 31, 1), (1, 700, 1500),
    (61, 1, 77), (400, 3, 400), (130, 70, 150),
  ]

  @Test func productsHaveTheSameBitsOnOneTwoAndThreeThreads() throws {
    let saved = Tensor.threadCount
    defer { Tensor.threadCount = saved }
    for dtype in [DType.float32, .float64] {
      for (i, (m, k, n)) in Self.poolShapes.enumerated() {
        let a = try sample([m, k], seed: UInt64(i)).astype(dtype), b = try sample([k, n], seed: UInt64(50 + i)).astype(dtype)
        var results: [[UInt64]] = []
        for t in [1, 2, 3] {
          Tensor.threadCount = t
          results.append(bits(try a.matmul(b)))
        }
        #expect(results[0] == results[1], "\(dtype) \(m)x\(k)x\(n): 1 vs 2 threads")
        #expect(results[0] == results[2], "\(dtype) \(m)x\(k)x\(n): 1 vs 3 threads")
        let tol = dtype == .float32 ? 1e-4 : 1e-11
        expectClose(try a.matmul(b), try Tensor.matmulReference(a, b), rtol: tol, atol: tol * Double(k))
      }
    }
  }

  @Test func float64KernelsMatchReferenceOnEveryInstructionSet() throws {
    for level in [0, 1, 2] {
      Tensor.forceKernelLevel(level)
      defer { Tensor.forceKernelLevel(nil) }
      for (i, (m, k, n)) in (Self.shapes + [(300, 257, 190), (5, 300, 700)]).enumerated() {
        let a = try sample([m, k], seed: UInt64(i)).astype(.float64)
        let b = try sample([k, n], seed: UInt64(100 + i)).astype(.float64)
        expectClose(try a.matmul(b), try Tensor.matmulReference(a, b), rtol: 1e-11, atol: 1e-12 * Double(Swift.max(k, 1)), dtype: .float64)
        // strided operands are read through their strides while packing
        expectClose(try b.T.matmul(a.T), try Tensor.matmulReference(b.T, a.T), rtol: 1e-11, atol: 1e-12 * Double(Swift.max(k, 1)))
      }
    }
  }

  @Test func manyConcurrentCallersGetTheBitsOfOneCaller() throws {
    let saved = Tensor.threadCount
    defer { Tensor.threadCount = saved }
    let shapes = [(64, 200, 300), (130, 70, 150), (300, 257, 190), (5, 300, 700), (40, 40, 40)]
    var inputs: [(Tensor, Tensor)] = []
    for (i, (m, k, n)) in shapes.enumerated() {
      inputs.append((try sample([m, k], seed: UInt64(i)), try sample([k, n], seed: UInt64(20 + i))))
    }
    let x = try sample([600_000], seed: 7), y = try sample([600_000], seed: 8)
    Tensor.threadCount = 1
    var want = try inputs.map { bits(try $0.0.matmul($0.1)) }
    want.append(bits(try x + y))
    want.append(bits(try (x * y).sum(axis: 0)))
    let jobs = inputs
    for threads in [2, 3] {
      Tensor.threadCount = threads
      let recorder = Recorder()
      let group = DispatchGroup()
      let callers = 8, rounds = 5
      for c in 0..<callers {
        group.enter()
        let thread = Thread {
          for r in 0..<rounds {
            let j = (c + r) % (jobs.count + 2)
            switch j {
            case jobs.count: recorder.record(c, j, (try? x + y).map(bits))
            case jobs.count + 1: recorder.record(c, j, (try? (x * y).sum(axis: 0)).map(bits))
            default: recorder.record(c, j, (try? jobs[j].0.matmul(jobs[j].1)).map(bits))
            }
          }
          group.leave()
        }
        thread.start()
      }
      group.wait()
      let entries = recorder.all
      #expect(entries.count == callers * rounds)
      for e in entries {
        #expect(e.bits == want[e.job], "\(threads) threads, caller \(e.caller), job \(e.job)")
      }
    }
  }

  @Test func kernelCalledFromInsideAPoolJobRunsAloneWithTheSameBits() throws {
    let saved = Tensor.threadCount
    defer { Tensor.threadCount = saved }
    Tensor.threadCount = 2
    let a = try sample([128, 128], seed: 1), b = try sample([128, 128], seed: 2)
    let want = bits(try a.matmul(b))
    let before = Tensor.kernelPoolStats.serialJobs
    var got: [[UInt64]] = [[], [], [], []]
    got.withUnsafeMutableBufferPointer { out in
      parallelFor(4, grain: 1) { i0, i1 in
        for i in i0..<i1 { out[i] = (try? a.matmul(b)).map(bits) ?? [] }
      }
    }
    for g in got { #expect(g == want) }
    // Either the outer job or the products inside it ran alone: the pool was taken.
    #expect(Tensor.kernelPoolStats.serialJobs > before)
    #expect(Tensor.kernelPoolStats.workers >= 1)
  }

  @Test func batchedProductsAreSplitOverTheBatchWithTheBitsOfSingleProducts() throws {
    let saved = Tensor.threadCount
    defer { Tensor.threadCount = saved }
    let x = try sample([6, 33, 40], seed: 3), y = try sample([6, 40, 29], seed: 4)
    let u = try sample([4, 1, 20, 30], seed: 5), v = try sample([3, 30, 10], seed: 6)
    for dtype in [DType.float32, .float64] {
      let (xd, yd, ud, vd) = (try x.astype(dtype), try y.astype(dtype), try u.astype(dtype), try v.astype(dtype))
      Tensor.threadCount = 1
      var one: [Tensor] = []
      for i in 0..<6 { one.append(try xd.index([.index(i)]).matmul(yd.index([.index(i)]))) }
      let stacked = bits(try Tensor.stack(one))
      let broadcastOne = bits(try ud.matmul(vd))
      for t in [1, 2, 3] {
        Tensor.threadCount = t
        #expect(bits(try xd.matmul(yd)) == stacked, "\(dtype), \(t) threads")
        #expect(bits(try ud.matmul(vd)) == broadcastOne, "\(dtype), \(t) threads")
      }
      expectClose(try ud.matmul(vd), try Tensor.matmulReference(ud, vd), rtol: 1e-4, atol: 1e-4)
    }
  }

  @Test func elementwiseOpsHaveTheSameBitsOnOneTwoAndThreeThreads() throws {
    let saved = Tensor.threadCount
    defer { Tensor.threadCount = saved }
    // 1M elements: above the size at which elementwise ops use the pool
    let x = try sample([1000, 1000], seed: 11), y = try sample([1000, 1000], seed: 12)
    let row = try sample([1000], seed: 13)
    func all() throws -> [[UInt64]] {
      [
        bits(try x + y), bits(try x - y), bits(try x * y), bits(try x / y), bits(try x * 1.5), bits(try 2.0 - x),
        bits(try x + row), bits(try x.T + y), bits(try x.exp()), bits(try x.sum(axis: 1)), bits(try x.softmax(axis: 1)),
        try x.compare(.lt, y).toDoubles().map(\.bitPattern),
      ]
    }
    Tensor.threadCount = 1
    let one = try all()
    Tensor.threadCount = 2
    #expect(try all() == one)
    Tensor.threadCount = 3
    #expect(try all() == one)
  }

  /// The vectorised C rows give the bits of the generic Swift loops, for
  /// every op, stride pattern, row length (tails) and instruction set,
  /// including NaN, infinities and signed zeros.
  @Test func vectorRowsMatchTheGenericLoopsBitForBit() throws {
    let special: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1, -1, 0.5, 3, -2.5, 1e-40, 7]
    func values(_ n: Int, _ seed: UInt64) -> [Double] {
      var s = seed
      return (0..<n).map { i in
        s = s &* 6364136223846793005 &+ 1442695040888963407
        return i % 3 == 0 ? special[Int(s >> 60) % special.count] : Double(Int64(bitPattern: s) >> 40) / Double(1 << 20)
      }
    }
    func generic<T: FloatElement>(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, _: T.Type) throws -> Tensor {
      let shape = try broadcastShape(a.shape, b.shape)
      switch op {
      case .add: return try zipMap(a, b, shape: shape, out: a.dtype, AddK<T>.self)
      case .sub: return try zipMap(a, b, shape: shape, out: a.dtype, SubK<T>.self)
      case .mul: return try zipMap(a, b, shape: shape, out: a.dtype, MulK<T>.self)
      case .div: return try zipMap(a, b, shape: shape, out: a.dtype, DivK<T>.self)
      case .maximum: return try zipMap(a, b, shape: shape, out: a.dtype, MaxK<T>.self)
      default: return try zipMap(a, b, shape: shape, out: a.dtype, MinK<T>.self)
      }
    }
    func genericCompare<T: FloatElement>(_ op: CompareOp, _ a: Tensor, _ b: Tensor, _: T.Type) throws -> Tensor {
      let shape = try broadcastShape(a.shape, b.shape)
      switch op {
      case .eq: return try zipMap(a, b, shape: shape, out: .bool, EqK<T>.self)
      case .ne: return try zipMap(a, b, shape: shape, out: .bool, NeK<T>.self)
      case .lt: return try zipMap(a, b, shape: shape, out: .bool, LtK<T>.self)
      case .le: return try zipMap(a, b, shape: shape, out: .bool, LeK<T>.self)
      case .gt: return try zipMap(a, b, shape: shape, out: .bool, GtK<T>.self)
      case .ge: return try zipMap(a, b, shape: shape, out: .bool, GeK<T>.self)
      }
    }
    let ops: [BinaryOp] = [.add, .sub, .mul, .div, .maximum, .minimum]
    for level in [0, 1, 2] {
      Tensor.forceKernelLevel(level)
      defer { Tensor.forceKernelLevel(nil) }
      for dtype in [DType.float32, .float64] {
        for n in [32, 33, 47, 48, 63, 64, 100] {
          let a = try Tensor(values(n, UInt64(n)), shape: [n], dtype: dtype)
          let b = try Tensor(values(n, UInt64(n + 1000)), shape: [n], dtype: dtype)
          let rows = try Tensor(values(3 * n, UInt64(n + 7)), shape: [3, n], dtype: dtype)
          for s in [try a.index([.slice(0, 1, nil)]), Tensor(scalar: .nan, dtype: dtype), Tensor(scalar: -0.0, dtype: dtype)] {
            let pairs = [(a, b), (a, s), (s, b), (rows, b), (b, rows)]
            for (x, y) in pairs {
              for op in ops {
                let fast = try x.binary(op, y)
                let slow = dtype == .float32 ? try generic(op, x, y, Float.self) : try generic(op, x, y, Double.self)
                #expect(bits(fast) == bits(slow), "level \(level) \(dtype) n \(n) \(op) \(x.shape) \(y.shape)")
              }
              for op in CompareOp.allCases {
                let fast = try x.compare(op, y)
                let slow = dtype == .float32 ? try genericCompare(op, x, y, Float.self) : try genericCompare(op, x, y, Double.self)
                #expect(fast.toDoubles() == slow.toDoubles(), "level \(level) \(dtype) n \(n) \(op)")
              }
            }
          }
        }
      }
    }
  }

  /// Results beyond half the last-level cache are written with streaming
  /// stores after an aligned head; the bits are those of the generic loops
  /// for any thread count (each thread's chunk starts at its own alignment).
  @Test func streamingStoresForLargeResultsKeepTheBits() throws {
    let saved = Tensor.threadCount
    defer { Tensor.threadCount = saved }
    for (dtype, n) in [(DType.float32, 2_200_001), (.float64, 1_100_001)] {
      // a view starting one element in, so the operands are not 64-byte aligned
      let x = try sample([n + 1], seed: 21).astype(dtype).index([.slice(1, nil, nil)])
      let y = try sample([n], seed: 22).astype(dtype)
      let s = Tensor(scalar: -0.75, dtype: dtype)
      #expect((x.count + y.count + n) * dtype.itemSize > Int(lt_cache_bytes()) / 2)
      func generic<K: BinaryKernel>(_ a: Tensor, _ b: Tensor, _ k: K.Type) throws -> [UInt64] {
        bits(try zipMap(a, b, shape: [n], out: dtype, k))
      }
      let want: [[UInt64]]
      let got: (Int) throws -> [[UInt64]] = { t in
        Tensor.threadCount = t
        return [bits(try x + y), bits(try x / y), bits(try x.binary(.maximum, y)), bits(try x * s)]
      }
      if dtype == .float32 {
        want = [try generic(x, y, AddK<Float>.self), try generic(x, y, DivK<Float>.self),
                try generic(x, y, MaxK<Float>.self), try generic(x, s, MulK<Float>.self)]
      } else {
        want = [try generic(x, y, AddK<Double>.self), try generic(x, y, DivK<Double>.self),
                try generic(x, y, MaxK<Double>.self), try generic(x, s, MulK<Double>.self)]
      }
      for t in [1, 2, 3] { #expect(try got(t) == want, "\(dtype), \(t) threads") }
    }
  }

  /// lt_parallel_for keeps the contract other modules call it with: at most one
  /// contiguous range per thread, each at least min_chunk long, covering
  /// [0, n) once, the first one on the calling thread; lt_parallel_chunks cuts
  /// finer but also covers [0, n) once in ranges of at least min_chunk.
  @Test func parallelForKeepsItsRangeContract() throws {
    let saved = Tensor.threadCount
    defer { Tensor.threadCount = saved }
    final class Log: @unchecked Sendable {
      let lock = NSLock()
      var ranges: [(Int64, Int64, Bool)] = []
      let caller = pthread_self()
    }
    let body: lt_range_fn = { ctx, b, e in
      guard let ctx else { return }
      let log = Unmanaged<Log>.fromOpaque(ctx).takeUnretainedValue()
      log.lock.lock()
      log.ranges.append((b, e, pthread_equal(pthread_self(), log.caller) != 0))
      log.lock.unlock()
    }
    for threads in [1, 2, 3] {
      Tensor.threadCount = threads
      for (n, minChunk) in [(Int64(1_000_000), Int64(1000)), (10, 4), (7, 1), (3, 5)] {
        for chunks in [false, true] {
          let log = Log()
          let ctx = Unmanaged.passUnretained(log).toOpaque()
          if chunks { lt_parallel_chunks(n, minChunk, body, ctx) } else { lt_parallel_for(n, minChunk, body, ctx) }
          let ranges = log.ranges.sorted { $0.0 < $1.0 }
          let label = "\(threads) threads, n \(n), min \(minChunk), chunks \(chunks)"
          #expect(ranges.first?.0 == 0, "\(label)")
          #expect(ranges.last?.1 == n, "\(label)")
          for (r, next) in zip(ranges, ranges.dropFirst()) { #expect(r.1 == next.0, "\(label): gap or overlap") }
          if ranges.count > 1 { #expect(ranges.allSatisfy { $0.1 - $0.0 >= minChunk }, "\(label)") }
          if !chunks {
            #expect(ranges.count <= threads, "\(label): \(ranges.count) ranges")
            #expect(ranges.first?.2 == true, "\(label): first range not on the caller")
          }
          withExtendedLifetime(log) {}
        }
      }
    }
  }

  /// Edge tiles (fewer rows or columns than the micro-kernel's tile) have
  /// their own kernels; a row or column of C has the same bits whether it was
  /// computed in a full tile or an edge tile, on every instruction set.
  @Test func edgeTilesGiveTheBitsOfFullTiles() throws {
    for level in [0, 1, 2] {
      Tensor.forceKernelLevel(level)
      defer { Tensor.forceKernelLevel(nil) }
      for dtype in [DType.float32, .float64] {
        let a = try sample([24, 300], seed: 31).astype(dtype), b = try sample([300, 64], seed: 32).astype(dtype)
        let full = try a.matmul(b)
        // (one row or one column is a matrix-vector product, which has its own path)
        for rows in [2, 3, 5, 7] {
          for cols in [2, 3, 8, 9, 17, 64] {
            let part = try a.index([.slice(0, rows, nil)]).matmul(b.index([.all, .slice(0, cols, nil)]))
            let want = try full.index([.slice(0, rows, nil), .slice(0, cols, nil)]).contiguous()
            #expect(bits(part) == bits(want), "level \(level) \(dtype) \(rows)x\(cols)")
          }
        }
      }
    }
  }

  /// Matrix-vector products (one row or one column) skip packing; they match
  /// the reference and give the same bits on 1, 2 and 3 threads and on every
  /// instruction set, with contiguous and strided vectors.
  @Test func matrixVectorProductsMatchReferenceAndThreadCounts() throws {
    let saved = Tensor.threadCount
    defer { Tensor.threadCount = saved }
    for dtype in [DType.float32, .float64] {
      let w = try sample([700, 1500], seed: 41).astype(dtype)
      let wt = try sample([1500, 700], seed: 42).astype(dtype)
      let vs = try sample([3, 700], seed: 43).astype(dtype)
      let row = try vs.index([.slice(1, 2, nil)])                  // [1, 700], contiguous
      let stepped = try sample([1, 1400], seed: 44).astype(dtype).index([.all, .slice(nil, nil, 2)])  // strided row
      let column = try vs.T.index([.all, .slice(0, 1, nil)])       // [700, 1], stride 3
      let vector = try vs.index([.index(2)])                        // 1-d
      let cases: [(Tensor, Tensor)] = [(row, w), (stepped, w), (wt, column), (wt, vector), (vector, w), (try sample([5, 1], seed: 45).astype(dtype), try sample([1, 9], seed: 46).astype(dtype))]
      for (i, (a, b)) in cases.enumerated() {
        let tol = dtype == .float32 ? 1e-4 : 1e-11
        var results: [[UInt64]] = []
        for level in [0, 1, 2] {
          Tensor.forceKernelLevel(level)
          defer { Tensor.forceKernelLevel(nil) }
          for t in [1, 2, 3] {
            Tensor.threadCount = t
            results.append(bits(try a.matmul(b)))
          }
        }
        for r in results.dropFirst() { #expect(r == results[0], "\(dtype) case \(i)") }
        expectClose(try a.matmul(b), try Tensor.matmulReference(a, b), rtol: tol, atol: tol * 700)
      }
    }
  }
}
