import Testing
@testable import LTPlot

/// Bad input gives a clear `PlotError`, never a crash: one row per case, as in
/// swift-argument-parser's ErrorMessageTests.
@Suite struct ErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let id: String
        let make: @Sendable () throws -> Void
        let expected: String
        var testDescription: String { id }
    }

    static let cases: [Case] = [
        Case(id: "line x and y lengths differ", make: { _ = try Figure.line(x: [1, 2, 3], ys: [[1, 2]]) },
             expected: "x has 3 values but series 1 ('series 1') has 2"),
        Case(id: "line series lengths differ without x", make: { _ = try Figure.line(ys: [[1, 2, 3], [1, 2]], labels: ["a", "b"]) },
             expected: "series 1 has 3 values but series 2 ('b') has 2"),
        Case(id: "no series", make: { _ = try Figure.line(x: [1], ys: []) }, expected: "line needs at least one series"),
        Case(id: "empty x", make: { _ = try Figure.scatter(x: [], y: []) }, expected: "scatter needs at least one point, but x is empty"),
        Case(id: "labels count", make: { _ = try Figure.line(x: [1], ys: [[1]], labels: ["a", "b"]) }, expected: "2 labels for 1 series"),
        Case(id: "all NaN", make: { _ = try Figure.line(x: [1, 2], ys: [[.nan, .infinity]]) },
             expected: "line has no finite points to draw (all 2 are NaN or infinite)"),
        Case(id: "logy zero", make: { _ = try Figure.line(x: [1, 2], ys: [[1, 0]], labels: ["val"], options: FigureOptions(logy: true)) },
             expected: "logy needs positive y values, but series 1 ('val') has y[1] = 0"),
        Case(id: "logx negative", make: { _ = try Figure.scatter(x: [-1, 2], y: [1, 1], options: FigureOptions(logx: true)) },
             expected: "logx needs positive x values, but x[0] = -1"),
        Case(id: "bar lengths", make: { _ = try Figure.bar(categories: ["a", "b"], values: [[1]]) },
             expected: "2 categories but series 1 ('series 1') has 1 values"),
        Case(id: "bar no categories", make: { _ = try Figure.bar(categories: [], values: [[]]) }, expected: "bar needs at least one category"),
        Case(id: "bar logx", make: { _ = try Figure.bar(categories: ["a"], values: [[1]], options: FigureOptions(logx: true)) },
             expected: "logx is not supported for bar charts: the category axis has no scale"),
        Case(id: "bar logy negative", make: { _ = try Figure.bar(categories: ["a"], values: [[-1]], options: FigureOptions(logy: true)) },
             expected: "logy needs positive values, but series 1 ('series 1') has -1 for 'a'"),
        Case(id: "hist empty", make: { _ = try Figure.histogram(values: []) }, expected: "hist needs at least one value"),
        Case(id: "hist bins", make: { _ = try Figure.histogram(values: [1], bins: 0) }, expected: "hist needs bins >= 1, got 0"),
        Case(id: "hist all NaN", make: { _ = try Figure.histogram(values: [.nan]) },
             expected: "hist has no finite values (all 1 are NaN or infinite)"),
        Case(id: "heatmap empty", make: { _ = try Figure.heatmap(matrix: []) }, expected: "heatmap needs a non-empty matrix"),
        Case(id: "heatmap ragged", make: { _ = try Figure.heatmap(matrix: [[1, 2], [3]]) },
             expected: "heatmap rows must have equal lengths: row 0 has 2 values but row 1 has 1"),
        Case(id: "heatmap row labels", make: { _ = try Figure.heatmap(matrix: [[1]], rows: ["a", "b"]) },
             expected: "heatmap has 1 rows but 2 row labels"),
        Case(id: "heatmap column labels", make: { _ = try Figure.heatmap(matrix: [[1, 2]], columns: ["a"]) },
             expected: "heatmap has 2 columns but 1 column labels"),
        Case(id: "heatmap infinite", make: { _ = try Figure.heatmap(matrix: [[1, .infinity]]) },
             expected: "heatmap values must be finite or NaN, got inf"),
        Case(id: "heatmap log", make: { _ = try Figure.heatmap(matrix: [[1]], options: FigureOptions(logy: true)) },
             expected: "logx and logy are not supported for heatmaps"),
        Case(id: "table no records", make: { _ = try Table(records: []) }, expected: "table needs at least one record"),
        Case(id: "table column lengths", make: { _ = try Table(columns: [("a", [1, 2]), ("b", [1])]) },
             expected: "column 'b' has 1 values but column 'a' has 2"),
        Case(id: "table no rows", make: { _ = try Table(columns: [("a", [])]) },
             expected: "table needs at least one row, but the columns are empty"),
        Case(id: "table duplicate column", make: { _ = try Table(columns: [("a", [1]), ("a", [2])]) },
             expected: "table has two columns named 'a'"),
        Case(id: "table duplicate field", make: { _ = try Table(records: [[("a", 1), ("a", 2)]]) },
             expected: "record 0 has the field 'a' twice"),
        Case(id: "table ragged matrix", make: { _ = try Table(matrix: [[1, 2], [1]]) },
             expected: "matrix rows must have equal lengths: row 0 has 2 values but row 1 has 1"),
        Case(id: "table row names", make: { _ = try Table(matrix: [[1]], rowNames: ["a", "b"]) },
             expected: "matrix has 1 rows but 2 row names"),
        Case(id: "table unknown digits column", make: { _ = try Table(columns: [("a", [1])], options: TableOptions(columnDigits: ["b": 2])) },
             expected: "digits given for unknown column 'b' (columns: 'a')"),
        Case(id: "table negative digits", make: { _ = try Table(columns: [("a", [1])], options: TableOptions(digits: -1)) },
             expected: "digits must be between 0 and 12, got -1"),
        Case(id: "table unknown extension", make: { _ = try TableFormat.forPath("out/results.xlsx") },
             expected: "cannot save a table as '.xlsx': use .csv, .md, .tex, .html or .txt"),
        Case(id: "table no extension", make: { _ = try TableFormat.forPath("results") },
             expected: "cannot tell the table format of 'results': give it an extension (.csv, .md, .tex, .html or .txt)"),
    ]

    @Test(arguments: cases)
    func badInputGivesAClearError(_ c: Case) {
        do {
            try c.make()
            Issue.record("expected an error: \(c.expected)")
        } catch let error as PlotError {
            #expect(error.message == c.expected)
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }
}
