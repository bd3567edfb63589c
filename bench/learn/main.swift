// bench/learn: LTLearn against NumPy in the same run, best of R repeats on each side.
//
// 1. LA linear-probe fine-tuning, N x 512 features, 1000 classes, 10 epochs, batch 256:
//    NumPy runs the same algorithm with the same initial weights and the same mini-batch
//    order (both exported to it), so the accuracies must agree.
// 2. GLA's prior estimate on 20k x 1000 logits, against SciPy's L-BFGS on the same
//    objective (bench_gla.py).
//
// Usage: LearnBench [N] [REPEATS] (run.sh builds it in release and passes the scripts).
import Foundation
import LTLearn

#if canImport(Glibc)
  import Glibc
#endif

let args = CommandLine.arguments
let n = args.count > 1 ? Int(args[1]) ?? 100_000 : 100_000
let repeats = max(1, args.count > 2 ? Int(args[2]) ?? 3 : 3)
let d = 512, k = 1000, epochs = 10, batch = 256
let dir = "/tmp/benchlearn"
let env = ProcessInfo.processInfo.environment
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)

/// Wall and process CPU seconds of `body`.
func timed<T>(_ body: () throws -> T) rethrows -> (T, wall: Double, cpu: Double) {
  func cpuNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }
  let (w0, c0) = (Date(), cpuNow())
  let r = try body()
  return (r, Date().timeIntervalSince(w0), cpuNow() - c0)
}

/// Prints and flushes, so progress shows as it happens also when piped.
func say(_ s: String) {
  print(s)
  fflush(nil)
}

func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

func uptime() -> String {
  (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
    .map { "load " + $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "load ?"
}

func write<T>(_ a: [T], _ name: String) throws {
  try a.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: "\(dir)/\(name)")) }
}

/// Runs a Python script and returns its standard output ("" when it cannot start).
func python(_ script: String, _ arguments: [String], interpreter: String = "python3") -> String {
  let py = Process()
  py.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  py.arguments = [interpreter, script] + arguments
  let pipe = Pipe()
  py.standardOutput = pipe
  do { try py.run() } catch { return "" }
  let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  py.waitUntilExit()
  return out
}

func field(_ out: String, _ key: String) -> Double? {
  out.split(separator: "\n").first { $0.hasPrefix(key + " ") }
    .flatMap { Double($0.split(separator: " ")[1]) }
}

/// Prints a reference's output and LTLearn's time ratios and accuracy gap against it,
/// read from the `<key>_time`, `<key>_cpu` and `<key>_acc` lines its script prints.
func compare(_ out: String, key: String, name: String, best: (wall: Double, cpu: Double), accuracy: Double, missing: String) {
  print(out, terminator: "")
  guard let t = field(out, "\(key)_time"), let acc = field(out, "\(key)_acc") else {
    print("\(name) side did not run (\(missing))")
    return
  }
  print("time ratio LTLearn / \(name): \(fmt(best.wall / t))x wall", terminator: "")
  if let c = field(out, "\(key)_cpu") { print(", \(fmt(best.cpu / c))x CPU", terminator: "") }
  print("; accuracy difference \(fmt(abs(accuracy - acc) * 100, 2)) pt")
}

// MARK: - 1. LA linear probe

func runProbe() throws {

  // Data: class means on a sphere plus noise; long-tailed labels (exp profile, IF 10).
  var rng = SeededRandom(seed: 123)
  var means = Matrix(rows: k, cols: d)
  for i in 0..<means.data.count { means.data[i] = Float(rng.normal() * 0.09) }
  var counts = try longTailCounts(classes: k, maxPerClass: 1000, imbalance: 10, profile: .exp)
  let scale = Double(n) / Double(counts.reduce(0, +))
  counts = counts.map { max(1, Int(Double($0) * scale)) }
  var labels: [Int32] = []
  for (c, m) in counts.enumerated() { labels += [Int32](repeating: Int32(c), count: m) }
  labels = Array(labels.prefix(n))
  while labels.count < n { labels.append(Int32(labels.count % k)) }
  func draw(_ y: [Int32], _ means: Matrix, _ rng: inout SeededRandom) -> Matrix {
    var x = Matrix(rows: y.count, cols: d)
    for (i, c) in y.enumerated() {
      for j in 0..<d { x.data[i * d + j] = means.data[Int(c) * d + j] + Float(rng.normal() * 0.25) }
    }
    return x
  }
  let x = draw(labels, means, &rng)
  let testY = (0..<(10 * k)).map { Int32($0 % k) }
  let testX = draw(testY, means, &rng)
  let train = try Dataset(features: x, labels: labels)
  let test = try Dataset(features: testX, labels: testY, classNames: train.classNames)

  var cfg = TrainConfig()
  cfg.loss = .la(tau: 1)
  cfg.epochs = epochs
  cfg.batchSize = batch
  cfg.lr = 0.5
  cfg.seed = 7

  // The same initial weights and batch order LTLearn will use (see FineTune.swift / Train.swift).
  var initRng = SeededRandom(seed: cfg.seed)
  let bound = 1 / Double(d).squareRoot()
  let w0 = (0..<(d * k)).map { _ in Float((initRng.uniform() * 2 - 1) * bound) }
  let b0 = (0..<k).map { _ in Float((initRng.uniform() * 2 - 1) * bound) }
  var orderRng = SeededRandom(seed: cfg.seed).derived(0xBA7C)
  var perms: [Int32] = []
  for _ in 0..<epochs { perms += orderRng.permutation(n).map { Int32($0) } }

  try write(x.data, "x.f32"); try write(labels, "y.i32"); try write(testX.data, "tx.f32")
  try write(testY, "ty.i32"); try write(w0, "w0.f32"); try write(b0, "b0.f32"); try write(perms, "perm.i32")

  say("LA linear probe: \(n) x \(d) features, \(k) classes, \(epochs) epochs, batch \(batch); best of \(repeats)")
  var best = (wall: Double.infinity, cpu: Double.infinity)
  var first: Model?
  var swiftAcc = 0.0
  var finalLoss = 0.0
  for rep in 0..<repeats {
    let before = uptime()
    let (r, wall, cpu) = try timed { try finetune(features: train, config: cfg) }
    if let f = first {
      if f.head != r.model.head { print("  NOT DETERMINISTIC: repeat \(rep + 1) gave other weights") }
    } else {
      first = r.model
      swiftAcc = try accuracy(try predict(r.model, test), testY)
      finalLoss = r.report.epochLosses.last ?? .nan
    }
    say("  LTLearn run \(rep + 1): \(fmt(wall)) s wall, \(fmt(cpu)) s CPU (\(before))")
    best = (min(best.wall, wall), min(best.cpu, cpu))
  }
  say("LTLearn: best \(fmt(best.wall)) s wall, \(fmt(best.cpu)) s CPU, test accuracy \(fmt(swiftAcc, 4)), final loss \(finalLoss)")

  let trainScript = env["LEARN_BENCH_PY"] ?? "bench/learn/bench_learn.py"
  let out = python(trainScript, [dir, "\(n)", "\(d)", "\(k)", "\(epochs)", "\(batch)", "\(cfg.lr)", "\(repeats)"])
  compare(out, key: "numpy", name: "NumPy", best: best, accuracy: swiftAcc, missing: "python3 with numpy needed")

  // PyTorch CPU, same threads as LTLearn, when run.sh could install torch in a venv.
  guard let torchPython = env["LEARN_BENCH_TORCH_PYTHON"], let torchScript = env["LEARN_BENCH_TORCH_PY"] else {
    print("PyTorch side did not run (run.sh sets LEARN_BENCH_TORCH_PYTHON when torch installs)")
    return
  }
  let threads = Int(env["LTNB_NUM_THREADS"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
  let torchOut = python(
    torchScript, [dir, "\(n)", "\(d)", "\(k)", "\(epochs)", "\(batch)", "\(cfg.lr)", "\(threads)", "\(repeats)"],
    interpreter: torchPython)
  compare(torchOut, key: "torch", name: "PyTorch", best: best, accuracy: swiftAcc, missing: "its script failed")

}

// MARK: - 2. GLA on 20k x 1000 logits

func runGLA() throws {

  // A biased "zero-shot" model: z_i = log q + 2.5 e_{y_i} + N(0, 1) noise, q a Zipf prior
  // (IF 100) over a random class order; 20 labelled samples per class.
  let glaN = 20_000
  var grng = SeededRandom(seed: 321)
  let order = grng.permutation(k)
  var q = [Double](repeating: 0, count: k)
  for (rank, c) in order.enumerated() { q[c] = 1 / Double(rank + 1) }
  let qs = q.reduce(0, +)
  q = q.map { $0 / qs }
  let glaY = (0..<glaN).map { Int32($0 % k) }
  var glaZ = Matrix(rows: glaN, cols: k)
  for i in 0..<glaN {
    for j in 0..<k {
      glaZ.data[i * k + j] = Float(log(q[j]) + (j == Int(glaY[i]) ? 2.5 : 0) + grng.normal())
    }
  }
  try write(glaZ.data, "gla_z.f32"); try write(glaY, "gla_y.i32")
  say("GLA prior estimate: \(glaN) x \(k) logits; best of \(repeats)")
  var glaBest = (wall: Double.infinity, cpu: Double.infinity)
  var est: PriorEstimate?
  for _ in 0..<repeats {
    let before = uptime()
    let (e, wall, cpu) = try timed { try estimatePriorGLA(logits: glaZ, labels: glaY) }
    if let prev = est, prev.prior != e.prior { print("  NOT DETERMINISTIC: GLA gave another prior") }
    est = e
    say("  LTLearn GLA: \(fmt(wall, 3)) s wall, \(fmt(cpu, 3)) s CPU, \(e.iterations) iterations (\(before))")
    glaBest = (min(glaBest.wall, wall), min(glaBest.cpu, cpu))
  }
  if let e = est {
    let rho = try spearman(e.prior, q)
    say("LTLearn GLA: best \(fmt(glaBest.wall, 3)) s wall, \(fmt(glaBest.cpu, 3)) s CPU, \(e.iterations) iterations, converged \(e.converged), Spearman vs true prior \(fmt(rho, 4))")
    try write(e.prior, "gla_prior.f64")
  }
  let glaScript = env["LEARN_BENCH_GLA_PY"] ?? "bench/learn/bench_gla.py"
  let glaOut = python(glaScript, [dir, "\(glaN)", "\(k)", "\(repeats)"])
  print(glaOut, terminator: "")
  if let t = field(glaOut, "scipy_time") {
    print("GLA time ratio LTLearn / SciPy: \(fmt(glaBest.wall / t))x wall")
  }
}

// LEARN_BENCH_ONLY=probe or =gla runs one half (for profiling).
let only = env["LEARN_BENCH_ONLY"] ?? ""
if only != "gla" { try runProbe() }
if only != "probe" { try runGLA() }
