import Foundation
import LTLang
import LTTensor

/// Elementwise math, reductions and products on tensors. Names shared with the core
/// (abs, sqrt, exp, log, min, max) also work on plain numbers and lists.
enum TensorMath {
    static func unary(_ name: String, _ op: UnaryOp, _ summary: String, number: NumberShortcut?,
                      example: String, result: String) -> Builtin {
        Builtin(name, family: "Tensors", [.required("x", number == nil ? "a tensor" : "a number or a tensor")], summary: summary,
                example: example, result: result, onNumber: number) { args in
            if let number, case .number(let n) = try args.required("x") { return .number(number(n)) }
            let t = try args.tensor("x")
            return TensorConvert.value(try wrap { try t.unary(op) })
        }
    }

    static let reduceParams: [BuiltinParameter] = [
        .required("t", "a tensor or a list of numbers"), .keyword("axis", "reduce along this axis only (negative counts from the end)"),
        .keyword("keepdims", "keep the reduced axis with length 1"),
    ]

    /// Over all axes with keepdims: reduces the flattened tensor along its one axis (so
    /// argmax gives the flat index and var the spread of all elements, as NumPy does,
    /// where reducing axis after axis would not) and gives the result a length-1 axis
    /// for each axis of `t`.
    static func keepingAllAxes(_ t: Tensor, _ along: (Tensor, Int, Bool) throws -> Tensor) throws -> Value {
        TensorConvert.value(try wrap { try along(t.reshape([-1]), 0, true).reshape([Int](repeating: 1, count: t.ndim)) })
    }

    /// A reduction: over all axes it returns a number, along an axis a tensor.
    static func reduction(_ name: String, _ summary: String, example: String, result: String,
                          all: @escaping @Sendable (Tensor) throws -> Double,
                          along: @escaping @Sendable (Tensor, Int, Bool) throws -> Tensor,
                          alongEnsembleRows: (@Sendable (LazyEnsemble, Bool) throws -> Tensor)? = nil) -> Builtin {
        Builtin(name, family: "Tensors", reduceParams, summary: summary,
                errors: ["It is an error if the axis is out of range or the tensor is empty (for min, max, argmin, argmax)."],
                example: example, result: result) { args in
            // An unbuilt ensemble reduced along its classes is streamed, never building N x K.
            if let alongEnsembleRows, case .object(let o as TensorObject)? = args.value("t"), let lazy = o.unbuiltEnsemble,
               let axis = try args.axis(), axis == 1 || axis == -1 {
                return .object(TensorObject(try alongEnsembleRows(lazy, try args.bool("keepdims", default: false))))
            }
            let t = try args.tensor("t")
            let keepdims = try args.bool("keepdims", default: false)
            if let axis = try args.axis() { return TensorConvert.value(try wrap { try along(t, axis, keepdims) }) }
            if keepdims { return try keepingAllAxes(t, along) }
            return .number(try wrap { try all(t) })
        }
    }

    /// min / max: the core's variadic form for numbers, a reduction for a tensor.
    static func extremum(_ name: String, isMax: Bool) -> Builtin {
        Builtin(name, family: "Tensors",
                [.variadic("values", "a tensor, a list of numbers, or several numbers"),
                 .keyword("axis", "for a tensor: reduce along this axis only"), .keyword("keepdims", "keep the reduced axis")],
                summary: isMax ? "The largest element (of a tensor, a list, or the arguments); with axis: along one axis."
                               : "The smallest element (of a tensor, a list, or the arguments); with axis: along one axis.",
                errors: ["It is an error if there are no values or the tensor is empty."],
                example: isMax ? "max(tensor([[1, 5], [3, 2]]), axis: 1).tolist()" : "min(3, 1, 2)",
                result: isMax ? "[5, 3]" : "1") { args in
            if args.rest.count == 1, case .object(let o as TensorObject) = args.rest[0] {
                let t = try o.tensor
                let keep = try args.bool("keepdims", default: false)
                if let axis = try args.axis() {
                    return TensorConvert.value(try wrap { isMax ? try t.max(axis: axis, keepdims: keep) : try t.min(axis: axis, keepdims: keep) })
                }
                if keep { return try keepingAllAxes(t) { isMax ? try $0.max(axis: $1, keepdims: $2) : try $0.min(axis: $1, keepdims: $2) } }
                return .number(try wrap { isMax ? try t.max() : try t.min() })
            }
            if args.value("axis") != nil { throw args.error("axis", "axis: needs a tensor") }
            return try MathFamily.extremumValue(args, name: name, better: isMax ? { $0 > $1 } : { $0 < $1 })
        }
    }

    static let builtins: [Builtin] = [
        unary("abs", .abs, "The absolute value, elementwise for a tensor.", number: { Swift.abs($0) }, example: "abs(-2.5)", result: "2.5"),
        unary("sqrt", .sqrt, "The square root, elementwise for a tensor; nan below 0.", number: { $0.squareRoot() },
              example: "sqrt(tensor([4, 9])).tolist()", result: "[2, 3]"),
        unary("exp", .exp, "e to the power x, elementwise for a tensor.", number: { Foundation.exp($0) }, example: "exp(0)", result: "1"),
        unary("log", .log, "The natural logarithm, elementwise for a tensor; -inf at 0.", number: { Foundation.log($0) },
              example: "log(1)", result: "0"),
        unary("sigmoid", .sigmoid, "The logistic function 1 / (1 + e^-x), elementwise.", number: { 1 / (1 + Foundation.exp(-$0)) },
              example: "sigmoid(0)", result: "0.5"),
        unary("tanh", .tanh, "The hyperbolic tangent, elementwise.", number: { Foundation.tanh($0) }, example: "tanh(0)", result: "0"),
        Builtin("pow", family: "Tensors", [.required("x", "a number or tensor"), .required("p", "the exponent (number or tensor)")],
                summary: "x raised to the power p, elementwise with broadcasting.",
                example: "pow(tensor([2, 3]), 2).tolist()", result: "[4, 9]") { args in
            if case .number(let x) = try args.required("x"), case .number(let p) = try args.required("p") { return .number(Foundation.pow(x, p)) }
            let t = try args.tensor("x"), p = try args.tensor("p")
            return TensorConvert.value(try wrap { try t.pow(p) })
        },
        Builtin("clip", family: "Tensors", [.required("t", "a tensor"), .optional("lo", "lower bound (nil for none)"),
                                            .optional("hi", "upper bound (nil for none)")],
                summary: "Limits every element to [lo, hi].",
                example: "clip(tensor([-1, 0.5, 2]), 0, 1).tolist()", result: "[0, 0.5, 1]") { args in
            let t = try args.tensor("t")
            let lo = try args.given("lo", args.number)
            let hi = try args.given("hi", args.number)
            return TensorConvert.value(try wrap { try t.clip(lo, hi) })
        },
        Builtin("softmax", family: "Tensors", [.required("t", "logits"), .keyword("axis", "the class axis (default -1)")],
                summary: "exp(t) / sum(exp(t)) along an axis, computed stably.",
                example: "softmax(tensor([0, 0])).tolist()", result: "[0.5, 0.5]") { args in
            let t = try args.tensor("t")
            return TensorConvert.value(try wrap { try t.softmax(axis: try args.axis() ?? -1) })
        },
        Builtin("log_softmax", family: "Tensors", [.required("t", "logits"), .keyword("axis", "the class axis (default -1)")],
                summary: "log(softmax(t)) along an axis, computed stably.",
                example: "round(exp(log_softmax(tensor([0, 0]))[0]), 3)", result: "0.5") { args in
            let t = try args.tensor("t")
            return TensorConvert.value(try wrap { try t.logSoftmax(axis: try args.axis() ?? -1) })
        },
        Builtin("matmul", family: "Tensors", [.required("a", "a tensor"), .required("b", "a tensor")],
                summary: "The matrix product a @ b (batched for 3-D, vectors as in NumPy).",
                errors: ["It is an error if the inner dimensions differ."],
                example: "matmul(eye(2), tensor([[1], [2]])).tolist()", result: "[[1], [2]]") { args in
            let a = try args.tensor("a"), b = try args.tensor("b")
            return TensorConvert.value(try wrap { try a.matmul(b) })
        },
        reduction("sum", "The sum of all elements (a number), or along an axis.", example: "sum([1, 2, 3])", result: "6",
                  all: { try $0.sum() }, along: { try $0.sum(axis: $1, keepdims: $2) }),
        reduction("mean", "The mean of all elements (a number), or along an axis.", example: "mean(tensor([[1, 2], [3, 4]]), axis: 0).tolist()",
                  result: "[2, 3]", all: { try $0.mean() }, along: { try $0.mean(axis: $1, keepdims: $2) }),
        reduction("std", "The population standard deviation (ddof 0), overall or along an axis.", example: "std([1, 3])", result: "1",
                  all: { try $0.std() }, along: { try $0.std(axis: $1, keepdims: $2) }),
        reduction("var", "The population variance (ddof 0), overall or along an axis.", example: "var([1, 3])", result: "1",
                  all: { try $0.variance() }, along: { try $0.variance(axis: $1, keepdims: $2) }),
        extremum("min", isMax: false),
        extremum("max", isMax: true),
        reduction("argmax", "The index of the largest element (of the flattened tensor), or along an axis.",
                  example: "argmax(tensor([[1, 5], [7, 2]]), axis: 1).tolist()", result: "[1, 0]",
                  all: { Double(try $0.argmax()) }, along: { try $0.argmax(axis: $1, keepdims: $2) },
                  alongEnsembleRows: { try $0.rowArgmax(keepdims: $1) }),
        reduction("argmin", "The index of the smallest element (of the flattened tensor), or along an axis.",
                  example: "argmin([3, 1, 2])", result: "1",
                  all: { Double(try $0.argmin()) }, along: { try $0.argmin(axis: $1, keepdims: $2) }),
        Builtin("cumsum", family: "Tensors", [.required("t", "a tensor"), .keyword("axis", "along this axis (default: flattened)")],
                summary: "Cumulative sums.", example: "cumsum([1, 2, 3]).tolist()", result: "[1, 3, 6]") { args in
            let t = try args.tensor("t")
            return TensorConvert.value(try wrap { try t.cumsum(axis: try args.axis()) })
        },
        Builtin("norm", family: "Tensors", [.required("t", "a tensor"), .keyword("axis", "along this axis (default: all elements)"),
                                            .keyword("keepdims", "keep the reduced axis")],
                summary: "The Euclidean (L2) norm.", example: "norm([3, 4])", result: "5") { args in
            let t = try args.tensor("t")
            let keep = try args.bool("keepdims", default: false)
            if let axis = try args.axis() { return TensorConvert.value(try wrap { try t.norm(axis: axis, keepdims: keep) }) }
            if keep { return try keepingAllAxes(t) { try $0.norm(axis: $1, keepdims: $2) } }
            return .number(try wrap { try t.norm() })
        },
        Builtin("normalize", family: "Tensors", [.required("t", "a tensor"), .keyword("axis", "the axis to normalise (default -1)")],
                summary: "Divides by the L2 norm along an axis (rows of features become unit vectors).",
                example: "normalize(tensor([[3, 4]])).tolist()", result: "[[0.6000000238418579, 0.800000011920929]]") { args in
            let t = try args.tensor("t")
            return TensorConvert.value(try wrap { try t.normalize(axis: try args.axis() ?? -1) })
        },
    ]
}
