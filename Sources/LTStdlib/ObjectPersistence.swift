import Foundation
import LTLang
import LTLearn
import LTPlot
import LTTensor

// The stored forms of the library's objects, for the notebook cache: tensors as .npy,
// datasets, models and LT-Synth worlds in LTLearn's codec, figures and tables in LTPlot's.
// Each codec checks what it reads, so a corrupt entry is an error (the cell re-runs),
// never a crash.

extension DatasetObject: PersistableObject {
    public static var persistenceTag: String { "dataset" }
    /// The display name, then the dataset.
    public func persist() throws -> Data { ObjectPersistence.named(name, dataset.encoded()) }
}

extension ModelObject: PersistableObject {
    public static var persistenceTag: String { "model" }
    public func persist() throws -> Data { Data(model.encoded()) }
}

extension WorldObject: PersistableObject {
    public static var persistenceTag: String { "world" }
    public func persist() throws -> Data { Data(world.encoded()) }
}

extension FigureObject: PersistableObject {
    public static var persistenceTag: String { "figure" }
    public func persist() throws -> Data { Data(figure.encoded()) }
}

extension TableObject: PersistableObject {
    public static var persistenceTag: String { "table" }
    public func persist() throws -> Data { Data(table.encoded()) }
}

enum ObjectPersistence {
    /// Registers a decoder for every persistable object kind (once per process).
    static func registerDecoders() {
        PersistenceRegistry.register(tag: TensorObject.persistenceTag) { data in
            TensorObject(try decode("tensor") { try Tensor(npyData: data, name: "<cached tensor>") })
        }
        PersistenceRegistry.register(tag: DatasetObject.persistenceTag) { data in
            let (name, rest) = try unnamed(data)
            return DatasetObject(try decode("dataset") { try Dataset(encoded: rest) }, name: name)
        }
        PersistenceRegistry.register(tag: ModelObject.persistenceTag) { data in
            ModelObject(try decode("model") { try Model(encoded: [UInt8](data)) })
        }
        PersistenceRegistry.register(tag: WorldObject.persistenceTag) { data in
            WorldObject(try decode("LT-Synth world") { try SynthWorld(encoded: [UInt8](data)) })
        }
        PersistenceRegistry.register(tag: FigureObject.persistenceTag) { data in
            FigureObject(try decode("figure") { try Figure(encoded: [UInt8](data)) })
        }
        PersistenceRegistry.register(tag: TableObject.persistenceTag) { data in
            TableObject(try decode("table") { try Table(encoded: [UInt8](data)) })
        }
    }

    /// Runs a library decoder, turning its error into a language error naming the kind.
    static func decode<T>(_ kind: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as LearnError {
            throw LTError("a cached \(kind) is corrupt: \(e.message)", kind: .io)
        } catch let e as PlotError {
            throw LTError("a cached \(kind) is corrupt: \(e.message)", kind: .io)
        } catch let e as TensorError {
            throw LTError("a cached \(kind) is corrupt: \(e.message)", kind: .io)
        }
    }

    /// `name` (8-byte little-endian length, UTF-8) followed by `payload`.
    static func named(_ name: String, _ payload: [UInt8]) -> Data {
        let utf8 = Array(name.utf8)
        var out = Data(capacity: 8 + utf8.count + payload.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: UInt64(utf8.count) >> (8 * UInt64(i)))) }
        out.append(contentsOf: utf8)
        out.append(contentsOf: payload)
        return out
    }

    /// The name and payload written by `named`.
    static func unnamed(_ data: Data) throws -> (String, [UInt8]) {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw LTError("a cached dataset is corrupt: truncated name", kind: .io) }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else { throw LTError("a cached dataset is corrupt: name length \(n)", kind: .io) }
        let end = 8 + Int(n)
        return (String(decoding: bytes[8..<end], as: UTF8.self), Array(bytes[end...]))
    }
}
