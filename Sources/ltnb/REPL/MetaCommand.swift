import Foundation
import LTLang
import LTNotebook
import LTStdlib

/// The REPL's own commands, typed after `:` (any unique prefix works: `:q`, `:h`).
/// `?name` is short for `:help name`.
enum MetaCommand: String, CaseIterable {
    case help, vars, type, time, load, save, reset, quit

    var usage: String {
        switch self {
        case .help: return ":help [name]"
        case .vars: return ":vars"
        case .type: return ":type expr"
        case .time: return ":time expr"
        case .load: return ":load file"
        case .save: return ":save file.ltnb"
        case .reset: return ":reset"
        case .quit: return ":quit"
        }
    }

    var summary: String {
        switch self {
        case .help: return "help on a built-in, a binding or a command (also ?name); without a name, everything"
        case .vars: return "your bindings with their type and a summary (shape for tensors)"
        case .type: return "the type of an expression's value"
        case .time: return "run an expression repeatedly and report the median time per run"
        case .load: return "run a script, or the ltnb cells of a notebook, in this session"
        case .save: return "write the entries that succeeded as a notebook that `ltnb run` accepts"
        case .reset: return "forget every binding"
        case .quit: return "leave the REPL (also Ctrl-D)"
        }
    }

    /// Whether a line (at the primary prompt) is a command rather than code.
    static func isMeta(_ line: String) -> Bool {
        let t = line.drop { $0 == " " || $0 == "\t" }
        return t.hasPrefix(":") || t.hasPrefix("?")
    }

    /// The command a name or unique prefix names.
    static func named(_ name: String) -> MetaCommand? {
        if let exact = MetaCommand(rawValue: name) { return exact }
        if name == "exit" || name == "q" { return .quit }
        let matches = allCases.filter { $0.rawValue.hasPrefix(name) }
        return !name.isEmpty && matches.count == 1 ? matches[0] : nil
    }

    static var table: String {
        "REPL commands:\n" + allCases.map {
            "  \($0.usage.padding(toLength: 16, withPad: " ", startingAt: 0)) \($0.summary)\n"
        }.joined() + """
          ?name            the same as :help name

        Keys: Tab completes; Up/Down and Ctrl-R search history; Ctrl-C clears the line or
        interrupts a running entry (bindings are kept); Ctrl-D quits.

        """
    }
}

enum MetaResult { case proceed, quit }

extension REPL {
    /// Runs one command line; errors are reported, never thrown.
    func runMeta(_ line: String) -> MetaResult {
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("?") {
            help(String(text.dropFirst()).trimmingCharacters(in: .whitespaces))
            return .proceed
        }
        let body = text.dropFirst()
        let name = String(body.prefix { !$0.isWhitespace })
        let argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let command = MetaCommand.named(name) else {
            let prefixed = MetaCommand.allCases.filter { !name.isEmpty && $0.rawValue.hasPrefix(name) }
            if prefixed.count > 1 {
                fail("':\(name)' is ambiguous: " + prefixed.map { ":" + $0.rawValue }.joined(separator: ", "))
                return .proceed
            }
            let guess = nearest(name, in: MetaCommand.allCases.map(\.rawValue)).map { "; did you mean ':\($0)'?" } ?? ""
            fail("unknown command ':\(name)'\(guess) (:help lists them)")
            return .proceed
        }
        switch command {
        case .help: help(argument)
        case .vars: listVariables()
        case .type: showType(argument)
        case .time: time(argument)
        case .load: load(argument)
        case .save: save(argument)
        case .reset:
            interpreter.reset()
            forgetEntries()
            output.write("cleared all bindings\n")
        case .quit: return .quit
        }
        return .proceed
    }

    func fail(_ message: String) {
        output.writeError(DiagnosticRenderer.render(Diagnostic(.usage, message), style: output.errorStyle))
    }

    // MARK: - Commands

    func help(_ name: String) {
        if name.isEmpty {
            output.write(MetaCommand.table + "\n" + Help.overview(interpreter.builtins))
        } else if name.hasPrefix(":"), let command = MetaCommand.named(String(name.dropFirst())) {
            output.write("\(command.usage)\n  \(command.summary)\n")
        } else if let b = interpreter.builtin(named: name), case .function(let f) = interpreter.global(name) ?? .nil,
                  f.builtin === b {
            output.write(Help.text(b) + "\n")
        } else if let value = interpreter.global(name) {
            output.write("\(name): \(value.typeName) = \(Self.summary(of: value, width: TerminalSize.columns))\n")
        } else {
            let guess = nearest(name, in: interpreter.allNames).map { "; did you mean '\($0)'?" } ?? ""
            fail("no built-in or binding named '\(name)'\(guess)")
        }
    }

    func listVariables() {
        let names = interpreter.userNames
        guard !names.isEmpty else {
            output.write("no bindings yet\n")
            return
        }
        let nameWidth = min(names.map(\.count).max() ?? 0, 24)
        let values = names.map { interpreter.global($0) ?? .nil }
        let typeWidth = values.map(\.typeName.count).max() ?? 0
        let room = max(20, TerminalSize.columns - nameWidth - typeWidth - 4)
        for (name, value) in zip(names, values) {
            let n = name.padding(toLength: max(nameWidth, name.count), withPad: " ", startingAt: 0)
            let t = value.typeName.padding(toLength: typeWidth, withPad: " ", startingAt: 0)
            output.write("\(n)  \(t)  \(Self.summary(of: value, width: room))\n")
        }
    }

    /// One line about a value: a function's signature, an object's summary (a tensor's
    /// shape and dtype), else its inline text cut to `width`.
    static func summary(of value: Value, width: Int) -> String {
        let text: String
        switch value {
        case .function(let f): text = f.signatureText
        case .object(let o): text = o.summary
        default: text = value.inlineText
        }
        guard text.count > width else { return text }
        return String(text.prefix(max(1, width - 3))) + "..."
    }

    func showType(_ expression: String) {
        guard !expression.isEmpty else { return fail("usage: :type expr") }
        do {
            let value = try interpreter.evaluate(SourceFile(name: "<:type>", text: expression)) ?? .nil
            if case .object(let o) = value {
                output.write("\(value.typeName)  \(o.summary)\n")
            } else {
                output.write(value.typeName + "\n")
            }
        } catch {
            output.writeError(DiagnosticRenderer.render(error, style: output.errorStyle))
        }
    }

    func load(_ path: String) {
        guard !path.isEmpty else { return fail("usage: :load file") }
        let expanded = NSString(string: path).expandingTildeInPath
        let bytes: [UInt8]
        switch Runner.readFile(expanded) {
        case .success(let b): bytes = b
        case .failure(let reason): return fail("cannot read '\(path)': \(reason)")
        }
        let source: SourceFile
        do throws(Diagnostic) { source = try SourceFile.decoding(bytes, name: path) } catch {
            output.writeError(DiagnosticRenderer.render(error, style: output.errorStyle))
            return fail("'\(path)' was not loaded")
        }
        let text = source.text
        let ext = (expanded as NSString).pathExtension.lowercased()
        guard ["ltnb", "md", "qmd", "rmd"].contains(ext) else {
            if evaluate(source) { recordSuccess(text.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return
        }
        loadNotebook(text, path: path, expanded: expanded)
    }

    /// Runs a notebook's cells as `ltnb run` would: the same parser (a bad notebook loads
    /// nothing), its params, each cell's own random stream, in the notebook's folder.
    private func loadNotebook(_ text: String, path: String, expanded: String) {
        let notebook: Notebook
        do {
            notebook = try NotebookParser.parse(text, path: path)
        } catch {
            for e in error.errors {
                output.writeError(e.diagnostic.map { DiagnosticRenderer.render($0, style: output.errorStyle) } ?? e.description)
            }
            return fail("'\(path)' was not loaded")
        }
        for p in notebook.frontMatter.params { interpreter.define(p.name, p.value) }
        let cells = notebook.cells.filter(\.options.eval)
        let fm = FileManager.default
        let previous = fm.currentDirectoryPath
        let moved = fm.changeCurrentDirectoryPath((expanded as NSString).deletingLastPathComponent.isEmpty
            ? previous : (expanded as NSString).deletingLastPathComponent)
        defer { if moved { _ = fm.changeCurrentDirectoryPath(previous) } }
        let random = SessionRandom.of(interpreter)
        var ran = 0
        let interrupts = REPLSignals.interruptCount.load(ordering: .relaxed)
        for cell in cells {
            if REPLSignals.interruptCount.load(ordering: .relaxed) != interrupts {
                fail("interrupted after \(ran) of \(cells.count) cells of '\(path)'")
                return
            }
            random.reseed(NotebookRunner.randomSeed(for: cell, in: notebook))
            guard evaluate(cell.sourceFile(name: path)) else {
                fail("stopped at the cell on line \(cell.fenceLine) of '\(path)'; \(ran) of \(cells.count) cells ran")
                return
            }
            recordSuccess(cell.code.trimmingCharacters(in: .whitespacesAndNewlines))
            ran += 1
        }
        output.write("ran \(ran) cell\(ran == 1 ? "" : "s") from \(path)\n")
    }

    func save(_ path: String) {
        guard !path.isEmpty else { return fail("usage: :save file.ltnb") }
        var target = NSString(string: path).expandingTildeInPath
        if (target as NSString).pathExtension.isEmpty { target += ".ltnb" }
        let text = NotebookText.render(cells: successfulEntries, title: "ltnb session", date: Date())
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
            let n = successfulEntries.count
            output.write("saved \(n) cell\(n == 1 ? "" : "s") to \(target)\n")
        } catch {
            fail("cannot write '\(target)': \(Runner.describe(error))")
        }
    }
}
