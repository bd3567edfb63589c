import Foundation
import Testing

@testable import LTTensor

/// The kernel dispatch reads the CPU with cpuid and xgetbv itself (no libgcc constructor
/// at start-up); what it finds must be what the kernel reports in /proc/cpuinfo, whose
/// flags Linux shows only when the CPU has the instructions and the OS saves their state.
@Suite struct KernelISATests {
  @Test func detectionAgreesWithTheKernelsCPUFlags() throws {
    #if os(Linux) && arch(x86_64)
      let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
      let flagsLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("flags") })
      let flags = Set(flagsLine.split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
      let expected: String
      if flags.isSuperset(of: ["avx2", "fma", "avx512f"]) {
        expected = "avx512"
      } else if flags.isSuperset(of: ["avx2", "fma"]) {
        expected = "avx2"
      } else {
        expected = "portable"
      }
      #expect(Tensor.detectedKernelISA == expected, "flags: \(flags.filter { $0.hasPrefix("avx") || $0 == "fma" }.sorted())")
    #endif
  }
}
