import Foundation
import Testing
@testable import ltnb

/// The ArgumentParser bypass for `exec FILE` and `-e CODE` takes only those shapes, and
/// the POSIX file reader it uses says what `Data(contentsOf:)` said.
@Suite struct QuickCommandLineTests {
    @Test func takesOnlyExecOfAFileAndEvalOfCode() {
        #expect(QuickCommandLine.command(["exec", "a.lt"]) != nil)
        #expect(QuickCommandLine.command(["exec", "-"]) != nil)
        #expect(QuickCommandLine.command(["-e", "1 + 2"]) != nil)
        // Flags, other subcommands and other counts are ArgumentParser's.
        for arguments in [["exec", "--help"], ["exec", "-h"], ["-e", "--version"], ["-e", "-"], ["exec"],
                          ["exec", "a.lt", "b.lt"], ["run", "x.ltnb"], ["--version"], [], ["-e"], ["help", "len"]] {
            #expect(QuickCommandLine.command(arguments) == nil, "\(arguments)")
        }
    }

    @Test func readsFilesWholeAndNamesWhyNot() throws {
        let dir = NSTemporaryDirectory() + "ltnb-quick-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Larger than one read chunk, with every byte value.
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/big.bin"))
        #expect(try Runner.readFile(dir + "/big.bin").get() == bytes)
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.lt"))
        #expect(try Runner.readFile(dir + "/empty.lt").get() == [])
        #expect(failure(Runner.readFile(dir + "/missing.lt")) == "no such file")
        #expect(failure(Runner.readFile(dir)) == "it is a directory")
        #expect(failure(Runner.readFile(dir + "/big.bin/x")) == "not a directory")
    }

    private func failure(_ result: Result<[UInt8], Runner.ReadFailure>) -> String? {
        if case .failure(let f) = result { return f.description }
        return nil
    }
}
