import Foundation
import LTTensor

/// Runs one fuzz input through LTTensor's file readers (.npy, .npy memory-mapped, .npz,
/// safetensors, CSV), the way `load_npy`, `load_npz`, `load_safetensors` and
/// `load_csv` reach them.
///
/// The first byte picks the reader (and, for CSV, the options); the rest is the file.
/// The readers take paths, so the bytes go to a scratch file first: that keeps the real
/// path (`RawFile`, `mmap`, ZIPFoundation's file access) under test. A reader may throw a
/// `TensorError`; a trap, a sanitizer report, a hang or a huge allocation is a bug.
public enum FileFuzzHarness {
    /// The readers, in the order the selector byte picks them.
    public enum Reader: Int, CaseIterable, Sendable {
        case npy, npyMmap, npz, safetensors, csv

        /// The scratch file's extension (ZIPFoundation and the readers do not care, but
        /// a replayed input is easier to inspect with the right one).
        var fileExtension: String {
            switch self {
            case .npy, .npyMmap: return "npy"
            case .npz: return "npz"
            case .safetensors: return "safetensors"
            case .csv: return "csv"
            }
        }
    }

    /// The CSV options a selector byte picks (its value divided by the reader count).
    static let csvOptions: [(header: Bool, label: CSVColumn?, columns: [String]?)] = [
        (true, nil, nil),
        (true, .index(-1), nil),
        (false, .index(0), nil),
        (true, .name("label"), ["a", "b"]),
    ]

    /// The selector byte for a reader (and CSV option set).
    public static func selector(_ reader: Reader, csvOption: Int = 0) -> UInt8 {
        UInt8(reader.rawValue + Reader.allCases.count * csvOption)
    }

    /// A directory of its own for this process's scratch files (in /dev/shm when there is
    /// one, so writing each input costs no disk I/O), removed when the process exits.
    static let scratchDirectory: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let dir = "\(base)/ltnb-fuzz-files-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: FileFuzzHarness.scratchDirectory) }
        return dir
    }()

    /// libFuzzer's entry. An error of another type than `TensorError` escaping a reader
    /// is a bug too (its message would not name the file), so it stops the fuzzer.
    public static func fuzz(_ bytes: UnsafeBufferPointer<UInt8>) {
        let outcome = run(Data(buffer: bytes))
        if outcome.hasPrefix(unexpected) {
            FileHandle.standardError.write(Data((outcome + "\n").utf8))
            abort()
        }
    }

    /// How `run` reports an error that is not a `TensorError`.
    public static let unexpected = "unexpected error type"

    /// Runs an input (selector byte + file) and says what the reader made of it.
    public static func run(_ input: Data) -> String {
        guard let first = input.first else { return "empty input" }
        let choice = Int(first)
        guard let reader = Reader(rawValue: choice % Reader.allCases.count) else { return "no reader" }
        let path = "\(scratchDirectory)/input.\(reader.fileExtension)"
        guard FileManager.default.createFile(atPath: path, contents: input.dropFirst()) else {
            return "cannot write \(path)"
        }
        do {
            switch reader {
            case .npy:
                return "npy: " + (try exercise(Tensor.loadNPY(path)))
            case .npyMmap:
                let t = try Tensor.loadNPY(path, mmap: true)
                // Walks the mapping block by block, as reducing a large file does.
                let total = try t.reduceChunks(rows: 1, initial: 0.0) { acc, block in acc + (try block.sum()) }
                return "npy mmap: sum \(total); " + (try exercise(t))
            case .npz:
                let all = try Tensor.loadNPZ(path)
                return "npz: " + (try all.map { "\($0.name)=\(try exercise($0.tensor))" }.joined(separator: "; "))
            case .safetensors:
                let all = try Tensor.loadSafetensors(path)
                return "safetensors: " + (try all.map { "\($0.name)=\(try exercise($0.tensor))" }.joined(separator: "; "))
            case .csv:
                let o = csvOptions[(choice / Reader.allCases.count) % csvOptions.count]
                let table = try Tensor.loadCSV(path, header: o.header, label: o.label, columns: o.columns)
                let labels = try table.labels.map(exercise) ?? "none"
                return "csv: columns \(table.columns), classes \(table.classes.count), features \(try exercise(table.features)), labels \(labels)"
            }
        } catch let error as TensorError {
            return "error: \(error.message)"
        } catch {
            // Only TensorError may leave a reader; anything else names the leak.
            return "\(unexpected) \(type(of: error)): \(error)"
        }
    }

    /// Reads every element of a loaded tensor (under AddressSanitizer a bad stride or
    /// offset is a report here) and prints it, as the REPL would.
    static func exercise(_ t: Tensor) throws -> String {
        let values = t.toDoubles()
        var digest = 0.0
        for v in values where v.isFinite { digest += v }
        let text = t.description
        return "\(t.dtype) \(t.shape) digest \(digest) text \(text.utf8.count) bytes"
    }
}
