import LTLang
import LTLearn
import LTTensor

/// Label-prior estimation, logit adjustment and ensembles (the backdoor adjustment).
enum PriorsEnsembles {
    static func logitsList(_ args: Arguments, _ name: String, ds: Dataset?) throws -> [Matrix] {
        let l = try args.list(name)
        guard !l.items.isEmpty else { throw args.error(name, "'\(args.function)' needs at least one member") }
        return try l.items.enumerated().map { i, v in
            switch v {
            case .object(let m as ModelObject):
                guard let ds else { throw args.error(name, "member \(i) is a model; pass the dataset as the second argument", kind: .type) }
                return try LearnConvert.run { try predict(m.model, ds) }
            default:
                let t = try TensorConvert.tensor(from: v, dtype: .float32)
                guard t.ndim == 2 else { throw args.error(name, "member \(i) must be 2-D logits, got shape \(formatShape(t.shape))", kind: .type) }
                return try LearnConvert.matrix(t)
            }
        }
    }

    /// The members as 2-D tensors of one shape, or nil when some member is a model (or
    /// not a tensor: logitsList then names the problem).
    static func memberTensors(_ args: Arguments, _ name: String) throws -> [Tensor]? {
        let l = try args.list(name)
        var out: [Tensor] = []
        for v in l.items {
            guard case .object(let o as TensorObject) = v, o.tensor.ndim == 2 else { return nil }
            out.append(o.tensor)
        }
        guard let first = out.first, out.allSatisfy({ $0.shape == first.shape }) else { return nil }
        return out
    }

    /// backdoor over tensors, row block by row block: the rule is row-wise, so the bits
    /// equal one call on the whole arrays, but only one block of each member is copied
    /// at a time (members may be memory-mapped files larger than memory; the output,
    /// N x K probabilities, is the only full-size allocation).
    static func streamBackdoor(_ args: Arguments, _ members: [Tensor], weights: [Double]?, combine: BackdoorCombine) throws -> Tensor {
        let (n, k) = (members[0].shape[0], members[0].shape[1])
        let rows = Metrics.blockRows(cols: k)
        if combine == .prob {
            // Same weights checks and messages as LTLearn's backdoor (zero 1-row members).
            _ = try LearnConvert.run { try backdoor(members.map { _ in Matrix(rows: 1, cols: k) }, weights: weights, combine: .prob) }
            let w = weights ?? [Double](repeating: 1 / Double(members.count), count: members.count)
            return try wrap {
                // Not zeroed: member 0's softmax writes every element first.
                try Tensor.build(shape: [n, k], zeroed: false) { out in
                    guard let base = out.baseAddress else { return }
                    // One scratch block for members 1..M-1; member 0 is written in place.
                    var scratch = [Float](repeating: 0, count: members.count > 1 ? min(rows, n) * k : 0)
                    try Tensor.forEachChunk(of: members, rows: rows) { start, blocks in
                        try args.interpreter.checkInterrupt()
                        let count = blocks[0].count
                        let o = UnsafeMutableBufferPointer(start: base + start * k, count: count)
                        // sum_c w_c softmax(z_c), added member by member in order as LTLearn
                        // does (0 + w_0 p_0 is w_0 p_0, so the first member is scaled in place).
                        try blocks[0].softmax(into: o)
                        let f0 = Float(w[0])
                        for i in 0..<count { o[i] = f0 * o[i] }
                        for c in blocks.indices.dropFirst() {
                            let f = Float(w[c])
                            try scratch.withUnsafeMutableBufferPointer { all in
                                let p = UnsafeMutableBufferPointer(rebasing: all[0..<count])
                                try blocks[c].softmax(into: p)
                                for i in 0..<count { o[i] += f * p[i] }
                            }
                        }
                    }
                }
            }
        }
        return try wrap {
            try Tensor.build(shape: [n, k]) { out in
                guard let base = out.baseAddress else { return }
                _ = try members[0].reduceChunks(rows: rows, initial: 0) { start, first in
                    try args.interpreter.checkInterrupt()
                    let stop = start + first.shape[0]
                    let blocks = try [first] + members.dropFirst().map { try $0.index([.slice(start, stop, 1)]) }
                    let mats = try blocks.map { b in
                        try b.withFloatBuffer { f in try LearnConvert.run { try Matrix(rows: stop - start, cols: k, data: Array(f)) } }
                    }
                    let p = try LearnConvert.run { try backdoor(mats, weights: weights, combine: combine) }
                    p.data.withUnsafeBufferPointer { src in
                        if let s = src.baseAddress { (base + start * k).update(from: s, count: src.count) }
                    }
                    return stop
                }
            }
        }
    }

    static let builtins: [Builtin] = [
        Builtin("estimate_prior", family: "Priors",
                [.required("logits", "N x K logits (for bbse: of labelled source data)"),
                 .optional("labels", "N labels (gla, bbse; not needed for em)"),
                 .keyword("method", "\"gla\" (default), \"em\" or \"bbse\""),
                 .keyword("calibrate", "gla: first calibrate the temperature so confidence matches accuracy"),
                 .keyword("class_balanced", "gla: weight each sample by 1 / (K n_y), as GLA's derivation assumes (default true; false: the plain sample mean)"),
                 .keyword("source_prior", "em: the prior the classifier was trained under (default uniform)"),
                 .keyword("target", "bbse: logits of the unlabelled target data")],
                summary: "Estimates a label prior: GLA's pre-training prior (class-balanced cross-entropy fit), or the target prior by EM (Saerens et al.) or BBSE.",
                errors: ["It is an error if logits hold NaN, labels are out of range, or a class has no labelled sample (gla)."],
                example: "p = estimate_prior(tensor([[2, 0], [0, 2], [3, 0], [1, 2]]), [0, 1, 0, 1]); round(sum(p), 6)",
                result: "1") { args in
            let method = try args.choice("method", ["gla", "em", "bbse"], default: "gla")
            let estimate: PriorEstimate
            // GLA and EM read the logits where they are (no copy of a loaded file).
            switch method {
            case "em":
                let source = try args.given("source_prior", args.vector)
                estimate = try args.withMatrixView("logits") { z in
                    try estimatePriorEM(logits: z, sourcePrior: source ?? [Double](repeating: 1 / Double(z.cols), count: z.cols))
                }
            case "bbse":
                let z = try args.matrix("logits")
                guard args.value("target") != nil else { throw args.error("method", "bbse needs target: (the target logits)") }
                let y = try args.labels("labels"), t = try args.matrix("target")
                estimate = try LearnConvert.run { try estimatePriorBBSE(sourceLogits: z, sourceLabels: y, targetLogits: t) }
            default:
                guard args.value("labels") != nil else { throw args.error("labels", "gla needs the labels of a (balanced) labelled set") }
                let y = try args.labels("labels")
                let calibrate = try args.bool("calibrate", default: false)
                let balanced = try args.bool("class_balanced", default: true)
                estimate = try args.withMatrixView("logits") { z in
                    try estimatePriorGLA(logits: z, labels: y, classBalanced: balanced, calibrateTemperature: calibrate)
                }
            }
            return try LearnConvert.vector(estimate.prior)
        },
        Builtin("adjust", family: "Priors",
                [.required("logits", "N x K logits"), .required("prior", "a prior over the K classes"), .keyword("tau", "strength (default 1)")],
                summary: "Removes a prior from logits: logits - tau * log(prior).",
                errors: ["It is an error if the prior has zeros, negatives or does not sum to 1."],
                example: "adjust(tensor([[0, 0]]), [0.5, 0.5]).tolist()", result: "[[0.6931471824645996, 0.6931471824645996]]") { args in
            let z = try args.matrix("logits"), p = try args.vector("prior")
            let tau = try args.number("tau", default: 1)
            return try LearnConvert.value(try LearnConvert.run { try adjust(z, prior: p, tau: tau) })
        },
        Builtin("backdoor", family: "Ensembles",
                [.required("members", "a list of logits tensors, or of models"), .optional("ds", "the dataset, when members are models"),
                 .keyword("weights", "P(c) of each member (default 1/M)"),
                 .keyword("combine", "\"prob\" (default): sum_c w_c softmax(z_c); \"logit\": softmax(sum_c w_c z_c)")],
                summary: "The backdoor adjustment P(Y | do(X)) = sum_c P(Y | X, c) P(c) over foundation models; returns probabilities.",
                errors: ["It is an error if members differ in shape or prob weights do not sum to 1."],
                example: "backdoor([tensor([[0, 0]]), tensor([[0, 0]])]).tolist()", result: "[[0.5, 0.5]]") { args in
            let ds = try args.given("ds", args.dataset)
            let w = try args.given("weights", args.numbers)
            let combine = BackdoorCombine(rawValue: try args.choice("combine", ["prob", "logit"], default: "prob")) ?? .prob
            if let tensors = try memberTensors(args, "members") {
                return .object(TensorObject(try streamBackdoor(args, tensors, weights: w, combine: combine)))
            }
            let members = try logitsList(args, "members", ds: ds)
            return try LearnConvert.value(try LearnConvert.run { try backdoor(members, weights: w, combine: combine) })
        },
        Builtin("ensemble", family: "Ensembles",
                [.required("members", "a list of logits tensors, or of models"), .optional("ds", "the dataset, when members are models"),
                 .keyword("method", "\"mean_prob\" (default), \"mean_logit\" or \"vote\"")],
                summary: "Combines members' predictions by mean probability, mean logit or majority vote.",
                example: "ensemble([tensor([[2, 0]]), tensor([[0, 1]])], method: \"vote\").argmax(axis: 1).tolist()", result: "[0]") { args in
            let ds = try args.given("ds", args.dataset)
            let members = try logitsList(args, "members", ds: ds)
            let method = EnsembleMethod(rawValue: try args.choice("method", ["mean_prob", "mean_logit", "vote"], default: "mean_prob")) ?? .meanProb
            return try LearnConvert.value(try LearnConvert.run { try ensemble(members, method: method) })
        },
    ]
}
