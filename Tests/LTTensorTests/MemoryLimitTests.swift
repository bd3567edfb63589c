import Testing
#if canImport(Glibc)
  import Glibc
#endif

@testable import LTTensor

/// The allocation bound: physical memory, lowered by the cgroup's limit (a Slurm job sees
/// the node's memory but is killed at its own) and by `LTNB_MAX_TENSOR_MB`.
@Suite struct MemoryLimitTests {
  let gib: UInt64 = 1 << 30

  @Test func smallestBoundWinsAndIsNamed() {
    let alone = MemoryLimit.resolve(physical: 24 * gib, cgroupLimits: [], environment: nil)
    #expect(alone.bytes == Int(24 * gib) && alone.source == .physical)
    let job = MemoryLimit.resolve(physical: 24 * gib, cgroupLimits: [16 * gib, 8 * gib], environment: nil)
    #expect(job.bytes == Int(8 * gib) && job.source == .cgroup)
    let asked = MemoryLimit.resolve(physical: 24 * gib, cgroupLimits: [8 * gib], environment: " 1024 ")
    #expect(asked.bytes == 1 << 30 && asked.source == .environment)
    // A variable above the other bounds does not raise them.
    let above = MemoryLimit.resolve(physical: 24 * gib, cgroupLimits: [8 * gib], environment: "65536")
    #expect(above.bytes == Int(8 * gib) && above.source == .cgroup)
  }

  /// No bound is below `floor`, which is why allocations up to it skip the check.
  @Test func limitsNeverFallBelowTheFloor() {
    let tiny = MemoryLimit.resolve(physical: 24 * gib, cgroupLimits: [4096], environment: nil)
    #expect(tiny.bytes == MemoryLimit.floor && tiny.source == .cgroup)
    let smallest = MemoryLimit.resolve(physical: 24 * gib, cgroupLimits: [], environment: "1")
    #expect(smallest.bytes == MemoryLimit.floor && smallest.source == .environment)
    #expect(MemoryLimit.bytes >= MemoryLimit.floor)
  }

  @Test func unusableVariableIsIgnored() {
    for text in ["", "abc", "0", "-5", "1.5", "99999999999999999999", "18446744073709551615"] {
      let r = MemoryLimit.resolve(physical: 24 * gib, cgroupLimits: [], environment: text)
      #expect(r.bytes == Int(24 * gib) && r.source == .physical, "\(text)")
    }
  }

  @Test func limitFileContents() {
    #expect(MemoryLimit.parseLimit("8589934592\n") == 8 * gib)
    #expect(MemoryLimit.parseLimit("max\n") == nil)
    #expect(MemoryLimit.parseLimit("9223372036854771712\n") == nil)  // v1's "no limit"
    #expect(MemoryLimit.parseLimit("") == nil)
    #expect(MemoryLimit.parseLimit("0") == nil)
    #expect(MemoryLimit.parseLimit(" \t42\r\n") == 42)
    #expect(MemoryLimit.trimmed(" \t\n") == "")
    #expect(MemoryLimit.trimmed("\u{a0}7 ") == "\u{a0}7")  // only ASCII blanks go
  }

  @Test func theResolvedLimitIsAtMostPhysicalMemory() {
    // This machine's bound, read through libc: positive and no more than physical memory.
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
    #expect(MemoryLimit.bytes > 0)
    #expect(MemoryLimit.bytes <= pages * size)
  }

  @Test func limitFilesWalkEveryAncestor() {
    let v2 = MemoryLimit.limitFiles(procSelfCgroup: "0::/system.slice/job_5/step_0\n", root: "/r")
    #expect(v2 == ["/r/memory.max", "/r/system.slice/job_5/memory.max", "/r/system.slice/job_5/step_0/memory.max",
                   "/r/system.slice/memory.max"])
    // v1, as on this project's CI machines: only the memory controller's line counts.
    let v1 = MemoryLimit.limitFiles(procSelfCgroup: "5:cpu:/a\n4:memory:/process_api/x\n1:name=systemd:/\n0::/\n", root: "/r")
    #expect(v1 == ["/r/memory.max", "/r/memory/memory.limit_in_bytes", "/r/memory/process_api/memory.limit_in_bytes",
                   "/r/memory/process_api/x/memory.limit_in_bytes"])
    #expect(MemoryLimit.limitFiles(procSelfCgroup: "3:cpu,memory:/\n", root: "/r") == ["/r/memory/memory.limit_in_bytes"])
    #expect(MemoryLimit.limitFiles(procSelfCgroup: "garbage\n\n::\n", root: "/r").isEmpty)
  }

  @Test func thisProcessHasAPositiveLimit() {
    #expect(MemoryLimit.bytes > 0)
    #expect(TensorStorage.maxBytes == MemoryLimit.bytes)
  }
}
