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
            guard case .object(let o as TensorObject) = v, o.shape.count == 2 else { return nil }
            out.append(try o.tensor)
        }
        guard let first = out.first, out.allSatisfy({ $0.shape == first.shape }) else { return nil }
        return out
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
                summary: "The backdoor adjustment P(Y | do(X)) = sum_c P(Y | X, c) P(c) over foundation models; returns probabilities. Over memory-mapped members the N x K result is built only when needed: metrics and argmax(axis: 1) read it block by block as it is computed.",
                errors: ["It is an error if members differ in shape or prob weights do not sum to 1 (reported at the call, built or not)."],
                example: "backdoor([tensor([[0, 0]]), tensor([[0, 0]])]).tolist()", result: "[[0.5, 0.5]]") { args in
            let ds = try args.given("ds", args.dataset)
            let w = try args.given("weights", args.numbers)
            let combine = BackdoorCombine(rawValue: try args.choice("combine", ["prob", "logit"], default: "prob")) ?? .prob
            if let tensors = try memberTensors(args, "members") {
                let lazy = try LazyEnsemble(members: tensors, weights: w, combine: combine, interpreter: args.interpreter)
                // Over memory-mapped members the result stays unbuilt until a use other than
                // a metric needs it (LazyEnsemble); over tensors in memory it is built now.
                if tensors.contains(where: \.isMemoryMapped) {
                    return .object(TensorObject(lazy))
                }
                return .object(TensorObject(try lazy.tensor()))
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
