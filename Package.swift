// swift-tools-version: 6.0
// The package reads as the architecture in DESIGN.md: every dependency points down.
//
//   ltnb (executable)   CLI, REPL loop, readline glue, terminal rendering
//   LTSweep             `ltnb sweep`: parameter grids, local/Slurm backends, summary report
//   LTKernel            the Jupyter kernel (messaging over ZeroMQ) and .ipynb conversion
//   LTNotebook          .ltnb parsing, cell execution, cache, HTML report
//   LTStdlib            the built-in library: binds LTLearn, LTTensor, LTPlot into the language
//   LTLang              lexer, parser, resolver, closure compiler, values, diagnostics
//   LTLearn             datasets, LT-Synth, losses, fine-tuning, priors, ensembles, metrics
//   LTPlot              figure model, Unicode/ASCII and SVG renderers, tables
//   LTTensor            n-d arrays, broadcasting, kernels, RNG, file I/O
//   CLTKernels          C matmul and elementwise kernels under LTLearn and LTTensor
//   LTBytes             bounded little-endian readers and writers under every binary codec
//   LTNumberText        the text form of numbers, for display and diagnostics
//   CNumberFormat       C's snprintf for fixed and scientific notation, under LTNumberText
//   CReadline, CZeroMQ  shims of readline and ZeroMQ, both loaded with dlopen
import PackageDescription

let package = Package(
    name: "ltnb",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ltnb", targets: ["ltnb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // Test-only: property-based checks in LTTensorTests.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: - The executable
        .executableTarget(
            name: "ltnb",
            dependencies: [
                "LTSweep", "LTKernel", "LTNotebook", "LTStdlib", "LTLang", "LTPlot", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: - Public modules, top to bottom
        // `ltnb sweep`: the grid, local and Slurm backends, the summary report.
        .target(name: "LTSweep", dependencies: ["LTNotebook", "LTLang", "LTPlot"]),
        .target(name: "LTKernel", dependencies: ["LTNotebook", "LTStdlib", "LTLang", "LTPlot", "CZeroMQ"]),
        .target(
            name: "LTNotebook",
            dependencies: [
                "LTStdlib", "LTLang", "LTPlot",
                .product(name: "Ink", package: "Ink"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .target(name: "LTStdlib", dependencies: ["LTLang", "LTLearn", "LTPlot", "LTTensor"]),
        .target(name: "LTLang", dependencies: ["LTBytes", "LTNumberText"]),
        .target(
            name: "LTLearn", dependencies: ["CLTKernels", "LTBytes", "LTNumberText"],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "LTPlot", dependencies: ["LTBytes"]),
        .target(
            name: "LTTensor",
            dependencies: ["CLTKernels", "LTNumberText", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),

        // MARK: - Implementation details
        // The one text form of numbers, for display and diagnostics alike.
        .target(name: "LTNumberText", dependencies: ["CNumberFormat"]),
        .target(name: "CNumberFormat"),
        // Matmul and elementwise kernels in C, with run-time CPU dispatch.
        .target(name: "CLTKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // The little-endian primitives LTLearn's, LTPlot's and LTLang's codecs share.
        .target(name: "LTBytes"),

        // MARK: - Benchmarks (make bench)
        .executableTarget(
            name: "TensorBench", dependencies: ["LTTensor"], path: "bench/tensor",
            exclude: ["numpy_bench.py", "report.py", "run.sh", "RESULTS.md"]),
        .executableTarget(
            name: "LearnBench", dependencies: ["LTLearn"], path: "bench/learn", exclude: ["bench_learn.py", "bench_gla.py", "bench_torch.py", "run.sh", "RESULTS.md"]),
        .executableTarget(
            name: "BoundaryBench", dependencies: ["LTLearn", "LTTensor"], path: "bench/boundary", exclude: ["run.sh", "RESULTS.md"]),

        // MARK: - System-library shims
        // GNU readline, dlopened by the REPL (libreadline8 at run time, no header to build).
        .target(name: "CReadline"),
        .systemLibrary(name: "CZeroMQ", providers: [.apt(["libzmq3-dev"])]),

        // MARK: - Tests mirror modules
        .testTarget(name: "LTBytesTests", dependencies: ["LTBytes"]),
        .testTarget(name: "LTLangTests", dependencies: ["LTLang"]),
        .testTarget(name: "LTNumberTextTests", dependencies: ["LTNumberText"]),
        .testTarget(
            name: "LTStdlibTests", dependencies: ["LTStdlib", "LTLang"], exclude: ["GOLDEN.md"],
            resources: [.copy("Golden")]),
        .testTarget(
            name: "LTTensorTests",
            dependencies: ["LTTensor", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "LTLearnTests", dependencies: ["LTLearn"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LTPlotTests", dependencies: ["LTPlot"], resources: [.copy("Golden")]),
        .testTarget(
            name: "LTNotebookTests", dependencies: ["LTNotebook", "LTStdlib", "LTLang"],
            resources: [.copy("Golden")]),
        .testTarget(name: "LTSweepTests", dependencies: ["LTSweep", "LTNotebook"]),
        .testTarget(name: "LTKernelTests", dependencies: ["LTKernel", "LTNotebook", "LTLang"]),
        .testTarget(name: "ltnbTests", dependencies: ["ltnb"]),
    ],
    swiftLanguageModes: [.v6]
)
