import FileFuzzHarness
import Foundation

/// libFuzzer's callback: every input is a selector byte and a file for one reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FileFuzzHarness.fuzz(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// libFuzzer's driver (from libclang_rt.fuzzer, linked by -sanitize=fuzzer).
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`. `--write-seeds DIR`
/// writes the seed corpus and exits; anything else goes to libFuzzer.
@_cdecl("ltnb_fuzz_files_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let args = CommandLine.arguments
    if args.count == 3, args[1] == "--write-seeds" {
        do {
            print("wrote \(try FileFuzzHarness.writeSeeds(to: args[2])) seeds to \(args[2])")
            return 0
        } catch {
            print("cannot write seeds: \(error)")
            return 1
        }
    }
    var count = argc
    var vector = argv
    return runDriver(&count, &vector, fuzzOneInput)
}
