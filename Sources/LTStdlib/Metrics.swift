import LTLang
import LTLearn
import LTTensor

/// Metrics. Inputs stream through an accumulator in row blocks, so a memory-mapped
/// logits file larger than memory can be scored.
enum Metrics {
    /// Rows per block: about 32 MiB of float32, so a block's pages are few enough to
    /// release as the scan moves on, and many enough that the per-block work is noise.
    static func blockRows(cols: Int) -> Int { max(1, (32 << 20) / max(1, cols * 4)) }

    /// Feeds logits/probabilities (2-D) or predictions (1-D) into an accumulator.
    static func accumulate(_ args: Arguments, _ name: String, labels: [Int32], nClasses: Int?, probabilities: Bool = false,
                           confusion: Bool = false, bins: Int = 15) throws -> MetricAccumulator {
        func scores(rows: Int, cols: Int, _ blocks: ((Int, Int, UnsafeBufferPointer<Float>) throws -> Void) throws -> Void) throws -> MetricAccumulator {
            let k = nClasses ?? cols
            var acc = try LearnConvert.run { try MetricAccumulator(nClasses: k, bins: bins, trackConfusion: confusion) }
            guard cols == k else { throw LTError("expected \(k) columns (classes), got \(cols)", kind: .value) }
            try blocks { start, rows, block in
                guard let base = block.baseAddress else { return }
                try LearnConvert.run { try acc.add(rows: base, labels: labels[start..<(start + rows)], probabilities: probabilities) }
            }
            return acc
        }
        func rowCount(_ n: Int) throws {
            guard n == labels.count else { throw args.error(name, "'\(args.function)' got \(n) rows of \(name) but \(labels.count) labels") }
        }
        // An unbuilt ensemble (backdoor over mapped files) is scored as its blocks are computed.
        if case .object(let o as TensorObject)? = args.value(name), let lazy = o.unbuiltEnsemble {
            try rowCount(lazy.rows)
            return try scores(rows: lazy.rows, cols: lazy.cols) { feed in try lazy.forEachBlock(feed) }
        }
        let t = try args.tensor(name)
        try rowCount(t.ndim >= 1 ? t.shape[0] : 0)
        if t.ndim == 1 {
            let preds = try args.labels(name)
            let k = nClasses ?? Int(max(preds.max() ?? 0, labels.max() ?? 0)) + 1
            var acc = try LearnConvert.run { try MetricAccumulator(nClasses: k, bins: bins, trackConfusion: confusion) }
            try LearnConvert.run { try acc.add(predictions: preds, labels: labels) }
            return acc
        }
        guard t.ndim == 2 else { throw args.error(name, "\(name) must be 1-D predictions or 2-D scores", kind: .type) }
        return try scores(rows: t.shape[0], cols: t.shape[1]) { feed in
            var start = 0
            _ = try wrap {
                try t.reduceChunks(rows: blockRows(cols: t.shape[1]), initial: 0) { _, block in
                    try args.interpreter.checkInterrupt()
                    let rows = block.shape[0]
                    // float32 blocks are read in place (a mapped file's pages); others are converted per block.
                    try block.withFloatBuffer { b in try feed(start, rows, b) }
                    start += rows
                    return 0
                }
            }
        }
    }

    /// ece and nll on logits without a softmax matrix: each row's softmax is taken as it
    /// streams, so a memory-mapped logits file is scored in flat memory.
    static let fromLogits = BuiltinParameter.keyword("from_logits", "probs are logits; softmax each row as it streams (default false)")

    static func nOption(_ args: Arguments) throws -> Int? {
        try args.given("n") { try args.int($0, in: 1...(1 << 24)) }
    }

    static let builtins: [Builtin] = [
        Builtin("accuracy", family: "Metrics", [.required("x", "N x K logits or probabilities, or N predicted labels"), .required("labels", "N true labels")],
                summary: "Top-1 accuracy.", example: "accuracy(tensor([[2, 1], [0, 3]]), [0, 0])", result: "0.5") { args in
            let y = try args.labels("labels")
            return .number(try accumulate(args, "x", labels: y, nClasses: nil).accuracy)
        },
        Builtin("per_class_accuracy", family: "Metrics",
                [.required("x", "logits, probabilities or predictions"), .required("labels", "true labels"), .keyword("n", "number of classes")],
                summary: "Accuracy of each class, as a tensor (nan for a class with no samples).",
                example: "per_class_accuracy([0, 1, 1], [0, 1, 0]).tolist()", result: "[0.5, 1]") { args in
            let y = try args.labels("labels")
            let acc = try accumulate(args, "x", labels: y, nClasses: try nOption(args))
            return try LearnConvert.vector(acc.perClassAccuracy)
        },
        Builtin("group_accuracy", family: "Metrics",
                [.required("x", "logits, probabilities or predictions"), .required("labels", "true labels"),
                 .required("groups", "the group of each class (from dgroups or pgroups)")],
                summary: "{all, many, medium, few}: top-1 over all samples, and mean per-class accuracy within each group (OLTR).",
                example: "group_accuracy([0, 1, 1], [0, 1, 0], [\"many\", \"few\"])", result: "{all: 0.6666666666666666, many: 0.5, medium: nil, few: 1}") { args in
            let y = try args.labels("labels")
            let names = try args.strings("groups")
            let groups = try names.map { n -> ClassGroup in
                guard let g = ClassGroup(rawValue: n) else { throw args.error("groups", "group names are \"many\", \"medium\" or \"few\", got \(quoteString(n))") }
                return g
            }
            let acc = try accumulate(args, "x", labels: y, nClasses: groups.count)
            let g = try LearnConvert.run { try acc.groupAccuracy(groups) }
            return .record(RecordBox([("all", .number(g.all)), ("many", g.many.map(Value.number) ?? .nil),
                                      ("medium", g.medium.map(Value.number) ?? .nil), ("few", g.few.map(Value.number) ?? .nil)]))
        },
        Builtin("ece", family: "Metrics", [.required("probs", "N x K probabilities"), .required("labels", "true labels"),
                                           .keyword("bins", "equal-width confidence bins (default 15)"), fromLogits],
                summary: "Expected calibration error (Guo et al. 2017), empty bins skipped.",
                example: "ece(tensor([[1, 0], [1, 0]]), [0, 1])", result: "0.5") { args in
            let y = try args.labels("labels")
            let bins = try args.int("bins", default: 15, in: 1...10_000)
            let acc = try accumulate(args, "probs", labels: y, nClasses: nil, probabilities: !(try args.bool("from_logits", default: false)), bins: bins)
            return .number(try LearnConvert.run { try acc.ece() })
        },
        Builtin("nll", family: "Metrics", [.required("probs", "N x K probabilities"), .required("labels", "true labels"), fromLogits],
                summary: "Mean negative log-likelihood of the true labels.",
                example: "round(nll(tensor([[0.5, 0.5]]), [0]), 4)", result: "0.6931") { args in
            let y = try args.labels("labels")
            let acc = try accumulate(args, "probs", labels: y, nClasses: nil, probabilities: !(try args.bool("from_logits", default: false)))
            return .number(try LearnConvert.run { try acc.nll() })
        },
        Builtin("confusion", family: "Metrics", [.required("preds", "predicted labels (or logits)"), .required("labels", "true labels"),
                                                 .keyword("n", "number of classes")],
                summary: "The confusion matrix: row = true class, column = predicted class.",
                example: "confusion([0, 1, 1], [0, 1, 0]).tolist()", result: "[[1, 1], [0, 1]]") { args in
            let y = try args.labels("labels")
            let acc = try accumulate(args, "preds", labels: y, nClasses: try nOption(args), confusion: true)
            let m = try LearnConvert.run { try acc.confusion() }
            return .object(TensorObject(try wrap { try Tensor(rows: m.map { $0.map(Double.init) }) }))
        },
        Builtin("macro_f1", family: "Metrics", [.required("preds", "predicted labels (or logits)"), .required("labels", "true labels")],
                summary: "The unweighted mean of per-class F1 scores.",
                example: "macro_f1([0, 1], [0, 1])", result: "1") { args in
            let y = try args.labels("labels")
            return .number(try accumulate(args, "preds", labels: y, nClasses: nil).macroF1)
        },
    ]
}
