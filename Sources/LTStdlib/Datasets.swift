import LTLang
import LTLearn
import LTTensor

/// Dataset built-ins: building, splitting, long-tailing and grouping classes.
enum Datasets {
    static func groupsValue(_ groups: [ClassGroup]) -> Value {
        .list(ListBox(groups.map { .string($0.rawValue) }))
    }

    static func counts(_ args: Arguments, _ name: String) throws -> [Int] {
        if case .object(let d as DatasetObject) = try args.required(name) { return d.dataset.classCounts }
        return try args.vector(name).enumerated().map { i, v in
            guard v.isFinite, v == v.rounded(), v >= 0, let n = Int(exactly: v), n < 1 << 53 else {
                throw args.error(name, "counts must be whole numbers in 0...2^53, but element \(i) is \(formatNumber(v))")
            }
            return n
        }
    }

    static let builtins: [Builtin] = [
        Builtin("dataset", family: "Datasets",
                [.keyword("features", "an N x D tensor"), .keyword("labels", "N class indices"),
                 .keyword("classes", "class names, or their number (default: max label + 1)")],
                summary: "A labelled dataset from features and labels (e.g. loaded with load_npy).",
                errors: ["It is an error if features and labels differ in length or a label is out of range."],
                example: "dataset(features: zeros(4, 2), labels: [0, 1, 1, 0]).n_classes", result: "2") { args in
            guard args.value("features") != nil, args.value("labels") != nil else {
                throw LTError("'dataset' needs features: and labels:", kind: .type)
            }
            let x = try args.matrix("features"), y = try args.labels("labels")
            var names: [String]?
            if let c = args.value("classes") {
                if case .number = c {
                    let n = try args.int("classes", in: 1...(1 << 24))
                    names = (0..<n).map(String.init)
                } else { names = try args.strings("classes") }
            }
            return .object(DatasetObject(try LearnConvert.run { try Dataset(features: x, labels: y, classNames: names) }))
        },
        Builtin("split", family: "Datasets",
                [.required("ds", "a dataset"), .required("fractions", "fractions summing to 1, e.g. [0.8, 0.2]"),
                 .keyword("stratify", "keep class proportions in every part (default true)"), .keyword("seed", "shuffle seed")],
                summary: "Splits a dataset into parts of the given fractions; stratified by class by default.",
                errors: ["It is an error if the fractions are negative or do not sum to 1."],
                example: "parts = split(dataset(features: zeros(10, 1), labels: [0,0,0,0,0,1,1,1,1,1]), [0.6, 0.4], seed: 0); map(parts, fn(p) => p.size)",
                result: "[6, 4]") { args in
            let ds = try args.dataset("ds")
            let fractions = try args.numbers("fractions")
            let seed = try args.seed()
            let parts: [Dataset]
            if try args.bool("stratify", default: true) {
                parts = try LearnConvert.run { try ds.split(fractions, seed: seed) }
            } else {
                guard fractions.allSatisfy({ $0 >= 0 }), abs(fractions.reduce(0, +) - 1) < 1e-9 else {
                    throw args.error("fractions", "fractions must be >= 0 and sum to 1")
                }
                var rng = SeededRandom(seed: seed)
                let order = rng.permutation(ds.size)
                var start = 0
                var out: [Dataset] = []
                for (i, f) in fractions.enumerated() {
                    let end = i == fractions.count - 1 ? ds.size : min(ds.size, start + Int((f * Double(ds.size)).rounded()))
                    let idx = Array(order[start..<end])
                    out.append(try LearnConvert.run { try ds.selecting(idx) })
                    start = end
                }
                parts = out
            }
            return .list(ListBox(parts.enumerated().map { .object(DatasetObject($1, name: "part \($0)")) }))
        },
        Builtin("longtail", family: "Datasets",
                [.required("ds", "a dataset with enough samples per class"), .keyword("imbalance", "n_max / n_min (default 100)"),
                 .keyword("profile", "\"exp\" (default), \"pareto\" or \"step\""),
                 .keyword("order", "\"random\" (default), \"index\", \"balanced\", \"consistent\" or \"reverse\""),
                 .keyword("prior", "the prior that consistent/reverse follow"), .keyword("max", "samples of the largest class (default 500)"),
                 .keyword("seed", "seed of the class order and the samples kept")],
                summary: "A long-tailed subset: class counts follow the profile, largest first in the chosen class order.",
                errors: ["It is an error if order is consistent or reverse without a prior."],
                example: "ds = dataset(features: zeros(6, 1), labels: [0, 0, 0, 1, 1, 1]); class_counts(longtail(ds, imbalance: 3, max: 3, order: \"index\", seed: 0)).tolist()",
                result: "[3, 1]") { args in
            let ds = try args.dataset("ds")
            let imbalance = try args.number("imbalance", default: 100)
            let profile = LongTailProfile(rawValue: try args.choice("profile", ["exp", "pareto", "step"], default: "exp")) ?? .exp
            let orderName = try args.choice("order", ["random", "index", "balanced", "consistent", "reverse"], default: "random")
            let order: ClassOrder
            switch orderName {
            case "index": order = .classIndex
            case "balanced": order = .balanced
            case "consistent", "reverse":
                guard args.value("prior") != nil else { throw args.error("order", "order \"\(orderName)\" needs prior:") }
                let p = try args.vector("prior")
                order = orderName == "consistent" ? .consistent(p) : .reverse(p)
            default: order = .random
            }
            let maxPerClass = try args.int("max", default: 500, in: 1...(1 << 30))
            let seed = try args.seed()
            return .object(DatasetObject(try LearnConvert.run {
                try ds.longtail(imbalance: imbalance, profile: profile, order: order, maxPerClass: maxPerClass, seed: seed)
            }, name: "longtail"))
        },
        Builtin("class_counts", family: "Datasets", [.required("x", "a dataset or labels"), .keyword("n", "number of classes")],
                summary: "Samples per class, as a tensor.",
                example: "class_counts([0, 2, 2], n: 3).tolist()", result: "[1, 0, 2]") { args in
            let labels = try args.labels("x")
            var n = (labels.max().map { Int($0) + 1 }) ?? 0
            if case .object(let d as DatasetObject) = try args.required("x") { n = d.dataset.nClasses }
            if args.value("n") != nil {
                n = try args.int("n", in: 0...(1 << 24))
                if let big = labels.first(where: { Int($0) >= n }) { throw args.error("x", "label \(big) is out of range for n: \(n)") }
            }
            let c = classCounts(labels, nClasses: n).map(Double.init)
            return .object(TensorObject(try wrap { try Tensor(c, shape: [c.count]) }))
        },
        Builtin("imbalance_factor", family: "Datasets", [.required("counts", "class counts, or a dataset")],
                summary: "n_max / n_min of the class counts.",
                errors: ["It is an error if a class has no samples."],
                example: "imbalance_factor([500, 50, 5])", result: "100") { args in
            let c = try counts(args, "counts")
            return .number(try LearnConvert.run { try imbalanceFactor(c) })
        },
        Builtin("dgroups", family: "Datasets",
                [.required("counts", "training counts per class, or a dataset"), .keyword("many", "more than this is many (default 100)"),
                 .keyword("few", "fewer than this is few (default 20)")],
                summary: "Group of each class by training count: \"many\" (> 100), \"medium\" (20-100), \"few\" (< 20).",
                example: "dgroups([500, 50, 5])", result: "[\"many\", \"medium\", \"few\"]") { args in
            let c = try counts(args, "counts")
            let many = try args.int("many", default: 100, in: 0...Int(Int32.max))
            let few = try args.int("few", default: 20, in: 0...Int(Int32.max))
            return groupsValue(try LearnConvert.run { try dgroups(c, many: many, few: few) })
        },
        Builtin("pgroups", family: "Datasets",
                [.required("prior", "a prior over classes (estimated or true)"), .keyword("many", "fraction of classes in P-Many (default 0.3)"),
                 .keyword("medium", "cumulative fraction through P-Medium (default 0.6)")],
                summary: "Group of each class by its rank in the prior: top 30 % many, next 30 % medium, the rest few.",
                example: "pgroups([0.5, 0.1, 0.3, 0.1], many: 0.25, medium: 0.5)", result: "[\"many\", \"few\", \"medium\", \"few\"]") { args in
            let p = try args.vector("prior")
            let many = try args.number("many", default: 0.3), medium = try args.number("medium", default: 0.6)
            return groupsValue(try LearnConvert.run { try pgroups(p, many: many, medium: medium) })
        },
        Builtin("load_csv", family: "Datasets",
                [.required("path", "a .csv file"), .keyword("header", "the first row names the columns (default true)"),
                 .keyword("label", "the label column, by name or index; gives a dataset")],
                summary: "Reads numeric CSV: a tensor of features, or a dataset when label: names a label column.",
                errors: ["It is an error if a row has a different number of fields (the message names its line)."],
                example: "type(load_csv)", result: "\"function\"") { args in
            let path = try args.string("path")
            let header = try args.bool("header", default: true)
            var label: CSVColumn?
            if let l = args.value("label") {
                if case .string(let s) = l { label = .name(s) } else { label = .index(try args.int("label", in: 0...(1 << 20))) }
            }
            let table = try DataFiles.read(args, path) { try Tensor.loadCSV(path, header: header, label: label) }
            guard let labels = table.labels else { return .object(TensorObject(table.features)) }
            let x = try LearnConvert.matrix(table.features)
            let ds = try LearnConvert.run { try Dataset(features: x, labels: labels.toInt32s(), classNames: table.classes) }
            return .object(DatasetObject(ds, name: path))
        },
    ]
}
