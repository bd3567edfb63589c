import LTLang
import LTTensor

/// Shape, selection, sorting and comparison of tensors.
enum TensorShape {
    static func tensors(_ args: Arguments, _ name: String) throws -> [Tensor] {
        let v = try args.required(name)
        guard case .list(let l) = v, !l.items.isEmpty else { throw args.typeError(name, "a non-empty list of tensors", v) }
        return try l.items.map { try TensorConvert.tensor(from: $0, dtype: nil) }
    }

    static let builtins: [Builtin] = [
        Builtin("shape", family: "Tensors", [.required("t", "a tensor")],
                summary: "The size of each axis, as a list.", example: "shape(zeros(2, 3))", result: "[2, 3]") { args in
            .list(ListBox(try args.tensor("t").shape.map { .number(Double($0)) }))
        },
        Builtin("reshape", family: "Tensors", [.required("t", "a tensor"), .variadic("shape", "new sizes (one may be -1), or one list")],
                summary: "The same elements in a new shape; -1 infers one size.",
                errors: ["It is an error if the sizes do not multiply to the element count."],
                example: "reshape(arange(6), 2, -1).shape", result: "[2, 3]") { args in
            let t = try args.tensor("t")
            var items = args.rest
            if items.count == 1, case .list(let l) = items[0] { items = l.items }
            let shape = try items.enumerated().map { i, v in
                try Arguments.wholeNumber(v, range: -1...(1 << 40)) { _ in args.restError(i, "sizes to 'reshape' must be whole numbers (or -1)", kind: .type) }
            }
            return TensorConvert.value(try wrap { try t.reshape(shape) })
        },
        Builtin("transpose", family: "Tensors", [.required("t", "a tensor"), .variadic("axes", "the new order of axes (default: reversed)")],
                summary: "Permutes the axes; t.T reverses them.", example: "transpose(zeros(2, 3)).shape", result: "[3, 2]") { args in
            let t = try args.tensor("t")
            var items = args.rest
            if items.count == 1, case .list(let l) = items[0] { items = l.items }
            let axes = try items.isEmpty ? nil : items.enumerated().map { i, v in
                try Arguments.wholeNumber(v, range: -64...64) { _ in args.restError(i, "axes must be whole numbers", kind: .type) }
            }
            return TensorConvert.value(try wrap { try t.transpose(axes) })
        },
        Builtin("concat", family: "Tensors", [.required("tensors", "a list of tensors"), .keyword("axis", "the axis to join along (default 0)")],
                summary: "Joins tensors along an existing axis.",
                example: "concat([zeros(2, 3), ones(1, 3)]).shape", result: "[3, 3]") { args in
            let ts = try tensors(args, "tensors")
            return TensorConvert.value(try wrap { try Tensor.concat(ts, axis: try args.axis() ?? 0) })
        },
        Builtin("stack", family: "Tensors", [.required("tensors", "a list of same-shape tensors"), .keyword("axis", "the new axis (default 0)")],
                summary: "Stacks same-shape tensors along a new axis.",
                example: "stack([zeros(3), ones(3)]).shape", result: "[2, 3]") { args in
            let ts = try tensors(args, "tensors")
            return TensorConvert.value(try wrap { try Tensor.stack(ts, axis: try args.axis() ?? 0) })
        },
        Builtin("take", family: "Tensors", [.required("t", "a tensor"), .required("idx", "indices (a tensor or list)"),
                                            .keyword("axis", "the axis to index (default: flattened)")],
                summary: "Gathers elements (or slices along an axis) at the given indices.",
                example: "take(tensor([10, 20, 30]), [2, 0]).tolist()", result: "[30, 10]") { args in
            let t = try args.tensor("t"), idx = try TensorConvert.tensor(from: try args.required("idx"), dtype: .int32)
            return TensorConvert.value(try wrap { try t.take(idx, axis: try args.axis()) })
        },
        Builtin("where", family: "Tensors", [.required("cond", "a bool tensor"), .required("a", "values where cond is true"),
                                             .required("b", "values where cond is false")],
                summary: "Chooses elementwise between a and b, with broadcasting.",
                example: "where(tensor([1, -1]) > 0, 1, 0).tolist()", result: "[1, 0]") { args in
            let c = try args.tensor("cond"), a = try args.tensor("a"), b = try args.tensor("b")
            return TensorConvert.value(try wrap { try Tensor.where(c, a, b) })
        },
        Builtin("one_hot", family: "Tensors", [.required("labels", "whole-number labels"), .required("n", "the number of classes")],
                summary: "An (N, n) float32 tensor with a 1 at each label.",
                errors: ["It is an error if a label is outside 0..<n."],
                example: "one_hot([1, 0], 2).tolist()", result: "[[0, 1], [1, 0]]") { args in
            let labels = try TensorConvert.tensor(from: try args.required("labels"), dtype: .int32)
            let n = try args.int("n", in: 1...(1 << 24))
            return TensorConvert.value(try wrap { try labels.oneHot(n) })
        },
        Builtin("bincount", family: "Tensors", [.required("labels", "whole numbers >= 0"), .keyword("n", "minimum length of the result")],
                summary: "How many times each value occurs.",
                example: "bincount([0, 2, 2], n: 4).tolist()", result: "[1, 0, 2, 0]") { args in
            let labels = try TensorConvert.tensor(from: try args.required("labels"), dtype: .int32)
            return TensorConvert.value(try wrap { try labels.bincount(try args.int("n", default: 0, in: 0...Tensor.maxBincount)) })
        },
        Builtin("unique", family: "Tensors", [.required("t", "a tensor")],
                summary: "The sorted distinct values.", example: "unique([3, 1, 3]).tolist()", result: "[1, 3]") { args in
            TensorConvert.value(try wrap { try args.tensor("t").unique() })
        },
        Builtin("sort", family: "Tensors",
                [.required("xs", "a list, or a tensor"), .keyword("key", "for a list: a function giving the sort key"),
                 .keyword("descending", "largest first (default false)"), .keyword("axis", "for a tensor: the axis (default -1)")],
                summary: "A sorted copy of a list or tensor; the sort is stable.",
                errors: ["It is an error if list keys mix numbers and strings."],
                example: "sort([3, 1, 2], descending: true)", result: "[3, 2, 1]") { args in
            guard args.isTensor("xs") else { return try Collections.sortList(args) }
            let t = try args.tensor("xs")
            return TensorConvert.value(try wrap { try t.sort(axis: try args.axis() ?? -1, descending: try args.bool("descending", default: false)) })
        },
        Builtin("argsort", family: "Tensors", [.required("t", "a tensor or list"), .keyword("axis", "the axis (default -1)"),
                                               .keyword("descending", "largest first")],
                summary: "Indices that sort the tensor stably.",
                example: "argsort([3, 1, 2]).tolist()", result: "[1, 2, 0]") { args in
            let t = try args.tensor("t")
            return TensorConvert.value(try wrap { try t.argsort(axis: try args.axis() ?? -1, descending: try args.bool("descending", default: false)) })
        },
        Builtin("topk", family: "Tensors", [.required("t", "a tensor"), .required("k", "how many"), .keyword("axis", "the axis (default -1)"),
                                            .keyword("indices", "return the indices instead of the values")],
                summary: "The k largest values along an axis, largest first (or their indices).",
                errors: ["It is an error if k is not a whole number between 0 and the axis length."],
                example: "topk(tensor([1, 9, 5]), 2).tolist()", result: "[9, 5]") { args in
            let t = try args.tensor("t")
            let k = try args.int("k", in: 0...Int(Int32.max))
            let r = try wrap { try t.topk(k, axis: try args.axis() ?? -1) }
            return TensorConvert.value(try args.bool("indices", default: false) ? r.indices : r.values)
        },
        Builtin("tolist", family: "Tensors", [.required("t", "a tensor")],
                summary: "Nested lists of numbers (bools for a bool tensor).", example: "tensor([[1, 2]]).tolist()", result: "[[1, 2]]") { args in
            let t = try args.tensor("t")
            // Checked first: an empty tensor of shape (2^40, 0), loaded from a file,
            // would otherwise build 2^40 empty lists.
            try args.interpreter.checkSize(TensorConvert.listNodes(t.shape), "tolist result")
            return TensorConvert.listValue(t.toNested())
        },
        Builtin("item", family: "Tensors", [.required("t", "a one-element tensor")],
                summary: "The single element as a number.",
                errors: ["It is an error if the tensor has more than one element."],
                example: "item(tensor([[4]]))", result: "4") { args in
            let t = try args.tensor("t")
            return .number(try wrap { try t.item() })
        },
        Builtin("equal", family: "Tensors", [.required("a", "a tensor"), .required("b", "a tensor")],
                summary: "Whether two tensors have the same shape and elements.",
                example: "equal(tensor([1, 2]), [1, 2])", result: "true") { args in
            .bool(try args.tensor("a").equal(try args.tensor("b")))
        },
        Builtin("allclose", family: "Tensors", [.required("a", "a tensor"), .required("b", "a tensor"),
                                                .keyword("rtol", "relative tolerance (default 1e-5)"), .keyword("atol", "absolute tolerance (default 1e-8)")],
                summary: "Whether |a - b| <= atol + rtol * |b| everywhere (shapes broadcast).",
                example: "allclose([1, 2], [1, 2.0000001])", result: "true") { args in
            let a = try args.tensor("a"), b = try args.tensor("b")
            return .bool(try wrap { try a.allclose(b, rtol: try args.number("rtol", default: 1e-5), atol: try args.number("atol", default: 1e-8)) })
        },
    ]
}
