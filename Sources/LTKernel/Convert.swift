import Foundation
import LTLang
import LTNotebook

/// `ltnb convert`: .ltnb <-> .ipynb as a library call; the CLI only parses flags.
public enum Convert {
    public enum Format: String, Sendable { case ipynb, ltnb }

    public struct Request {
        public var input: String
        public var to: Format
        /// Default: the input with the other extension, beside it.
        public var output: String?
        /// Run the notebook (as `ltnb run` does) and keep its outputs in the .ipynb.
        public var execute = false
        public var params: [(name: String, value: String)] = []
        public var ltnbVersion = "0.0.0"
        public init(input: String, to: Format) { self.input = input; self.to = to }
    }

    /// Converts; returns the exit status (0 ok, 1 a cell failed under --execute, 2 bad input).
    public static func run(_ request: Request, log: (String) -> Void) -> Int32 {
        let input = request.input
        guard let data = FileManager.default.contents(atPath: input) else {
            log("error: cannot read '\(input)'\n")
            return 2
        }
        let output = request.output ?? ((input as NSString).deletingPathExtension + "." + request.to.rawValue)
        if URL(fileURLWithPath: output).standardizedFileURL == URL(fileURLWithPath: input).standardizedFileURL {
            log("error: '\(output)' is the input; pass -o to write elsewhere\n")
            return 2
        }
        let text: String
        var status: Int32 = 0
        switch request.to {
        case .ltnb:
            if request.execute { log("note: --execute applies to --to ipynb; the .ltnb keeps no outputs\n") }
            do { text = try IpynbReader.ltnb(from: data, path: input) } catch {
                log(error.description)
                return 2
            }
        case .ipynb:
            guard let source = String(data: data, encoding: .utf8) else {
                log("error: '\(input)' is not UTF-8 text\n")
                return 2
            }
            let notebook: Notebook
            do { notebook = try NotebookParser.parse(source, path: input) } catch {
                log(error.description)
                return 2
            }
            var result: RunResult?
            if request.execute {
                var options = RunOptions()
                options.params = request.params
                options.keepGoing = true
                options.useCache = false
                options.ltnbVersion = request.ltnbVersion
                do {
                    let r = try NotebookCommand.inNotebookFolder(input) { () throws(NotebookErrors) in
                        try NotebookRunner.run(notebook, options: options)
                    }
                    for d in r.diagnostics { log(d) }
                    status = r.status
                    result = r
                } catch {
                    log(error.description)
                    return 2
                }
            }
            text = IpynbWriter.text(IpynbWriter.document(notebook, run: result, version: request.ltnbVersion))
        }
        do { try AtomicFile.write(text, to: output) } catch {
            log("error: cannot write '\(output)': \(error.localizedDescription)\n")
            return 2
        }
        log("wrote \(output)\n")
        return status
    }
}
