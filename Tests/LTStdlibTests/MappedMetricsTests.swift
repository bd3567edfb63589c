import Foundation
import LTLang
import LTStdlib
import Testing

/// The metrics, argmax, softmax and backdoor on a memory-mapped .npy give exactly what
/// they give on the same array in memory. 2100 x 8142 float32 is three row blocks
/// (1030 + 1030 + 40 rows), so the streaming crosses block boundaries and ends on a
/// short block; the bits must not depend on that.
@Suite struct MappedMetricsTests {
    @Test func mappedLogitsScoreExactlyAsInMemory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltstdlib-mmap-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = dir.appendingPathComponent("z.npy").path, q = dir.appendingPathComponent("w.npy").path
        let source = """
            z = randn(2100, 8142, seed: 1) * 3
            w = randn(2100, 8142, seed: 2) * 3
            y = randint(0, 8142, 2100, seed: 3)
            save_npy(z, "\(p)")
            save_npy(w, "\(q)")
            m = load_npy("\(p)", mmap: true)
            n = load_npy("\(q)", mmap: true)
            g = map(range(8142), fn(c) => if c < 2000 { "many" } else if c < 5000 { "medium" } else { "few" })
            ga = group_accuracy(m, y, g)
            gz = group_accuracy(z, y, g)
            bm = backdoor([m, n])
            bz = backdoor([z, w])
            checks = [
              accuracy(m, y) == accuracy(z, y),
              str(per_class_accuracy(m, y).tolist()) == str(per_class_accuracy(z, y).tolist()),
              [ga.all, ga.many, ga.medium, ga.few] == [gz.all, gz.many, gz.medium, gz.few],
              ece(softmax(m), y) == ece(softmax(z), y),
              nll(softmax(m), y) == nll(softmax(z), y),
              ece(m, y, from_logits: true) == ece(z, y, from_logits: true),
              nll(m, y, from_logits: true) == nll(z, y, from_logits: true),
              # logits streamed vs probabilities from softmax: float32 rounding only
              abs(ece(m, y, from_logits: true) - ece(softmax(z), y)) < 1e-5,
              abs(nll(m, y, from_logits: true) - nll(softmax(z), y)) < 1e-5,
              argmax(m, axis: 1).tolist() == argmax(z, axis: 1).tolist(),
              sum(bm != bz) == 0,
              accuracy(bm, y) == accuracy(bz, y),
              # the streamed rule, bit for bit: sum_c w_c softmax(z_c) in member order
              sum(backdoor([m, n, z], weights: [0.25, 0.5, 0.25]) != 0.25 * softmax(z) + 0.5 * softmax(w) + 0.25 * softmax(z)) == 0,
            ]
            print(checks)
            """
        let (out, err) = GoldenRunner.run(source, name: "mapped.lt")
        #expect(err == "")
        #expect(out == "[" + Array(repeating: "true", count: 13).joined(separator: ", ") + "]\n", "output: \(out)")
    }
}

/// estimate_prior lends GLA and EM the tensor's buffer (no copy of a loaded or mapped
/// file): the estimates equal those on the same logits in memory, and on a float64 or
/// transposed tensor (which are converted first).
@Suite struct MappedPriorTests {
    @Test func priorsFromAMappedFileEqualThoseInMemory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltstdlib-prior-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = dir.appendingPathComponent("z.npy").path
        let source = """
            y = map(range(600), fn(i) => i % 12)
            z = randn(600, 12, seed: 4) + 2 * one_hot(y, 12)
            save_npy(z, "\(p)")
            m = load_npy("\(p)", mmap: true)
            wt = randn(12, 600, seed: 5).T
            fn same(a, b) => str(a.tolist()) == str(b.tolist())
            checks = [
              same(estimate_prior(m, y), estimate_prior(z, y)),
              same(estimate_prior(m, y, calibrate: true), estimate_prior(z, y, calibrate: true)),
              same(estimate_prior(m, y, class_balanced: false), estimate_prior(z, y, class_balanced: false)),
              same(estimate_prior(m, method: "em"), estimate_prior(z, method: "em")),
              same(estimate_prior(tensor(z, dtype: "float64"), y), estimate_prior(z, y)),
              same(estimate_prior(wt, y), estimate_prior(wt + 0, y)),
            ]
            print(checks)
            """
        let (out, err) = GoldenRunner.run(source, name: "prior.lt")
        #expect(err == "")
        #expect(out == "[" + Array(repeating: "true", count: 6).joined(separator: ", ") + "]\n", "output: \(out)")
    }
}
