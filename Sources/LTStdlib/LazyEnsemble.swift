import Foundation
import LTLang
import LTLearn
import LTTensor

/// The backdoor adjustment over tensor members, computed row block by row block (the
/// rule is row-wise, so any partition into blocks gives the bits of one call on the
/// whole arrays). Over memory-mapped members `backdoor` returns it unbuilt: metrics
/// read it with `forEachBlock`, so N x K probabilities are never allocated and memory
/// stays at about one block per member whatever the files' size; any other use builds
/// the tensor once (`tensor()`) from the same blocks, so both give the same numbers.
final class LazyEnsemble: @unchecked Sendable {
    let members: [Tensor]
    /// P(c) of each member, already checked (sum to 1 for `prob`).
    let weights: [Double]?
    let combine: BackdoorCombine
    let rows: Int, cols: Int
    /// Rows per block, the metrics' (`Metrics.blockRows`), so streamed and built
    /// results also feed a metric identical blocks.
    let blockRows: Int
    /// Checked for Ctrl-C once per block; weak: the interpreter's globals may hold this.
    private weak var interpreter: Interpreter?
    private let lock = NSLock()
    private var built: Tensor?

    /// Members must be 2-D tensors of one shape; the weights are checked here, so a bad
    /// `weights:` is reported at the `backdoor` call, not at the first use.
    init(members: [Tensor], weights: [Double]?, combine: BackdoorCombine, interpreter: Interpreter) throws {
        let (n, k) = (members[0].shape[0], members[0].shape[1])
        // Same weights checks and messages as LTLearn's backdoor (zero 1-row members).
        _ = try LearnConvert.run { try backdoor(members.map { _ in Matrix(rows: 1, cols: k) }, weights: weights, combine: combine) }
        self.members = members
        self.weights = weights
        self.combine = combine
        (rows, cols) = (n, k)
        blockRows = Metrics.blockRows(cols: k)
        self.interpreter = interpreter
    }

    var shape: [Int] { [rows, cols] }

    /// Whether the tensor has been built (by a use other than a metric).
    var isBuilt: Bool { lock.withLock { built != nil } }

    /// The whole N x K tensor, built on first use and kept.
    func tensor() throws -> Tensor {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let t = try wrap {
            // Not zeroed: every block is written in full.
            try Tensor.build(shape: shape, zeroed: false) { out in
                guard let base = out.baseAddress else { return }
                try walk(target: { start, r in UnsafeMutableBufferPointer(start: base + start * self.cols, count: r * self.cols) },
                         { _, _, _ in })
            }
        }
        built = t
        return t
    }

    /// Calls `body(start, rows, block)` on consecutive blocks of the ensemble's rows,
    /// each computed into one reused buffer (nothing N x K is allocated).
    func forEachBlock(_ body: (Int, Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        var block = [Float](repeating: 0, count: Swift.min(blockRows, rows) * cols)
        try block.withUnsafeMutableBufferPointer { all in
            guard let base = all.baseAddress else { return }
            try walk(target: { _, r in UnsafeMutableBufferPointer(start: base, count: r * self.cols) }) { start, r, out in
                try body(start, r, UnsafeBufferPointer(out))
            }
        }
    }

    /// argmax along the classes (axis 1), row block by row block, by the kernel the built
    /// tensor's `argmax(axis: 1)` runs: the same predictions without the N x K tensor.
    func rowArgmax(keepdims: Bool) throws -> Tensor {
        guard cols > 0 else { return try tensor().argmax(axis: 1, keepdims: keepdims) }  // its error
        return try wrap {
            try Tensor.buildInt32(shape: keepdims ? [rows, 1] : [rows]) { out in
                guard let o = out.baseAddress else { return }
                try forEachBlock { start, r, block in
                    if let x = block.baseAddress { Tensor.rowArgmax(x, rows: r, cols: cols, into: o + start) }
                }
            }
        }
    }

    /// Walks the members in lockstep (`Tensor.forEachChunk`: mapped members are read
    /// sequentially and each block's pages released), computing each block into the
    /// buffer `target(start, rows)` gives, then calling `after` on it.
    private func walk(target: (Int, Int) -> UnsafeMutableBufferPointer<Float>,
                      _ after: (Int, Int, UnsafeMutableBufferPointer<Float>) throws -> Void) throws {
        // One member's softmax block, for members 1..M-1 of `prob`.
        var scratch = [Float](repeating: 0, count: combine == .prob && members.count > 1 ? Swift.min(blockRows, rows) * cols : 0)
        try scratch.withUnsafeMutableBufferPointer { scratch in
            try wrap {
                try Tensor.forEachChunk(of: members, rows: blockRows) { start, blocks in
                    try interpreter?.checkInterrupt()
                    let r = blocks[0].shape[0]
                    let out = target(start, r)
                    try fill(blocks, out, scratch)
                    try after(start, r, out)
                }
            }
        }
    }

    /// One block of the rule into `out` (r x K): for `prob`, sum_c w_c softmax(z_c),
    /// added member by member in order as LTLearn's backdoor does (0 + w_0 p_0 is
    /// w_0 p_0, so the first member is scaled in place); for `logit`, LTLearn's
    /// backdoor on the block.
    private func fill(_ blocks: [Tensor], _ out: UnsafeMutableBufferPointer<Float>, _ scratch: UnsafeMutableBufferPointer<Float>) throws {
        let count = out.count
        guard combine == .prob else {
            let r = blocks[0].shape[0]
            let mats = try blocks.map { b in
                try b.withFloatBuffer { f in try LearnConvert.run { try Matrix(rows: r, cols: cols, data: Array(f)) } }
            }
            let p = try LearnConvert.run { try backdoor(mats, weights: weights, combine: combine) }
            p.data.withUnsafeBufferPointer { src in
                if let s = src.baseAddress, let o = out.baseAddress { o.update(from: s, count: Swift.min(src.count, count)) }
            }
            return
        }
        let w = weights ?? [Double](repeating: 1 / Double(blocks.count), count: blocks.count)
        // Members of another dtype are taken as float32, as LTLearn's matrices hold them.
        let blocks = try blocks.map { $0.dtype == .float32 ? $0 : try $0.astype(.float32) }
        try blocks[0].softmax(into: out)
        let f0 = Float(w[0])
        for i in 0..<count { out[i] = f0 * out[i] }
        for c in blocks.indices.dropFirst() {
            let f = Float(w[c])
            let p = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
            try blocks[c].softmax(into: p)
            for i in 0..<count { out[i] += f * p[i] }
        }
    }
}
