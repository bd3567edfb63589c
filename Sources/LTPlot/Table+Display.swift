/// The one-line summary the REPL shows for a table value.
extension Table: CustomStringConvertible {
    /// For example `<table 3 x 6: Top-1 accuracy on ImageNet-LT>`.
    public var description: String {
        let caption = options.caption.map { ": \($0)" } ?? ""
        return "<table \(rows.count) x \(columns.count)\(caption)>"
    }
}
