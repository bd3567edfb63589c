// swift-tools-version: 6.0
// The libFuzzer targets, kept out of the main package because they only link when built
// with `-sanitize=fuzzer` (libFuzzer supplies `main`): `ltnb-fuzz` over lexer + parser +
// interpreter, `ltnb-fuzz-files` over LTTensor's file readers (.npy, .npz, safetensors,
// CSV, memory-mapped .npy).
// The library targets build from Snapshot/, a copy of ../Sources that scripts/fuzz.sh
// refreshes with rsync (so edits made during a long build do not break it); they mirror
// the main package's graph below LTStdlib: if LTStdlib gains a dependency, add it here.
// Built and run by scripts/fuzz.sh (`make fuzz`, `make fuzz TARGET=lang|files`).
import Foundation
import PackageDescription

/// LTStdlib's modules, as the snapshot has them (LTLearn joins once LTStdlib imports it).
let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
let hasLearn = FileManager.default.fileExists(atPath: here + "/Snapshot/LTLearn")
let stdlibDependencies: [Target.Dependency] = ["LTLang", "LTPlot", "LTTensor"] + (hasLearn ? ["LTLearn"] : [])

let package = Package(
    name: "ltnb-fuzz",
    dependencies: [
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // MARK: - Fuzzing
        // Entry point for libFuzzer; build with -sanitize=fuzzer -parse-as-library.
        .executableTarget(name: "ltnb-fuzz", dependencies: ["FuzzHarness"]),
        .executableTarget(name: "ltnb-fuzz-files", dependencies: ["FileFuzzHarness"]),
        // Runs inputs (corpus files, crash reproducers) through the same harnesses, no libFuzzer.
        .executableTarget(name: "lt-replay", dependencies: ["FuzzHarness", "FileFuzzHarness"]),
        .target(name: "FuzzHarness", dependencies: ["LTStdlib", "LTLang"]),
        .target(name: "FileFuzzHarness", dependencies: ["LTTensor"]),

        // MARK: - The main package's modules (copies in Snapshot/)
        .target(name: "LTStdlib", dependencies: stdlibDependencies, path: "Snapshot/LTStdlib"),
        .target(name: "LTLang", dependencies: ["LTBytes", "LTNumberText"], path: "Snapshot/LTLang"),
        .target(name: "LTPlot", dependencies: ["LTBytes"], path: "Snapshot/LTPlot"),
        .target(name: "LTBytes", path: "Snapshot/LTBytes"),
        .target(name: "LTNumberText", dependencies: ["CNumberFormat"], path: "Snapshot/LTNumberText"),
        .target(name: "CNumberFormat", path: "Snapshot/CNumberFormat"),
        .target(
            name: "LTTensor",
            dependencies: ["CLTKernels", "LTNumberText", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Snapshot/LTTensor"),
        .target(name: "CLTKernels", path: "Snapshot/CLTKernels", cSettings: [.unsafeFlags(["-O3"])]),
    ] + (hasLearn ? [.target(name: "LTLearn", dependencies: ["CLTKernels", "LTBytes", "LTNumberText"], path: "Snapshot/LTLearn")] : []),
    swiftLanguageModes: [.v6]
)
