/// LTNotebook: .ltnb parsing, cell execution, cache and the HTML report (issue 7).
enum LTNotebookModule { static let name = "LTNotebook" }
