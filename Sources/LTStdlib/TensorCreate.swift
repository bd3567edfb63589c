import LTLang
import LTTensor

/// Built-ins that make tensors: from lists, constants, ranges and random draws.
enum TensorCreate {
    static let dtypeDoc = "\"float32\" (default), \"float64\", \"int32\" or \"bool\""

    static func constant(_ name: String, _ summary: String, _ value: Double?, example: String, result: String) -> Builtin {
        var params: [BuiltinParameter] = [.variadic("shape", "the size of each axis, or one list of sizes")]
        if value == nil { params.insert(.required("value", "the fill value"), at: 0) }
        params.append(.keyword("dtype", dtypeDoc))
        return Builtin(name, family: "Tensors", params, summary: summary,
                       errors: ["It is an error if a size is not a whole number >= 0 or the tensor is too large."],
                       example: example, result: result) { args in
            let shape = try args.shape()
            let dtype = try args.dtype() ?? .float32
            let fill = try value ?? args.number("value")
            return .object(TensorObject(try wrap { try Tensor.full(shape, fill, dtype: dtype) }))
        }
    }

    /// The generator a random built-in draws from: its own `seed:` or the session's.
    static func withGenerator<R>(_ args: Arguments, _ body: (inout RandomGenerator) throws -> R) throws -> R {
        if args.value("seed") != nil {
            var g = RandomGenerator(seed: UInt64(try args.int("seed", in: 0...Int.max)))
            return try body(&g)
        }
        let session = SessionRandom.of(args.interpreter)
        return try body(&session.generator)
    }

    static let builtins: [Builtin] = [
        Builtin("tensor", family: "Tensors", [.required("data", "a number, a (nested) list of numbers or bools, or a tensor"),
                                              .keyword("dtype", dtypeDoc)],
                summary: "A tensor from nested lists; float32 unless dtype says otherwise (bools give a bool tensor).",
                errors: ["It is an error if the lists are ragged or hold non-numbers."],
                example: "tensor([[1, 2], [3, 4]]).shape", result: "[2, 2]") { args in
            .object(TensorObject(try TensorConvert.tensor(from: try args.required("data"), dtype: try args.dtype())))
        },
        constant("zeros", "A tensor of zeros.", 0, example: "zeros(2, 3).shape", result: "[2, 3]"),
        constant("ones", "A tensor of ones.", 1, example: "sum(ones([2, 3]))", result: "6"),
        constant("full", "A tensor filled with one value.", nil, example: "full(7, 2).tolist()", result: "[7, 7]"),
        Builtin("eye", family: "Tensors", [.required("n", "rows"), .optional("m", "columns (default n)"), .keyword("dtype", dtypeDoc)],
                summary: "An identity matrix.", example: "eye(2).tolist()", result: "[[1, 0], [0, 1]]") { args in
            let n = try args.int("n", in: 0...(1 << 20))
            let m = try args.given("m") { try args.int($0, in: 0...(1 << 20)) }
            return .object(TensorObject(try wrap { try Tensor.eye(n, m, dtype: try args.dtype() ?? .float32) }))
        },
        Builtin("arange", family: "Tensors",
                [.required("start", "the start, or the stop if it is the only argument"), .optional("stop", "the stop (exclusive)"),
                 .optional("step", "the increment (default 1)"), .keyword("dtype", dtypeDoc)],
                summary: "Evenly spaced values in [start, stop), like NumPy's arange.",
                example: "arange(0, 1, 0.25).tolist()", result: "[0, 0.25, 0.5, 0.75]") { args in
            let start = try args.number("start")
            let stop = try args.given("stop", args.number)
            let step = try args.number("step", default: 1)
            return .object(TensorObject(try wrap { try Tensor.arange(start, stop, step: step, dtype: try args.dtype() ?? .float32) }))
        },
        Builtin("linspace", family: "Tensors",
                [.required("start", "first value"), .required("stop", "last value (included)"),
                 .optional("num", "how many values (default 50)"), .keyword("dtype", dtypeDoc)],
                summary: "num evenly spaced values from start to stop inclusive.",
                example: "linspace(0, 1, 3).tolist()", result: "[0, 0.5, 1]") { args in
            let num = try args.int("num", default: 50, in: 0...(1 << 30))
            return .object(TensorObject(try wrap {
                try Tensor.linspace(try args.number("start"), try args.number("stop"), num, dtype: try args.dtype() ?? .float32)
            }))
        },
        Builtin("rand", family: "Tensors", [.variadic("shape", "the size of each axis"), .keyword("seed", "a seed for this draw alone"),
                                            .keyword("dtype", dtypeDoc)],
                summary: "Uniform random numbers in [0, 1), from the global generator unless seed: is given.",
                example: "rand(3, seed: 1).shape", result: "[3]") { args in
            let shape = try args.shape()
            let dtype = try args.dtype() ?? .float32
            return .object(TensorObject(try withGenerator(args) { g in try wrap { try Tensor.rand(shape, using: &g, dtype: dtype) } }))
        },
        Builtin("randn", family: "Tensors", [.variadic("shape", "the size of each axis"), .keyword("seed", "a seed for this draw alone"),
                                             .keyword("dtype", dtypeDoc)],
                summary: "Standard normal random numbers, from the global generator unless seed: is given.",
                example: "randn(2, 2, seed: 0).shape", result: "[2, 2]") { args in
            let shape = try args.shape()
            let dtype = try args.dtype() ?? .float32
            return .object(TensorObject(try withGenerator(args) { g in try wrap { try Tensor.randn(shape, using: &g, dtype: dtype) } }))
        },
        Builtin("randint", family: "Tensors",
                [.required("low", "smallest value"), .required("high", "one past the largest value"),
                 .variadic("shape", "the size of each axis"), .keyword("seed", "a seed for this draw alone")],
                summary: "Random whole numbers in [low, high) as an int32 tensor.",
                errors: ["It is an error if high <= low."],
                example: "max(randint(0, 3, 100, seed: 2)) < 3", result: "true") { args in
            let low = try args.int("low", in: Int(Int32.min)...Int(Int32.max))
            let high = try args.int("high", in: Int(Int32.min)...Int(Int32.max))
            guard high > low else { throw args.error("high", "randint needs high > low, got \(low) and \(high)") }
            let shape = try args.shape()
            return .object(TensorObject(try withGenerator(args) { g in try wrap { try Tensor.randint(low, high, shape, using: &g) } }))
        },
    ]
}
