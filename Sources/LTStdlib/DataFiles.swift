import Foundation
import LTLang
import LTTensor

/// Built-ins that read and write arrays: .npy, .npz, safetensors and CSV.
///
/// Every file read is recorded on the interpreter (`FileReadLog`), so a notebook's cache
/// key and provenance footer can name the data a result came from.
enum DataFiles {
    /// Runs a read, recording the file and turning its errors into language errors.
    static func read<T>(_ args: Arguments, _ path: String, _ body: () throws -> T) throws -> T {
        do {
            let result = try body()
            FileReadLog.of(args.interpreter).record(path: path)
            return result
        } catch let e as TensorError {
            throw args.error("path", e.message, kind: .io)
        } catch let e as LTError {
            throw e
        } catch {
            throw args.error("path", "cannot read '\(path)': \(error.localizedDescription)", kind: .io)
        }
    }

    static func write(_ args: Arguments, _ path: String, _ body: () throws -> Void) throws -> Value {
        do { try body() } catch let e as TensorError {
            throw args.error("path", e.message, kind: .io)
        } catch {
            throw args.error("path", "cannot write '\(path)': \(error.localizedDescription)", kind: .io)
        }
        return .nil
    }

    static func record(_ tensors: NamedTensors) -> Value {
        .record(RecordBox(tensors.entries.map { ($0.name, .object(TensorObject($0.tensor))) }))
    }

    static let builtins: [Builtin] = [
        Builtin("load_npy", family: "Data", [.required("path", "a .npy file"), .keyword("mmap", "map the file instead of reading it (default false)")],
                summary: "Reads a NumPy .npy array (f2, f4, f8, i4, i8, u1, b1; C or Fortran order).",
                errors: ["It is an error if the file is missing, truncated, corrupt, or of an unsupported dtype."],
                example: "type(load_npy)", result: "\"function\"") { args in
            let path = try args.string("path")
            let mmap = try args.bool("mmap", default: false)
            return .object(TensorObject(try read(args, path) { try Tensor.loadNPY(path, mmap: mmap) }))
        },
        Builtin("save_npy", family: "Data", [.required("t", "a tensor"), .required("path", "where to write the .npy")],
                summary: "Writes a tensor as a NumPy .npy file (atomically).",
                example: "type(save_npy)", result: "\"function\"") { args in
            let t = try args.tensor("t"), path = try args.string("path")
            return try write(args, path) { try t.saveNPY(path) }
        },
        Builtin("load_npz", family: "Data", [.required("path", "a .npz file")],
                summary: "Reads a NumPy .npz archive as a record of tensors.",
                errors: ["It is an error if the archive or one of its members is unreadable."],
                example: "type(load_npz)", result: "\"function\"") { args in
            let path = try args.string("path")
            return record(try read(args, path) { try Tensor.loadNPZ(path) })
        },
        Builtin("save_npz", family: "Data", [.required("arrays", "a record of tensors"), .required("path", "where to write the .npz"),
                                             .keyword("compressed", "deflate the members (default false)")],
                summary: "Writes a record of tensors as a NumPy .npz archive.",
                example: "type(save_npz)", result: "\"function\"") { args in
            let r = try args.record("arrays"), path = try args.string("path")
            var entries: [(name: String, tensor: Tensor)] = []
            for (k, v) in r.fields {
                do { entries.append((k, try TensorConvert.tensor(from: v, dtype: nil))) } catch {
                    throw args.error("arrays", "field '\(k)' is \(describeForError(v)), not a tensor", kind: .type)
                }
            }
            let compressed = try args.bool("compressed", default: false)
            return try write(args, path) { try Tensor.saveNPZ(NamedTensors(entries), to: path, compressed: compressed) }
        },
        Builtin("load_safetensors", family: "Data", [.required("path", "a .safetensors file")],
                summary: "Reads a safetensors file (F16, F32, F64, I32, I64, BOOL) as a record of tensors.",
                example: "type(load_safetensors)", result: "\"function\"") { args in
            let path = try args.string("path")
            return record(try read(args, path) { try Tensor.loadSafetensors(path) })
        },
        Builtin("save_csv", family: "Data", [.required("x", "a 2-D tensor, or a table"), .required("path", "where to write the .csv"),
                                             .keyword("header", "column names")],
                summary: "Writes a 2-D tensor (or a table) as CSV.",
                example: "type(save_csv)", result: "\"function\"") { args in
            let path = try args.string("path")
            if case .object(let t as TableObject) = try args.required("x") {
                return try write(args, path) { try t.table.save(to: path.hasSuffix(".csv") ? path : path + ".csv") }
            }
            let t = try args.tensor("x")
            let header = try args.given("header", args.strings)
            return try write(args, path) { try t.saveCSV(path, header: header) }
        },
    ]
}
