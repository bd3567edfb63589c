// bench/tensor: LTTensor against NumPy on the same workloads, side by side.
//
// Usage: TensorBench [--threads N] [--numpy results.json] [--npy PATH] [--only NAME] [--json]
// run.sh builds in release and alternates this with numpy_bench.py for the
// same thread count, several rounds, then report.py prints the best of each
// side. Without --json this prints its own table (and the ratio to a NumPy
// JSON given with --numpy).
import Foundation
import LTTensor

var numpy: [String: Double] = [:]
var npyPath = ""
var only: String? = nil
var asJSON = false
/// Whether a section runs (`--only NAME` keeps one section).
@MainActor func want(_ name: String) -> Bool { only.map { $0 == name } ?? true }
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
  switch a {
  case "--threads": Tensor.threadCount = Int(args.popFirst() ?? "") ?? 1
  case "--numpy":
    if let p = args.popFirst(), let d = FileManager.default.contents(atPath: p),
      let obj = try? JSONSerialization.jsonObject(with: d) as? [String: Any]
    {
      for (k, v) in obj { if let n = v as? NSNumber { numpy[k] = n.doubleValue } }
    }
  case "--npy": npyPath = args.popFirst() ?? ""
  case "--only": only = args.popFirst()
  case "--json": asJSON = true
  default: print("unknown argument \(a)")
  }
}

/// Best wall time of `reps` runs after one warm-up (machines are shared: the
/// minimum is the least disturbed run; numpy_bench.py does the same).
func best(_ reps: Int, _ body: () throws -> Void) rethrows -> Double {
  try body()
  var times: [Double] = []
  for _ in 0..<reps {
    let t = DispatchTime.now().uptimeNanoseconds
    try body()
    times.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
  }
  times.sort()
  return times[0]
}

var results: [String: Double] = [:]

@MainActor func row(_ name: String, _ key: String, _ seconds: Double, unit: String, work: Double) {
  results[key] = seconds
  if asJSON { return }
  let rate = work / seconds
  var line = "\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(format: "%9.2f", rate)) \(unit)"
  line += "  \(String(format: "%9.3f", seconds * 1e3)) ms"
  if let np = numpy[key] {
    line += "   numpy \(String(format: "%9.2f", work / np)) \(unit)  \(String(format: "%9.3f", np * 1e3)) ms   ratio \(String(format: "%.2f", np / seconds))x"
  }
  print(line)
}

if !asJSON {
  print("LTTensor \(Tensor.kernelISA) kernels, \(Tensor.threadCount) thread(s); ratio = numpy time / LTTensor time (>1: LTTensor faster)")
}
do {
  for n in [256, 512, 1024, 2048] where want("matmul") {
    let a = try Tensor.randn([n, n], seed: 1), b = try Tensor.randn([n, n], seed: 2)
    let reps = n <= 512 ? 41 : (n == 1024 ? 9 : 3)
    let t = try best(reps) { _ = try a.matmul(b) }
    row("matmul \(n)", "matmul\(n)", t, unit: "GFLOP/s", work: 2 * Double(n * n * n) / 1e9)
  }
  if want("dgemm") {
    let a = try Tensor.randn([1024, 1024], seed: 1).astype(.float64), b = try Tensor.randn([1024, 1024], seed: 2).astype(.float64)
    row("matmul f64 1024", "dmatmul1024", try best(5) { _ = try a.matmul(b) }, unit: "GFLOP/s", work: 2 * 1024 * 1024 * 1024 / 1e9)
  }
  if want("matvec") {
    let w = try Tensor.randn([1024, 1024], seed: 1), v = try Tensor.randn([1024], seed: 2)
    row("vector @ matrix 1024", "vecmat1024", try best(101) { _ = try v.matmul(w) }, unit: "GFLOP/s", work: 2 * 1024 * 1024 / 1e9)
    row("matrix @ vector 1024", "matvec1024", try best(101) { _ = try w.matmul(v) }, unit: "GFLOP/s", work: 2 * 1024 * 1024 / 1e9)
  }
  if want("bmm") {
    let a = try Tensor.randn([64, 128, 128], seed: 1), b = try Tensor.randn([64, 128, 128], seed: 2)
    row("bmm 64x128^3", "bmm", try best(21) { _ = try a.matmul(b) }, unit: "GFLOP/s", work: 64 * 2 * 128 * 128 * 128 / 1e9)
  }
  let x = try Tensor.randn([4_000_000], seed: 3), y = try Tensor.randn([4_000_000], seed: 4)
  if want("exp") { row("exp 4M", "exp", try best(51) { _ = try x.exp() }, unit: "GB/s", work: 32e6 / 1e9) }
  if want("add") { row("add 4M", "add", try best(51) { _ = try x + y }, unit: "GB/s", work: 48e6 / 1e9) }
  if want("mul") { row("mul scalar 4M", "mulscalar", try best(51) { _ = try x * 1.5 }, unit: "GB/s", work: 32e6 / 1e9) }
  if want("div") { row("div 4M", "div", try best(51) { _ = try x / y }, unit: "GB/s", work: 48e6 / 1e9) }
  if want("lt") { row("less 4M", "less", try best(51) { _ = try x.compare(.lt, y) }, unit: "GB/s", work: 36e6 / 1e9) }
  let xs = try Tensor.randn([100_000], seed: 3), ys = try Tensor.randn([100_000], seed: 4)
  if want("addsmall") { row("add 100K (in cache)", "addsmall", try best(401) { _ = try xs + ys }, unit: "GB/s", work: 1.2e6 / 1e9) }
  if want("sum") { row("sum 4M", "sum", try best(51) { _ = try x.sum() }, unit: "GB/s", work: 16e6 / 1e9) }
  let z = try Tensor.randn([4096, 1000], seed: 5) * 3
  if want("softmax") { row("softmax 4096x1000", "softmax", try best(11) { _ = try z.softmax(axis: 1) }, unit: "GB/s", work: 32.768e6 / 1e9) }
  if want("rowsum") { row("row sum 4096x1000", "rowsum", try best(11) { _ = try z.sum(axis: 1) }, unit: "GB/s", work: 16.384e6 / 1e9) }
  let s = try Tensor.randn([1_000_000], seed: 6)
  if want("argsort") { row("argsort 1M (stable)", "argsort", try best(7) { _ = try s.argsort() }, unit: "Melem/s", work: 1) }
  if want("npy") || want("mmap"), !npyPath.isEmpty, let attrs = try? FileManager.default.attributesOfItem(atPath: npyPath),
    let size = (attrs[.size] as? NSNumber)?.doubleValue
  {
    if only != "mmap" {
      row("npy load \(Int(size / 1e6)) MB", "npyload", try best(3) { _ = try Tensor.loadNPY(npyPath) }, unit: "GB/s", work: size / 1e9)
    }
    row("npy mmap + chunked sum", "npymmapsum", try best(3) {
      let m = try Tensor.loadNPY(npyPath, mmap: true)
      _ = try m.reduceChunks(rows: 4096, initial: 0.0) { $0 + (try $1.sum()) }
    }, unit: "GB/s", work: size / 1e9)
  }
} catch {
  print("error: \(error)")
}
let pool = Tensor.kernelPoolStats
if asJSON {
  results["threads"] = Double(Tensor.threadCount)
  results["pool_workers"] = Double(pool.workers)
  if let d = try? JSONSerialization.data(withJSONObject: results, options: [.sortedKeys]), let s = String(data: d, encoding: .utf8) {
    print(s)
  }
} else {
  print("worker pool: \(pool.workers) worker(s), \(pool.pooledJobs) job(s) on the pool, \(pool.serialJobs) run alone because it was busy")
}
