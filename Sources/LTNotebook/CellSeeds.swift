import LTLang

extension NotebookRunner {
    /// The seed the cell's random stream starts from under `ltnb run`, so the REPL's
    /// `:load` of a notebook draws the same random numbers as a batch run does.
    public static func randomSeed(for cell: Cell, in notebook: Notebook) -> UInt64 {
        streamSeed(notebook.frontMatter.seed, cell.anchor)
    }
}
