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

    /// backdoor over memory-mapped members is scored without building its N x K output:
    /// with tensors capped at 16 MiB, the metrics on the ensemble of two 36 MB files run
    /// (same numbers as in memory), while building it is refused with a message.
    @Test func anEnsembleOfMappedFilesIsScoredWithoutBuildingIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltnb-lazy-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let write = """
            y = randint(0, 8142, 1100, seed: 3)
            z = randn(1100, 8142, seed: 1) * 3 + 11 * one_hot(y, 8142)
            w = randn(1100, 8142, seed: 2) * 3 + 11 * one_hot(y, 8142)
            save_npy(z, "\(path("z.npy"))"); save_npy(w, "\(path("w.npy"))"); save_npy(y, "\(path("y.npy"))")
            b = backdoor([z, w])
            print(accuracy(b, y), nll(b, y), accuracy(argmax(b, axis: 1), y))
            """
        let score = """
            m = load_npy("\(path("z.npy"))", mmap: true); n = load_npy("\(path("w.npy"))", mmap: true)
            y = load_npy("\(path("y.npy"))")
            b = backdoor([m, n])
            print(accuracy(b, y), nll(b, y), accuracy(argmax(b, axis: 1), y))
            sum(b)
            """
        try Data(write.utf8).write(to: URL(fileURLWithPath: path("write.lt")))
        try Data(score.utf8).write(to: URL(fileURLWithPath: path("score.lt")))
        let inMemory = try LtnbProcess.run(["exec", path("write.lt")])
        #expect(inMemory.status == 0, "\(inMemory.stderr)")
        let capped = try LtnbProcess.run(["exec", path("score.lt")], environment: ["LTNB_MAX_TENSOR_MB": "16"])
        #expect(capped.status == 1)
        #expect(!inMemory.stdout.isEmpty && capped.stdout == inMemory.stdout, "\(capped.stdout) vs \(inMemory.stdout)")
        #expect(capped.stderr.contains("tensor of shape (1100, 8142) is too large"), "\(capped.stderr)")
        #expect(capped.stderr.contains("LTNB_MAX_TENSOR_MB allows"), "\(capped.stderr)")
        #expect(capped.stderr.contains("score.lt:5:"), "\(capped.stderr)")
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
