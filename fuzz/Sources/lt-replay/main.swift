import FileFuzzHarness
import FuzzHarness
import Foundation

// Replays programs through the fuzz harness, without libFuzzer:
//   lt-replay FILE...                 run each with the fuzzing limits, print what it gives
//   lt-replay --golden ROOT FILE...   run each as GoldenProgramTests does (names relative
//                                     to ROOT) and write FILE's .out and .err beside it
//   lt-replay --run FILE              run one with the default limits, as `ltnb exec` does
//   lt-replay --files FILE...         run each through the file readers' harness (a
//                                     selector byte, then the file), print what it gives
var args = Array(CommandLine.arguments.dropFirst())
if args.first == "--files" {
    var unexpected = false
    for path in args.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
            print("\(path): cannot read")
            continue
        }
        let outcome = FileFuzzHarness.run(data)
        unexpected = unexpected || outcome.hasPrefix(FileFuzzHarness.unexpected)
        print("== \(path)\n\(outcome)")
    }
    exit(unexpected ? 1 : 0)
}
var goldenRoot: String?
if args.first == "--golden", args.count >= 2 {
    goldenRoot = args[1]
    args.removeFirst(2)
}
if args.first == "--run", args.count == 2, let data = FileManager.default.contents(atPath: args[1]) {
    let (out, err) = FuzzHarness.run(String(decoding: data, as: UTF8.self), name: args[1], smallLimits: false)
    print(out, terminator: "")
    FileHandle.standardError.write(Data(err.utf8))
    exit(err.isEmpty ? 0 : 1)
}
for path in args {
    guard let data = FileManager.default.contents(atPath: path) else {
        print("\(path): cannot read")
        continue
    }
    let text = String(decoding: data, as: UTF8.self)
    if let root = goldenRoot {
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        let rootPath = URL(fileURLWithPath: root).standardizedFileURL.path
        let name = full.hasPrefix(rootPath + "/") ? String(full.dropFirst(rootPath.count + 1)) : path
        let (out, err) = FuzzHarness.run(text, name: name, smallLimits: false)
        let base = String(full.dropLast(3))
        try? out.write(toFile: base + ".out", atomically: true, encoding: .utf8)
        if err.isEmpty { try? FileManager.default.removeItem(atPath: base + ".err") }
        else { try? err.write(toFile: base + ".err", atomically: true, encoding: .utf8) }
    } else {
        let (out, err) = FuzzHarness.run(text, name: "fuzz.lt", smallLimits: true)
        print("== \(path)\n\(out)\(err)", terminator: "")
    }
}
