// bench/learn: LA linear-probe fine-tuning, N x 512 features, 1000 classes, 10 epochs,
// batch 256, LTLearn against NumPy running the same algorithm with the same initial weights
// and the same mini-batch order (both exported to the NumPy side).
import Foundation
import LTLearn

let args = CommandLine.arguments
let n = args.count > 1 ? Int(args[1]) ?? 100_000 : 100_000
let d = 512, k = 1000, epochs = 10, batch = 256
let dir = "/tmp/benchlearn"
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)

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

func write<T>(_ a: [T], _ name: String) throws {
  try a.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: "\(dir)/\(name)")) }
}
try write(x.data, "x.f32"); try write(labels, "y.i32"); try write(testX.data, "tx.f32")
try write(testY, "ty.i32"); try write(w0, "w0.f32"); try write(b0, "b0.f32"); try write(perms, "perm.i32")

let t0 = Date()
let r = try finetune(features: train, config: cfg)
let swiftTime = Date().timeIntervalSince(t0)
let swiftAcc = try accuracy(try predict(r.model, test), testY)
print("LTLearn: \(String(format: "%.2f", swiftTime)) s, test accuracy \(String(format: "%.4f", swiftAcc)), final loss \(r.report.epochLosses.last ?? .nan)")

let py = Process()
py.executableURL = URL(fileURLWithPath: "/usr/bin/env")
py.arguments = ["python3", ProcessInfo.processInfo.environment["LEARN_BENCH_PY"] ?? "bench/learn/bench_learn.py", dir, "\(n)", "\(d)", "\(k)", "\(epochs)", "\(batch)", "\(cfg.lr)"]
let pipe = Pipe()
py.standardOutput = pipe
try py.run()
py.waitUntilExit()
let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
print(out, terminator: "")
if let line = out.split(separator: "\n").first(where: { $0.hasPrefix("numpy_time") }),
   let t = Double(line.split(separator: " ")[1]) {
  print("time ratio LTLearn / NumPy: \(String(format: "%.2f", swiftTime / t))x")
}
