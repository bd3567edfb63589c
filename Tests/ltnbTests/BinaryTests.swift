import Foundation
import Testing

/// Runs the built `ltnb` binary the way a user does.
@Suite struct BinaryTests {
    @Test func evaluatesAnExpression() throws {
        let r = try LtnbProcess.run(["-e", "1 + 2"])
        #expect(r.status == 0)
        #expect(r.stdout == "3\n")
    }

    @Test func reportsErrorsOnStderrWithExitOne() throws {
        let r = try LtnbProcess.run(["-e", "[1, 2][5]"])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("error: index 5 is out of range for length 2"))
        #expect(r.stderr.contains("--> <-e>:1:7"))
    }

    @Test func usageErrorExitsTwo() throws {
        #expect(try LtnbProcess.run(["--bogus"]).status == 2)
    }
}

/// Locates and runs the `ltnb` binary built beside the test bundle.
enum LtnbProcess {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static var binary: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("ltnb")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/ltnb")
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
