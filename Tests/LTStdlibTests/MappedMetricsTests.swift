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
        let dir = try TemporaryFolder("ltstdlib-mmap")
        defer { dir.remove() }
        let p = dir.url.appendingPathComponent("z.npy").path, q = dir.url.appendingPathComponent("w.npy").path
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

/// backdoor over memory-mapped members stays unbuilt (LazyEnsemble): every metric read
/// straight from it equals the metric on the ensemble built in memory, for both combine
/// rules and weights; shape, dtype and length do not build it; building it later gives
/// the same bits. 1100 x 8142 is two row blocks (1030 + 70).
@Suite struct LazyEnsembleTests {
    @Test func anUnbuiltEnsembleScoresExactlyAsTheBuiltOne() throws {
        let dir = try TemporaryFolder("ltstdlib-lazy")
        defer { dir.remove() }
        let p = dir.url.appendingPathComponent("z.npy").path, q = dir.url.appendingPathComponent("w.npy").path
        let d = dir.url.appendingPathComponent("z64.npy").path
        let source = """
            y = randint(0, 8142, 1100, seed: 3)
            # a true class 11 above N(0, 9) noise: accuracy about 0.45, as in bench/scale
            z = randn(1100, 8142, seed: 1) * 3 + 11 * one_hot(y, 8142)
            w = randn(1100, 8142, seed: 2) * 3 + 11 * one_hot(y, 8142)
            save_npy(z, "\(p)")
            save_npy(w, "\(q)")
            save_npy(tensor(z, dtype: "float64"), "\(d)")
            m = load_npy("\(p)", mmap: true)
            n = load_npy("\(q)", mmap: true)
            g = map(range(8142), fn(c) => if c < 2000 { "many" } else if c < 5000 { "medium" } else { "few" })
            fn lazy() => backdoor([m, n], weights: [0.3, 0.7])
            b = backdoor([z, w], weights: [0.3, 0.7])
            fn same(a, b) => str(a.tolist()) == str(b.tolist())
            ga = group_accuracy(lazy(), y, g)
            gb = group_accuracy(b, y, g)
            l = lazy()
            checks = [
              accuracy(lazy(), y) == accuracy(b, y),
              same(per_class_accuracy(lazy(), y), per_class_accuracy(b, y)),
              [ga.all, ga.many, ga.medium, ga.few] == [gb.all, gb.many, gb.medium, gb.few],
              ece(lazy(), y) == ece(b, y),
              ece(lazy(), y, bins: 7) == ece(b, y, bins: 7),
              nll(lazy(), y) == nll(b, y),
              macro_f1(lazy(), y) == macro_f1(b, y),
              same(confusion(lazy(), y)[0:5, 0:5], confusion(b, y)[0:5, 0:5]),
              accuracy(backdoor([m, n], combine: "logit"), y) == accuracy(backdoor([z, w], combine: "logit"), y),
              nll(backdoor([m, n, m]), y) == nll(backdoor([z, w, z]), y),
              same(argmax(lazy(), axis: 1), argmax(b, axis: 1)),
              same(lazy().argmax(axis: -1, keepdims: true), b.argmax(axis: -1, keepdims: true)),
              argmax(lazy()) == argmax(b),
              [l.shape, l.dtype, l.ndim, l.size, len(l)] == [[1100, 8142], "float32", 2, 1100 * 8142, 1100],
              accuracy(l, y) == accuracy(b, y),
              sum(l != b) == 0,
              accuracy(l, y) == accuracy(b, y),
              sum(backdoor([m, n], combine: "logit") != backdoor([z, w], combine: "logit")) == 0,
              # float64 members (in memory or mapped) are taken as float32
              sum(backdoor([tensor(z, dtype: "float64"), w]) != backdoor([z, w])) == 0,
              accuracy(backdoor([load_npy("\(d)", mmap: true), n]), y) == accuracy(backdoor([z, w]), y),
            ]
            print(checks)
            """
        let (out, err) = GoldenRunner.run(source, name: "lazy.lt")
        #expect(err == "")
        #expect(out == "[" + Array(repeating: "true", count: 20).joined(separator: ", ") + "]\n", "output: \(out)")
    }

    /// A bad weights list is reported at the backdoor call (not at the first use), and a
    /// metric with the wrong number of labels names the argument, as for any tensor.
    @Test func errorsPointAtTheCallThatMadeThem() throws {
        let dir = try TemporaryFolder("ltstdlib-lazyerr")
        defer { dir.remove() }
        let p = dir.url.appendingPathComponent("z.npy").path
        let setup = """
            save_npy(randn(30, 4, seed: 1), "\(p)")
            m = load_npy("\(p)", mmap: true)

            """
        let (_, weights) = GoldenRunner.run(setup + "e = backdoor([m, m], weights: [0.5, 0.6])\n", name: "w.lt")
        #expect(weights.contains("w.lt:3:"), "\(weights)")
        #expect(weights.contains("sum to 1"), "\(weights)")
        let (_, labels) = GoldenRunner.run(setup + "e = backdoor([m, m])\naccuracy(e, [0, 1])\n", name: "l.lt")
        #expect(labels.contains("l.lt:4:10"), "\(labels)")
        #expect(labels.contains("got 30 rows of x but 2 labels"), "\(labels)")
    }
}

/// estimate_prior lends GLA and EM the tensor's buffer (no copy of a loaded or mapped
/// file): the estimates equal those on the same logits in memory, and on a float64 or
/// transposed tensor (which are converted first).
@Suite struct MappedPriorTests {
    @Test func priorsFromAMappedFileEqualThoseInMemory() throws {
        let dir = try TemporaryFolder("ltstdlib-prior")
        defer { dir.remove() }
        let p = dir.url.appendingPathComponent("z.npy").path
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

/// A fresh folder under the system's temporary directory, named for the test and the
/// process, removed by `remove()`.
struct TemporaryFolder {
    let url: URL
    init(_ name: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
}
