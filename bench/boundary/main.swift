// bench/boundary: the cost of LTStdlib's copies between LTTensor's Tensor and LTLearn's
// Matrix (issue 15), next to the cost of the operation they feed, with resident memory.
//
// Each scenario runs in its own process (run.sh): `BoundaryBench SCENARIO`.
//   finetune  100k x 512 features, 1000 classes: dataset() copy vs one LA epoch
//   gla       20k x 1000 logits: estimate_prior's copy vs GLA
//   predict   100k x 512 -> 8142 logits: predict vs the Matrix -> Tensor copy
//   prior     100k x 8142 logits (heap tensor): estimate_prior's copy vs GLA
//   mmap      the same logits from load_npy(mmap: true): what the copy makes resident
//   copies    the two copies alone on 100k x 8142, without zero-fill, and shared (no copy)
// The copies are the ones LearnConvert does (LTStdlib/LearnObjects.swift), spelled out
// here: Tensor -> Matrix is `Matrix(rows:cols:data: t.toFloats())`, Matrix -> Tensor is
// `Tensor(floats: m.data, shape:)`.
import Foundation
import LTLearn
import LTTensor

#if canImport(Glibc)
  import Glibc
#endif

func say(_ s: String) {
  print(s)
  fflush(nil)
}

func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

/// Wall seconds of `body`.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
  let t0 = Date()
  let r = try body()
  return (r, Date().timeIntervalSince(t0))
}

/// Fields of /proc/self/status in MiB (VmRSS, VmHWM, RssAnon, RssFile).
func memory() -> [String: Double] {
  guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return [:] }
  var out: [String: Double] = [:]
  for line in s.split(separator: "\n") {
    let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
    if parts.count >= 2, let kb = Double(parts[1]) { out[String(parts[0])] = kb / 1024 }
  }
  return out
}

/// Resets the peak (VmHWM) to the current resident size.
func resetPeak() {
  _ = try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

func mib(_ key: String) -> String { fmt(memory()[key] ?? .nan, 0) + " MiB" }

/// Runs `body` as one phase: prints its time and the resident peak it reached.
func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
  let before = memory()["VmRSS"] ?? .nan
  resetPeak()
  let (r, s) = try timed(body)
  let m = memory()
  say("  \(name): \(fmt(s)) s; RSS \(fmt(before, 0)) -> peak \(fmt(m["VmHWM"] ?? .nan, 0)) MiB (now \(fmt(m["VmRSS"] ?? .nan, 0)), anon \(fmt(m["RssAnon"] ?? .nan, 0)), file \(fmt(m["RssFile"] ?? .nan, 0)))")
  return r
}

/// The LTStdlib copies.
func toMatrix(_ t: Tensor) throws -> Matrix { try Matrix(rows: t.shape[0], cols: t.shape[1], data: t.toFloats()) }
func toTensor(_ m: Matrix) throws -> Tensor { try Tensor(floats: m.data, shape: [m.rows, m.cols]) }

/// A cheap deterministic noise in [-0.5, 0.5) (no RNG call per element).
@inline(__always) func noise(_ i: Int) -> Float {
  var x = UInt64(truncatingIfNeeded: i) &* 0x9E37_79B9_7F4A_7C15
  x ^= x >> 29
  x = x &* 0xBF58_476D_1CE4_E5B9
  x ^= x >> 32
  return Float(x & 0xFFFFFF) / Float(1 << 24) - 0.5
}

/// N x D features: class means (seeded normal, scale 0.09) plus noise, as a Tensor.
func features(n: Int, d: Int, k: Int, labels: [Int32], seed: UInt64) throws -> Tensor {
  var rng = SeededRandom(seed: seed)
  let means = (0..<(k * d)).map { _ in Float(rng.normal() * 0.09) }
  return try Tensor.build(shape: [n, d], zeroed: false) { out in
    for i in 0..<n {
      let c = Int(labels[i])
      for j in 0..<d { out[i * d + j] = means[c * d + j] + 0.8 * noise(i * d + j) }
    }
  }
}

/// N x K logits of a biased zero-shot model: log q (Zipf) + 2.5 on the label + noise.
func logits(n: Int, k: Int, labels: [Int32]) throws -> Tensor {
  let logq = (0..<k).map { Float(-log(Double($0 % 997 + 1))) }
  return try Tensor.build(shape: [n, k], zeroed: false) { out in
    for i in 0..<n {
      let y = Int(labels[i])
      for j in 0..<k { out[i * k + j] = logq[j] + (j == y ? 2.5 : 0) + 3 * noise(i * k + j) }
    }
  }
}

/// Logits for labels `i % k`, copied to a Matrix as `estimate_prior` did before it took
/// a `MatrixView`, then GLA on the copy and GLA on a view of the tensor (what it does
/// now): each step timed and its memory printed. Returns the tensor and the copy, for
/// the caller to keep alive through its later phases.
func copyThenGLA(n: Int, k: Int) throws -> (Tensor, Matrix) {
  let y = (0..<n).map { Int32($0 % k) }
  let z = try phase("make the logits tensor (setup)") { try logits(n: n, k: k, labels: y) }
  let ev = try phase("estimatePriorGLA on a view of the tensor (estimate_prior now)") { try viewGLA(z, labels: y) }
  let m = try phase("copy Tensor -> Matrix (estimate_prior before)") { try toMatrix(z) }
  let e = try phase("estimatePriorGLA on the copy") { try estimatePriorGLA(logits: m, labels: y) }
  say("  GLA: \(e.iterations) iterations, converged \(e.converged); view and copy agree bit for bit: \(e == ev)")
  return (z, m)
}

/// GLA on the tensor's own buffer, as `estimate_prior` runs it (`withMatrixView`).
func viewGLA(_ z: Tensor, labels y: [Int32]) throws -> PriorEstimate {
  try z.withFloatBuffer { try estimatePriorGLA(logits: try MatrixView(rows: z.shape[0], cols: z.shape[1], elements: $0), labels: y) }
}

/// The header of a float32 .npy (version 1) of `shape`, padded to 64 bytes.
func npyHeader(_ shape: [Int]) -> String {
  var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", "))), }"
  while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
  return header + "\n"
}

/// Writes a float32 .npy straight from the tensor's buffer.
func writeNPY(_ t: Tensor, _ path: String) throws {
  let header = npyHeader(t.shape)
  var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
  let len = header.utf8.count
  bytes += [UInt8(len & 0xFF), UInt8(len >> 8)] + Array(header.utf8)
  _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
  guard let h = FileHandle(forWritingAtPath: path) else { throw LearnError("cannot write \(path)") }
  defer { try? h.close() }
  try h.seekToEnd()
  try t.withFloatBuffer { b in
    guard let base = b.baseAddress else { return }
    let chunk = 1 << 24
    var i = 0
    while i < b.count {
      let m = min(chunk, b.count - i)
      try h.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base + i), count: m * 4, deallocator: .none))
      i += m
    }
  }
}

let env = ProcessInfo.processInfo.environment
let scenario = CommandLine.arguments.dropFirst().first ?? "gla"
let bigN = Int(env["BOUNDARY_N"] ?? "") ?? 100_000
let bigK = Int(env["BOUNDARY_K"] ?? "") ?? 8142

switch scenario {
case "finetune":
  let (n, d, k) = (bigN, 512, 1000)
  say("finetune: \(n) x \(d) features, \(k) classes, LA, batch 256, 1 epoch (the probe runs 10)")
  let y = (0..<n).map { Int32($0 % k) }
  let x = try phase("make the features tensor (setup)") { try features(n: n, d: d, k: k, labels: y, seed: 1) }
  let m = try phase("copy Tensor -> Matrix (dataset(features:))") { try toMatrix(x) }
  let ds = try phase("Dataset init (label and finite checks)") { try Dataset(features: m, labels: y) }
  var cfg = TrainConfig()
  cfg.loss = .la(tau: 1)
  cfg.epochs = 1
  cfg.batchSize = 256
  cfg.lr = 0.5
  cfg.seed = 7
  _ = try phase("finetune, 1 epoch") { try finetune(features: ds, config: cfg) }
  _ = try phase("copy Matrix -> Tensor (ds.features)") { try toTensor(ds.features) }
  withExtendedLifetime(x) {}

case "gla":
  let (n, k) = (20_000, 1000)
  say("gla: \(n) x \(k) logits")
  let zm = try copyThenGLA(n: n, k: k)
  withExtendedLifetime(zm) {}

case "predict":
  let (n, d, k) = (bigN, 512, bigK)
  say("predict: \(n) x \(d) features -> \(k) logits (linear head)")
  let y = (0..<n).map { Int32($0 % k) }
  // A head 512 -> K from a short fine-tune on one sample per class (setup).
  let small = (0..<k).map { Int32($0) }
  let sx = try toMatrix(try features(n: k, d: d, k: k, labels: small, seed: 2))
  var cfg = TrainConfig()
  cfg.epochs = 1
  cfg.seed = 3
  let model = try phase("fine-tune a \(d) -> \(k) head on \(k) samples (setup)") {
    try finetune(features: try Dataset(features: sx, labels: small), config: cfg).model
  }
  let ds = try Dataset(features: try toMatrix(try features(n: n, d: d, k: k, labels: y, seed: 1)), labels: y)
  let z = try phase("predict (LTLearn, Matrix result)") { try predict(model, ds) }
  let t = try phase("copy Matrix -> Tensor (LearnConvert.value)") { try toTensor(z) }
  say("  logits: \(fmt(Double(t.count * 4) / 1048576, 0)) MiB")
  withExtendedLifetime(z) {}

case "prior":
  let (n, k) = (bigN, bigK)
  say("prior: \(n) x \(k) logits in a heap tensor")
  let (z, m) = try copyThenGLA(n: n, k: k)
  let p = try phase("softmax over the tensor (LTTensor, for scale)") { try z.softmax() }
  withExtendedLifetime((z, m, p)) {}

case "mmap":
  let (n, k) = (bigN, bigK)
  let path = env["BOUNDARY_NPY"] ?? "/tmp/boundary_logits.npy"
  say("mmap: \(n) x \(k) logits from load_npy(\(path), mmap: true)")
  let y = (0..<n).map { Int32($0 % k) }
  let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
  if size != 10 + npyHeader([n, k]).utf8.count + n * k * 4 {
    try phase("write the .npy (setup)") { try writeNPY(try logits(n: n, k: k, labels: y), path) }
  }
  let z = try phase("load_npy mmap: true") { try Tensor.loadNPY(path, mmap: true) }
  say("  memory mapped: \(z.isMemoryMapped)")
  _ = try phase("touch one element per mapped block (views, no copy)") {
    try z.reduceChunks(rows: 1024, initial: Float(0)) { s, b in try b.withFloatBuffer { s + ($0.first ?? 0) } }
  }
  // estimate_prior since issue 15: GLA reads the mapping through a MatrixView.
  let ev = try phase("estimatePriorGLA on a view of the mapping (estimate_prior now)") { try viewGLA(z, labels: y) }
  say("  GLA: \(ev.iterations) iterations, converged \(ev.converged)")
  // Before: args.matrix copied the mapping into a Matrix first.
  let m = try phase("copy Tensor -> Matrix (estimate_prior before)") { try toMatrix(z) }
  let e = try phase("estimatePriorGLA on the copy") { try estimatePriorGLA(logits: m, labels: y) }
  say("  GLA: \(e.iterations) iterations, converged \(e.converged); view and copy agree bit for bit: \(e == ev)")

case "copies":
  // The two copies alone on 100k x 8142, as LTStdlib does them and without the zero-fill.
  let (n, k) = (bigN, bigK)
  say("copies: \(n) x \(k) float32")
  let y = (0..<n).map { Int32($0 % k) }
  let z = try phase("make the logits tensor (setup)") { try logits(n: n, k: k, labels: y) }
  let m = try phase("Tensor -> Matrix, toFloats (LTStdlib)") { try toMatrix(z) }
  func viaInit() throws { _ = try phase("Matrix -> Tensor, Tensor(floats:) (LTStdlib)") { try toTensor(m) } }
  func viaBuild() throws {
    _ = try phase("Matrix -> Tensor, Tensor.build(zeroed: false) + copy") {
      try Tensor.build(shape: [m.rows, m.cols], zeroed: false) { out in
        m.data.withUnsafeBufferPointer { src in _ = out.update(fromContentsOf: src) }
      }
    }
  }
  // BOUNDARY_ORDER=build runs the second variant first (allocator state differs).
  if env["BOUNDARY_ORDER"] == "build" { try viaBuild(); try viaInit() } else { try viaInit(); try viaBuild() }
  // LTStdlib since issue 15: the tensor shares the matrix's buffer, and back.
  let shared = try phase("Matrix -> Tensor, Tensor(sharing:) (LTStdlib now)") { try Tensor(sharing: m.data, shape: [m.rows, m.cols]) }
  let again = try phase("Tensor -> Matrix, sharedFloats (LTStdlib now, round trip)") {
    try Matrix(rows: shared.shape[0], cols: shared.shape[1], data: shared.sharedFloats ?? shared.toFloats())
  }
  say("  round trip kept the buffer: \(again.data.withUnsafeBufferPointer { $0.baseAddress } == m.data.withUnsafeBufferPointer { $0.baseAddress })")
  withExtendedLifetime(z) {}

default:
  say("usage: BoundaryBench finetune|gla|predict|prior|mmap|copies")
}
