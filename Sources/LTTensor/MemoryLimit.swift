#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The most bytes one tensor may take: the smallest of physical memory, the memory limit
/// of the control groups the process runs in, and `LTNB_MAX_TENSOR_MB` when it is set.
///
/// Why the cgroup: a Slurm job (or a container) sees the whole node's physical memory but
/// is killed at its own limit, so a size checked against physical memory alone passes and
/// the job dies later without a message. Why the variable: a user (or the fuzz harness)
/// can ask for a smaller bound than the machine's.
///
/// Read with libc, not Foundation: `ProcessInfo` (which builds the whole environment
/// dictionary), `String(contentsOfFile:)` and `trimmingCharacters` made the first tensor of
/// every run pay about 0.5 ms, mostly first-use protocol-conformance lookups.
public enum MemoryLimit {
  /// The environment variable that lowers the limit, in MiB.
  public static let variable = "LTNB_MAX_TENSOR_MB"

  /// Which bound is the smallest, for messages.
  public enum Source: Sendable, Equatable { case physical, cgroup, environment }

  /// The limit for this process and where it comes from, read once.
  static let resolved: (bytes: Int, source: Source) = resolve(
    physical: physicalMemory(),
    cgroupLimits: readCgroupLimits(),
    environment: getenv(variable).map { String(cString: $0) })

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
    if let text = environment.map(trimmed), let mib = UInt64(text), mib > 0 {
      let (bytes, overflow) = mib.multipliedReportingOverflow(by: 1 << 20)
      if !overflow, bytes < limit { limit = bytes; source = .environment }
    }
    limit = Swift.max(limit, UInt64(floor))
    return (limit > UInt64(Int.max) ? Int.max : Int(limit), source)
  }

  /// No limit is below 1 MiB (the variable counts whole MiB; no process runs in less), so
  /// a smaller allocation needs no check and never reads the limit files: most runs make
  /// only small tensors and skip 0.17 ms of cgroup reads at the first one.
  public static let floor = 1 << 20

  /// A limit file's contents: a byte count, or nil for `max` (v2), the huge "no limit"
  /// values v1 reports (about 2^63), or anything unreadable.
  static func parseLimit(_ text: String) -> UInt64? {
    guard let n = UInt64(trimmed(text)), n > 0, n < 1 << 62 else { return nil }
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
      guard let text = readSmallFile("/proc/self/cgroup") else { return [] }
      return limitFiles(procSelfCgroup: text).compactMap { path in readSmallFile(path).flatMap(parseLimit) }
    #else
      return []
    #endif
  }

  private static func physicalMemory() -> UInt64 {
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, size > 0 else { return UInt64(Int.max) }
    let (bytes, overflow) = UInt64(pages).multipliedReportingOverflow(by: UInt64(size))
    return overflow ? UInt64.max : bytes
  }

  /// `text` without leading and trailing ASCII spaces, tabs, newlines and returns.
  static func trimmed(_ text: String) -> String {
    let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    let bytes = Array(text.utf8)
    guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else { return "" }
    return String(decoding: bytes[first...last], as: UTF8.self)
  }

  /// A small text file's contents (cgroup files are a line or a few), or nil when it
  /// cannot be read. Read to end of file, not by `RawFile`'s exact sizes: procfs and
  /// sysfs report sizes (0, 4096) that are not their contents'.
  private static func readSmallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 1 << 20 {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      guard n >= 0 else { return nil }
      if n == 0 { break }
      bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
