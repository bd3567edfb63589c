import Foundation
import ZIPFoundation

/// Tensors with names, in file order: what .npz and safetensors files hold.
public struct NamedTensors: Sendable, Sequence {
  /// The entries in order.
  public var entries: [(name: String, tensor: Tensor)]

  /// Creates a collection from ordered entries.
  public init(_ entries: [(name: String, tensor: Tensor)] = []) { self.entries = entries }

  /// The names in order.
  public var names: [String] { entries.map(\.name) }

  /// The tensor called `name`, if any.
  public subscript(name: String) -> Tensor? { entries.first { $0.name == name }?.tensor }

  public func makeIterator() -> IndexingIterator<[(name: String, tensor: Tensor)]> { entries.makeIterator() }
}

/// .npz archives (a zip of .npy members, stored or deflated), via ZIPFoundation.
extension Tensor {
  /// Loads every `<name>.npy` member of an .npz file, in archive order.
  public static func loadNPZ(_ path: String) throws -> NamedTensors {
    guard FileManager.default.fileExists(atPath: path) else { throw TensorError("cannot open '\(path)': no such file") }
    let archive: Archive
    do {
      archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    } catch {
      throw TensorError("'\(path)' is not an .npz file: not a readable zip archive")
    }
    let fileSize = try RawFile(reading: path).sizeAndClose()
    let (bound, o) = fileSize.multipliedReportingOverflow(by: 1032)
    let expansionBound = o ? Int.max : bound + 4096
    var out = NamedTensors()
    for entry in archive where entry.type == .file {
      let member = "\(path)[\(entry.path)]"
      guard entry.uncompressedSize <= UInt64(TensorStorage.maxBytes) else {
        throw TensorError("'\(member)': member size \(entry.uncompressedSize) is too large")
      }
      let declared = Int(entry.uncompressedSize)
      var data = Data()
      // The declared sizes are the archive's word, not facts: reserve at most what the
      // whole file could expand to when deflated (about 1032:1), so a small corrupt
      // archive cannot ask for gigabytes; `data` grows past it if a member needs it.
      data.reserveCapacity(Swift.min(declared, expansionBound))
      do {
        _ = try archive.extract(entry) { chunk in
          if data.count + chunk.count > declared { throw TensorError("'\(member)': more data than the declared \(declared) bytes") }
          data.append(chunk)
        }
      } catch let e as TensorError {
        throw e
      } catch {
        throw TensorError("'\(member)': corrupt zip member (\(error))")
      }
      let name = entry.path.hasSuffix(".npy") ? String(entry.path.dropLast(4)) : entry.path
      out.entries.append((name, try decodeNPY(MemorySource(path: member, data: data), mapping: nil)))
    }
    return out
  }

  /// Writes tensors to an .npz file as `<name>.npy` members, deflated when
  /// `compressed` (NumPy's savez_compressed) and stored otherwise.
  public static func saveNPZ(_ tensors: NamedTensors, to path: String, compressed: Bool = false) throws {
    try? FileManager.default.removeItem(atPath: path)
    let archive: Archive
    do {
      archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    } catch {
      throw TensorError("cannot write '\(path)': \(error)")
    }
    for (name, t) in tensors.entries {
      let data = try t.npyData()
      do {
        try archive.addEntry(
          with: name + ".npy", type: .file, uncompressedSize: Int64(data.count),
          compressionMethod: compressed ? .deflate : .none
        ) { position, size in
          data.subdata(in: Int(position)..<Int(position) + size)
        }
      } catch {
        throw TensorError("cannot write '\(path)': \(error)")
      }
    }
  }
}
