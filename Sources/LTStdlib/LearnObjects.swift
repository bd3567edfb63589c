import LTLang
import LTLearn
import LTTensor

/// A labelled dataset as a language value: `features` (N x D), `labels` (int32),
/// `classes`, `n_classes`, `size`.
public final class DatasetObject: LTObject {
    public let dataset: Dataset
    public let name: String
    public init(_ dataset: Dataset, name: String = "dataset") { self.dataset = dataset; self.name = name }
    public var typeName: String { "dataset" }
    public var summary: String {
        "<dataset \(name): \(dataset.size) x \(dataset.dim), \(dataset.nClasses) classes>"
    }
    public var fieldNames: [String] { ["features", "labels", "classes", "n_classes", "size", "dim"] }
    public func field(_ name: String) throws -> Value? {
        switch name {
        case "features": return .object(TensorObject(try LearnConvert.tensor(dataset.features)))
        case "labels": return .object(TensorObject(try wrap { try Tensor(int32s: dataset.labels, shape: [dataset.size]) }))
        case "classes": return .list(ListBox(dataset.classNames.map { .string($0) }))
        case "n_classes": return .number(Double(dataset.nClasses))
        case "size": return .number(Double(dataset.size))
        case "dim": return .number(Double(dataset.dim))
        default: return nil
        }
    }
    public func length() throws -> Int? { dataset.size }
}

/// A (foundation or fine-tuned) model: `name`, `dim`, and for LT-Synth models their true
/// pre-training `prior` and the `factors` they see.
public final class ModelObject: LTObject {
    public let model: Model
    public init(_ model: Model) { self.model = model }
    public var typeName: String { "model" }
    public var summary: String {
        "<model \(model.name): \(model.inputDim) -> \(model.dim) features, \(model.nClasses) classes, \(model.head.kind.rawValue) head>"
    }
    public var fieldNames: [String] { ["name", "dim", "n_classes", "prior", "factors", "head"] }
    public func field(_ name: String) throws -> Value? {
        switch name {
        case "name": return .string(model.name)
        case "dim": return .number(Double(model.dim))
        case "n_classes": return .number(Double(model.nClasses))
        case "head": return .string(model.head.kind.rawValue)
        case "prior":
            guard let p = model.prior else { return .nil }
            return .object(TensorObject(try wrap { try Tensor(p, shape: [p.count], dtype: .float64) }))
        case "factors":
            guard let f = model.factors else { return .nil }
            return .list(ListBox(f.map { .number(Double($0)) }))
        default: return nil
        }
    }
}

/// An LT-Synth world, kept in the record `synth` returns so `sample` can draw from it.
public final class WorldObject: LTObject {
    public let world: SynthWorld
    public init(_ world: SynthWorld) { self.world = world }
    public var typeName: String { "world" }
    public var summary: String {
        let c = world.config
        return "<LT-Synth world: \(c.classes) classes, \(c.factors) factors x \(c.dim) dims, \(c.models) models, seed \(c.seed)>"
    }
}

/// Conversions between tensors and LTLearn's dense matrices and label arrays.
enum LearnConvert {
    /// The matrix as a tensor over the same buffer (no copy; bench/boundary).
    static func tensor(_ m: Matrix) throws -> Tensor {
        try wrap { try Tensor(sharing: m.data, shape: [m.rows, m.cols]) }
    }

    /// A 2-D tensor as a matrix: the tensor's own buffer when it came from a matrix,
    /// else a copy (tensors LTTensor allocated or mapped).
    static func matrix(_ t: Tensor) throws -> Matrix {
        let cols = t.ndim > 1 ? t.shape[1] : 1
        return try run { try Matrix(rows: t.shape.first ?? 0, cols: cols, data: t.sharedFloats ?? t.toFloats()) }
    }

    static func value(_ m: Matrix) throws -> Value { .object(TensorObject(try tensor(m))) }

    static func vector(_ v: [Double]) throws -> Value {
        .object(TensorObject(try wrap { try Tensor(v, shape: [v.count], dtype: .float64) }))
    }

    /// Runs an LTLearn call, turning its error into a language error.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as LearnError { throw LTError(e.message, kind: .value) } catch let e as TensorError {
            throw LTError(e.message, kind: .value)
        }
    }
}

extension Arguments {
    /// A 2-D float matrix (logits, features) from a tensor or nested lists.
    func matrix(_ name: String) throws -> Matrix {
        let t = try tensor(name)
        guard t.ndim == 2 else {
            throw error(name, "argument '\(name)' to '\(function)' must be a 2-D tensor, got shape \(formatShape(t.shape))", kind: .type)
        }
        return try LearnConvert.matrix(t)
    }

    /// A 2-D float matrix lent to `body` without a copy when the tensor is contiguous
    /// float32 (a loaded or mapped logits file); other dtypes and layouts are converted
    /// first. For LTLearn's read-only functions (GLA, EM), so that a 3 GB logits file is
    /// not copied into a Matrix (bench/boundary).
    func withMatrixView<R>(_ name: String, _ body: (MatrixView) throws -> R) throws -> R {
        let t = try tensor(name)
        guard t.ndim == 2 else {
            throw error(name, "argument '\(name)' to '\(function)' must be a 2-D tensor, got shape \(formatShape(t.shape))", kind: .type)
        }
        return try LearnConvert.run {
            try t.withFloatBuffer { buffer in try body(try MatrixView(rows: t.shape[0], cols: t.shape[1], elements: buffer)) }
        }
    }

    /// Class labels: whole numbers from a tensor or list, or a dataset's labels.
    func labels(_ name: String) throws -> [Int32] {
        if case .object(let d as DatasetObject) = try required(name) { return d.dataset.labels }
        let t = try tensor(name)
        guard t.ndim == 1 else { throw error(name, "labels must be 1-D, got shape \(formatShape(t.shape))", kind: .type) }
        let values = t.toDoubles()
        var out: [Int32] = []
        out.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard v.isFinite, v == v.rounded(), v >= 0, v < Double(Int32.max) else {
                throw error(name, "labels must be whole numbers >= 0, but element \(i) is \(formatNumber(v))")
            }
            out.append(Int32(v))
        }
        return out
    }

    /// A probability vector (prior) from a tensor or list.
    func vector(_ name: String) throws -> [Double] {
        let t = try tensor(name)
        guard t.ndim == 1 else { throw error(name, "argument '\(name)' must be 1-D, got shape \(formatShape(t.shape))", kind: .type) }
        return t.toDoubles()
    }

    func dataset(_ name: String) throws -> Dataset {
        try object(name, as: DatasetObject.self, "a dataset").dataset
    }

    func model(_ name: String) throws -> Model {
        try object(name, as: ModelObject.self, "a model").model
    }

    /// A seed from `seed:`, or the next one from the session's generator.
    func seed() throws -> UInt64 {
        if value("seed") != nil { return UInt64(try int("seed", in: 0...Int.max)) }
        return SessionRandom.of(interpreter).nextSeed()
    }
}
