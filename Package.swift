// swift-tools-version: 6.0
// The package reads as the architecture in DESIGN.md: every dependency points down.
//
//   ltnb (executable)   CLI, REPL loop, readline glue, terminal rendering
//   LTNotebook          .ltnb parsing, cell execution, cache, HTML report
//   LTStdlib            the built-in library: binds LTLearn, LTTensor, LTPlot into the language
//   LTLang              lexer, parser, resolver, closure compiler, values, diagnostics
//   LTLearn             datasets, LT-Synth, losses, fine-tuning, priors, ensembles, metrics
//   LTPlot              figure model, Unicode/ASCII and SVG renderers, tables
//   LTTensor            n-d arrays, broadcasting, kernels, RNG, file I/O
//   CReadline, CBLAS    system-library shims
import PackageDescription

let package = Package(
    name: "ltnb",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ltnb", targets: ["ltnb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - The executable
        .executableTarget(
            name: "ltnb",
            dependencies: [
                "LTStdlib", "LTLang",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: - Public modules, top to bottom
        .target(name: "LTStdlib", dependencies: ["LTLang", "LTPlot"]),
        .target(name: "LTLang"),
        .target(name: "LTPlot"),

        // MARK: - System-library shims
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),

        // MARK: - Tests mirror modules
        .testTarget(name: "LTLangTests", dependencies: ["LTLang"]),
        .testTarget(
            name: "LTStdlibTests", dependencies: ["LTStdlib", "LTLang"],
            resources: [.copy("Golden")]),
        .testTarget(name: "LTPlotTests", dependencies: ["LTPlot"], resources: [.copy("Golden")]),
        .testTarget(name: "ltnbTests", dependencies: ["ltnb"]),
    ],
    swiftLanguageModes: [.v6]
)
