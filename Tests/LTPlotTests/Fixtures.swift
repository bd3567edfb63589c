import Foundation
@testable import LTPlot

/// Deterministic figures and tables shared by the golden, XML and layout tests.
enum Fixtures {
    /// A small LCG so fixtures never depend on the platform's random generator.
    struct LCG {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
        /// Roughly normal (Irwin-Hall of four uniforms).
        mutating func normal() -> Double { (next() + next() + next() + next() - 2) * 1.7 }
    }

    static func line() throws -> Figure {
        let x = (0..<50).map(Double.init)
        let train = x.map { 0.9 - 0.6 * exp(-$0 / 8) }
        let val = x.map { $0 == 20 ? .nan : 0.78 - 0.6 * exp(-$0 / 12) }
        return try Figure.line(
            x: x, ys: [train, val], labels: ["train", "val"],
            options: FigureOptions(title: "Top-1 accuracy while fine-tuning", xlabel: "epoch", ylabel: "accuracy"))
    }

    static func scatter() throws -> Figure {
        var g = LCG(state: 7)
        let x = (0..<60).map { _ in g.next() * 0.9 + 0.05 }
        let head = x.map { min(1, max(0, $0 * 0.8 + 0.1 + g.normal() * 0.04)) }
        let tail = x.map { min(1, max(0, $0 * 0.5 + g.normal() * 0.05)) }
        return try Figure.scatter(
            x: x, ys: [head, tail], labels: ["head classes", "tail classes"],
            options: FigureOptions(title: "Zero-shot vs fine-tuned", xlabel: "zero-shot accuracy", ylabel: "fine-tuned accuracy"))
    }

    static func bar() throws -> Figure {
        try Figure.bar(
            categories: ["many", "medium", "few"],
            values: [[0.712, 0.523, 0.31], [0.695, 0.601, 0.452], [0.688, 0.615, 0.497]],
            labels: ["CE", "LA", "LA + GLA"],
            options: FigureOptions(title: "Accuracy by frequency group", xlabel: "group", ylabel: "accuracy"))
    }

    static func histogram() throws -> Figure {
        var g = LCG(state: 42)
        let values = (0..<400).map { _ in g.normal() * 2 + 0.5 } + [.nan, .infinity, -.infinity]
        return try Figure.histogram(
            values: values, bins: 24, options: FigureOptions(title: "Logit margins", xlabel: "margin"))
    }

    static func heatmap() throws -> Figure {
        let m = [[0.91, 0.05, 0.04, 0.00], [0.12, 0.71, 0.15, 0.02], [0.03, 0.28, 0.64, 0.05], [0.01, 0.09, 0.35, 0.55]]
        return try Figure.heatmap(
            matrix: m, rows: ["airplane", "bird", "cat", "deer"], columns: ["airplane", "bird", "cat", "deer"],
            annotate: true, options: FigureOptions(title: "Confusion matrix", xlabel: "predicted", ylabel: "true"))
    }

    static func diverging() throws -> Figure {
        let m = [[0.8, -0.2, 0.1], [-0.5, 0.3, -0.9], [0.0, 0.45, -0.05]]
        return try Figure.heatmap(
            matrix: m, rows: ["CLIP", "OpenCLIP", "MetaCLIP"], columns: ["many", "medium", "few"],
            annotate: true, colorMap: .diverging, options: FigureOptions(title: "Change in accuracy"))
    }

    static func loglog() throws -> Figure {
        let ranks = (1...100).map(Double.init)
        let counts = ranks.map { 1000 * pow($0, -1.2) }
        let prior = ranks.map { 600 * pow($0, -0.9) }
        return try Figure.line(
            x: ranks, ys: [counts, prior], labels: ["downstream", "pre-training"],
            options: FigureOptions(title: "Class frequency by rank", xlabel: "class rank", ylabel: "images", logx: true, logy: true))
    }

    /// Every fixture figure by name, the order the golden files are listed in.
    static func all() throws -> [(String, Figure)] {
        [("line", try line()), ("scatter", try scatter()), ("bar", try bar()), ("hist", try histogram()),
         ("heatmap", try heatmap()), ("heatmap-diverging", try diverging()), ("loglog", try loglog())]
    }

    static func results() throws -> Table {
        try Table(
            records: [
                [("method", "CE"), ("all", 0.6412), ("many", 0.7124), ("medium", 0.523), ("few", 0.1), ("ECE", 0.081)],
                [("method", "LA (τ=1)"), ("all", 0.6590), ("many", 0.7119), ("medium", 0.6), ("few", 0.452), ("ECE", 0.05)],
                [("method", "LA + GLA"), ("all", 0.6633), ("many", 0.688), ("medium", 0.615), ("few", 0.4971), ("ECE", nil)],
            ],
            options: TableOptions(caption: "Top-1 accuracy on ImageNet-LT", highlight: .max, columnHighlight: ["ECE": .min]))
    }

    static func matrix() throws -> Table {
        try Table(
            matrix: [[1, 0.25, -3], [1e6, 0.5, 2]], columnNames: ["a", "b", "c"], rowNames: ["x", "y"],
            options: TableOptions(digits: 2))
    }
}
