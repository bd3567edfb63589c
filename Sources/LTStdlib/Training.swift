import Foundation
import LTLang
import LTLearn
import LTTensor

/// LT-Synth and model built-ins: generating worlds, features, zero-shot logits and
/// fine-tuning.
enum Training {
    static let synthParams: [BuiltinParameter] = [
        .keyword("classes", "number of classes K (default 100)"), .keyword("factors", "semantic factors F (default 4)"),
        .keyword("dim", "latent dimensions per factor (default 16)"), .keyword("models", "foundation models M (default 3)"),
        .keyword("observed", "width of the mixed observation (default 96)"),
        .keyword("nuisance", "pure-noise input dimensions (default 32)"),
        .keyword("gain", "gain of the nonlinear mixing map (default 4)"),
        .keyword("observation_noise", "noise on every observed dimension (default 0.3)"),
        .keyword("weak_visibility", "visibility of a model's weak factor in its pre-training data (default 0.6)"),
        .keyword("pretrain_imbalance", "imbalance of each model's Zipf pre-training prior (default 100)"),
        .keyword("pretrain_samples", "pre-training samples per model (default 40000)"),
        .keyword("pretrain_epochs", "pre-training epochs (default 4)"), .keyword("hidden", "encoder width (default 128)"),
        .keyword("imbalance", "downstream imbalance factor (default 100)"), .keyword("max", "largest downstream class (default 500)"),
        .keyword("order", "downstream class order: \"random\", \"consistent\", \"reverse\" or \"balanced\""),
        .keyword("order_model", "the model whose prior consistent/reverse follow (default 0)"),
        .keyword("visibility", "probability each factor is visible (one number or one per factor; default 0.8)"),
        .keyword("noise", "latent noise around prototypes (default 1.4)"), .keyword("seed", "the seed that determines everything"),
    ]

    static func config(_ args: Arguments) throws -> SynthConfig {
        var c = SynthConfig()
        if args.value("classes") != nil { c.classes = try args.int("classes", in: 2...10_000) }
        if args.value("factors") != nil { c.factors = try args.int("factors", in: 1...64) }
        if args.value("dim") != nil { c.dim = try args.int("dim", in: 1...4096) }
        if args.value("models") != nil { c.models = try args.int("models", in: 1...16) }
        if args.value("observed") != nil { c.observed = try args.int("observed", in: 1...4096) }
        if args.value("nuisance") != nil { c.nuisance = try args.int("nuisance", in: 0...4096) }
        if args.value("gain") != nil { c.gain = try args.number("gain") }
        if args.value("observation_noise") != nil { c.observationNoise = try args.number("observation_noise") }
        if args.value("weak_visibility") != nil { c.weakVisibility = try args.number("weak_visibility") }
        if args.value("pretrain_epochs") != nil { c.pretrainEpochs = try args.int("pretrain_epochs", in: 0...1000) }
        if args.value("hidden") != nil { c.hidden = try args.int("hidden", in: 1...4096) }
        if args.value("pretrain_imbalance") != nil { c.pretrainImbalance = try args.number("pretrain_imbalance") }
        if args.value("pretrain_samples") != nil { c.pretrainSamples = try args.int("pretrain_samples", in: 1...10_000_000) }
        if args.value("imbalance") != nil { c.imbalance = try args.number("imbalance") }
        if args.value("max") != nil { c.maxPerClass = try args.int("max", in: 1...1_000_000) }
        if args.value("order") != nil {
            c.order = SynthOrder(rawValue: try args.choice("order", SynthOrder.allCases.map(\.rawValue), default: "random")) ?? .random
        }
        if args.value("order_model") != nil { c.orderModel = try args.int("order_model", in: 0...15) }
        if args.value("visibility") != nil { c.visibility = try args.numbers("visibility") }
        if args.value("noise") != nil { c.noise = try args.number("noise") }
        c.seed = args.value("seed") == nil ? 0 : UInt64(try args.int("seed", in: 0...Int.max))
        return c
    }

    static func worldRecord(_ w: SynthWorld) -> Value {
        .record(RecordBox([
            ("train", .object(DatasetObject(w.train, name: "train"))),
            ("val", .object(DatasetObject(w.val, name: "val"))),
            ("test", .object(DatasetObject(w.test, name: "test"))),
            ("models", .list(ListBox(w.models.map { .object(ModelObject($0)) }))),
            ("priors", .list(ListBox(w.priors.map { p in (try? LearnConvert.vector(p)) ?? .nil }))),
            ("world", .object(WorldObject(w))),
        ]))
    }

    static func world(_ args: Arguments) throws -> SynthWorld {
        let v = try args.required("world")
        if case .record(let r) = v, case .object(let w as WorldObject)? = r["world"] { return w.world }
        if case .object(let w as WorldObject) = v { return w.world }
        throw args.typeError("world", "the record synth(...) returns", v)
    }

    static func trainConfig(_ args: Arguments) throws -> TrainConfig {
        var c = TrainConfig()
        let loss = try args.choice("loss", ["ce", "la", "bs", "focal", "cb"], default: "ce")
        c.loss = try LearnConvert.run {
            try LossKind.named(loss, tau: try args.number("tau", default: 1), gamma: try args.number("gamma", default: 2),
                               beta: try args.number("beta", default: 0.9999))
        }
        c.epochs = try args.int("epochs", default: c.epochs, in: 1...100_000)
        c.batchSize = try args.int("batch", default: c.batchSize, in: 1...(1 << 24))
        c.lr = try args.number("lr", default: c.lr)
        c.weightDecay = try args.number("wd", default: c.weightDecay)
        c.momentum = try args.number("momentum", default: c.momentum)
        c.optimizer = OptimizerKind(rawValue: try args.choice("optimizer", ["sgd", "adamw"], default: "sgd")) ?? .sgd
        let schedule = try args.choice("schedule", ["cosine", "step", "constant"], default: "cosine")
        c.schedule = try LearnConvert.run { try Schedule.named(schedule) }
        c.head = HeadKind(rawValue: try args.choice("head", ["linear", "cosine", "adapter"], default: "linear")) ?? .linear
        c.scale = try args.number("scale", default: c.scale)
        c.initFromZeroShot = try args.bool("init_zero_shot", default: c.initFromZeroShot)
        c.seed = try args.seed()
        return c
    }

    static let trainParams: [BuiltinParameter] = [
        .keyword("loss", "\"ce\" (default), \"la\", \"bs\", \"focal\" or \"cb\""), .keyword("tau", "LA temperature (default 1)"),
        .keyword("gamma", "focal gamma (default 2)"), .keyword("beta", "class-balanced beta (default 0.9999)"),
        .keyword("epochs", "passes over the data (default 10)"), .keyword("batch", "mini-batch size (default 128)"),
        .keyword("lr", "learning rate (default 0.01)"), .keyword("wd", "weight decay (default 5e-4)"),
        .keyword("momentum", "SGD momentum (default 0.9)"), .keyword("optimizer", "\"sgd\" (default) or \"adamw\""),
        .keyword("schedule", "\"cosine\" (default), \"step\" or \"constant\""),
        .keyword("head", "\"linear\" (default), \"cosine\" or \"adapter\""), .keyword("scale", "cosine-head scale (default 25)"),
        .keyword("init_zero_shot", "start from the model's zero-shot head when it has one (default true)"),
        .keyword("seed", "seed of initialisation and batch order"), .keyword("val", "a validation set: keep the best epoch"),
    ]

    /// Progress of long-running built-ins; the REPL installs a drawer for a bar on stderr.
    static func progress(_ args: Arguments, _ what: String) -> TrainProgress {
        let reporter = args.interpreter.userData[ProgressReporter.key] as? ProgressReporter
        return { epoch, total, loss in
            reporter?.draw?(what, epoch, total, loss)
            return !interruptRequested.load(ordering: .relaxed)
        }
    }

    static func checkInterrupted(_ report: TrainReport) throws {
        if report.interrupted { throw LTError("interrupted", kind: .interrupt) }
    }

    static let builtins: [Builtin] = [
        Builtin("synth", family: "LT-Synth", synthParams,
                summary: "Generates an LT-Synth world: {train, val, test, models, priors, world}, fully determined by the seed.",
                errors: ["It is an error if a size is out of range or a visibility is not in (0, 1]."],
                example: "w = synth(classes: 5, models: 1, pretrain_samples: 200, max: 40, seed: 1); [len(w.models), w.train.n_classes]",
                result: "[1, 5]") { args in
            let c = try config(args)
            return worldRecord(try LearnConvert.run { try synth(c) })
        },
        Builtin("sample", family: "LT-Synth",
                [.required("world", "a synth(...) record"), .keyword("per_class", "samples of every class (default 100)"),
                 .keyword("visibility", "factor visibility probabilities: one per factor, or a list of such rows, one per class (default: the world's)"), .keyword("seed", "sampling seed")],
                summary: "Draws a fresh balanced dataset from an LT-Synth world, optionally with another factor visibility (per class, to correlate visibility with the label).",
                example: "w = synth(classes: 4, models: 1, pretrain_samples: 100, max: 20, seed: 0); sample(w, per_class: 3, seed: 1).size",
                result: "12") { args in
            let w = try world(args)
            let n = try args.int("per_class", default: 100, in: 0...1_000_000)
            let vis = try args.given("visibility", args.rows)
            let seed = try args.seed()
            return .object(DatasetObject(try LearnConvert.run { try sample(w, perClass: n, classVisibility: vis, seed: seed) }, name: "sample"))
        },
        Builtin("features", family: "Models", [.required("model", "a model"), .required("ds", "a dataset")],
                summary: "The model's frozen features of a dataset (N x dim).",
                example: "type(features)", result: "\"function\"") { args in
            let m = try args.model("model"), ds = try args.dataset("ds")
            return try LearnConvert.value(try LearnConvert.run { try features(m, ds) })
        },
        Builtin("zero_shot", family: "Models", [.required("model", "a pre-trained model"), .required("ds", "a dataset")],
                summary: "The model's zero-shot logits (its pre-trained head) on a dataset.",
                errors: ["It is an error if the model has no zero-shot head."],
                example: "type(zero_shot)", result: "\"function\"") { args in
            let m = try args.model("model"), ds = try args.dataset("ds")
            return try LearnConvert.value(try LearnConvert.run { try zeroShot(m, ds) })
        },
        Builtin("predict", family: "Models", [.required("model", "a model"), .required("ds", "a dataset")],
                summary: "The model's logits on a dataset.", example: "type(predict)", result: "\"function\"") { args in
            let m = try args.model("model"), ds = try args.dataset("ds")
            return try LearnConvert.value(try LearnConvert.run { try predict(m, ds) })
        },
        Builtin("flops", family: "Models", [.required("model", "a model")],
                summary: "Floating-point operations per sample of the model's inference (2 per multiply-add).",
                example: "type(flops)", result: "\"function\"") { args in
            .number(Double(flops(try args.model("model"))))
        },
        Builtin("finetune", family: "Models",
                [.required("model", "a model (its frozen features are used), or a dataset of raw features"),
                 .optional("ds", "the training set (when a model is given)")] + trainParams,
                summary: "Trains a new head on frozen features with the chosen loss; returns the fine-tuned model.",
                errors: ["It is an error if an option is unknown or out of range, or the data do not match the model."],
                example: "ds = dataset(features: tensor([[1, 0], [0, 1], [1, 0.1], [0.1, 1]]), labels: [0, 1, 0, 1]); m = finetune(ds, epochs: 20, lr: 0.5, seed: 0); accuracy(predict(m, ds), ds.labels)",
                result: "1") { args in
            let config = try trainConfig(args)
            let val = try args.given("val", args.dataset)
            let result: TrainResult
            if case .object(let d as DatasetObject) = try args.required("model") {
                if args.value("ds") != nil { throw args.error("ds", "give either a model and a dataset, or a dataset of features alone") }
                result = try LearnConvert.run { try finetune(features: d.dataset, config: config, val: val, progress: progress(args, "finetune")) }
            } else {
                let m = try args.model("model"), ds = try args.dataset("ds")
                result = try LearnConvert.run { try finetune(m, on: ds, config: config, val: val, progress: progress(args, "finetune")) }
            }
            try checkInterrupted(result.report)
            return .object(ModelObject(result.model))
        },
        Builtin("train_scratch", family: "Models",
                [.required("ds", "the training set (raw features)"), .keyword("hidden", "encoder width (default 64)")] + trainParams,
                summary: "Trains an encoder and head from scratch on the dataset alone (no pre-training, so no pre-training bias).",
                example: "type(train_scratch)", result: "\"function\"") { args in
            let ds = try args.dataset("ds")
            let hidden = try args.int("hidden", default: 64, in: 1...65536)
            let config = try trainConfig(args)
            let val = try args.given("val", args.dataset)
            let result = try LearnConvert.run { try trainFromScratch(ds, hidden: hidden, config: config, val: val, progress: progress(args, "train")) }
            try checkInterrupted(result.report)
            return .object(ModelObject(result.model))
        },
        Builtin("ce_loss", family: "Models", [.required("logits", "N x K logits"), .required("labels", "N labels")],
                summary: "Mean cross-entropy of softmax(logits) against the labels.",
                example: "round(ce_loss(tensor([[0, 0]]), [1]), 4)", result: "0.6931") { args in
            let z = try args.matrix("logits"), y = try args.labels("labels")
            return .number(try LearnConvert.run { try ceLoss(z, y) })
        },
        Builtin("la_loss", family: "Models",
                [.required("logits", "N x K logits"), .required("labels", "N labels"), .required("prior", "the training label prior"),
                 .keyword("tau", "temperature (default 1)")],
                summary: "The logit-adjusted loss CE(logits + tau log prior) of Menon et al. (ICLR 2021).",
                example: "round(la_loss(tensor([[0, 0]]), [1], [0.5, 0.5]), 4)", result: "0.6931") { args in
            let z = try args.matrix("logits"), y = try args.labels("labels"), p = try args.vector("prior")
            let tau = try args.number("tau", default: 1)
            return .number(try LearnConvert.run { try laLoss(z, y, prior: p, tau: tau) })
        },
    ]
}

/// Draws progress of long-running built-ins (the REPL sets `draw` on a terminal).
public final class ProgressReporter {
    /// Where the host keeps it in `Interpreter.userData`; "host." keys survive `reset()`.
    public static let key = "host.progress"
    public var draw: ((_ what: String, _ step: Int, _ total: Int, _ loss: Double) -> Void)?
    public init() {}
}
