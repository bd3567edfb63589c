import Foundation

/// The most bytes one tensor may take: the smallest of physical memory, the memory limit
/// of the control groups the process runs in, and `LTNB_MAX_TENSOR_MB` when it is set.
///
/// Why the cgroup: a Slurm job (or a container) sees the whole node's physical memory but
/// is killed at its own limit, so a size checked against physical memory alone passes and
/// the job dies later without a message. Why the variable: a user (or the fuzz harness)
/// can ask for a smaller bound than the machine's.
public enum MemoryLimit {
  /// The environment variable that lowers the limit, in MiB.
  public static let variable = "LTNB_MAX_TENSOR_MB"

  /// Which bound is the smallest, for messages.
  public enum Source: Sendable, Equatable { case physical, cgroup, environment }

  /// The limit for this process and where it comes from, read once.
  static let resolved: (bytes: Int, source: Source) = resolve(
    physical: ProcessInfo.processInfo.physicalMemory,
    cgroupLimits: readCgroupLimits(),
    environment: ProcessInfo.processInfo.environment[variable])

  public static var bytes: Int { resolved.bytes }

  /// How a "too large" message names the bound: "" for physical memory.
  static var source: String {
    switch resolved.source {
    case .physical: return ""
    case .cgroup: return " this process's cgroup allows"
    case .environment: return " \(variable) allows"
    }
  }

  /// The smallest of `physical`, every cgroup limit, and `environment` (MiB, a positive
  /// integer; anything else is ignored, as an unset variable is).
  static func resolve(physical: UInt64, cgroupLimits: [UInt64], environment: String?) -> (bytes: Int, source: Source) {
    var limit = physical, source = Source.physical
    for c in cgroupLimits where c < limit { limit = c; source = .cgroup }
    if let text = environment?.trimmingCharacters(in: .whitespaces), let mib = UInt64(text), mib > 0 {
      let (bytes, overflow) = mib.multipliedReportingOverflow(by: 1 << 20)
      if !overflow, bytes < limit { limit = bytes; source = .environment }
    }
    return (limit > UInt64(Int.max) ? Int.max : Int(limit), source)
  }

  /// A limit file's contents: a byte count, or nil for `max` (v2), the huge "no limit"
  /// values v1 reports (about 2^63), or anything unreadable.
  static func parseLimit(_ text: String) -> UInt64? {
    guard let n = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)), n > 0, n < 1 << 62 else { return nil }
    return n
  }

  /// The cgroup directories whose limits apply, from `/proc/self/cgroup`'s text: for v2
  /// (`0::/path`) every ancestor of the path under `root`, each with `memory.max`; for v1
  /// (`N:memory:/path`, or `N:...,memory,...:/path`) the same under `root/memory` with
  /// `memory.limit_in_bytes`. The mount's own top is included, which is what a process in
  /// a container with its own cgroup namespace sees as its cgroup.
  static func limitFiles(procSelfCgroup: String, root: String = "/sys/fs/cgroup") -> [String] {
    var files: [String] = []
    func ancestors(of path: String) -> [String] {
      let parts = path.split(separator: "/").map(String.init)
      return (0...parts.count).map { n in n == 0 ? "" : "/" + parts[0..<n].joined(separator: "/") }
    }
    for line in procSelfCgroup.split(separator: "\n") {
      let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
      guard fields.count == 3 else { continue }
      if fields[0] == "0", fields[1].isEmpty {
        files += ancestors(of: fields[2]).map { "\(root)\($0)/memory.max" }
      } else if fields[1].split(separator: ",").contains("memory") {
        files += ancestors(of: fields[2]).map { "\(root)/memory\($0)/memory.limit_in_bytes" }
      }
    }
    return Array(Set(files)).sorted()
  }

  private static func readCgroupLimits() -> [UInt64] {
    #if os(Linux)
      guard let text = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return [] }
      return limitFiles(procSelfCgroup: text).compactMap { path in
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap(parseLimit)
      }
    #else
      return []
    #endif
  }
}
