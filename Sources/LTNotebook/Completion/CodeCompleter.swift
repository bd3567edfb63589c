import Foundation
import LTLang

/// Tab completion, as pure logic over the text before the cursor, so it is tested without
/// a terminal and shared by the REPL (through readline) and the Jupyter kernel
/// (complete_request). Offsets are in UTF-8 bytes, as readline counts them.
///
/// - after `:` at the start of a line: the front end's meta-commands (`commands`); after
///   its help command, built-in names; after its file commands, file paths;
/// - inside a string literal: file paths;
/// - after `expr.`: record keys and object fields (datasets, models, tensors), where
///   `expr` is a chain of names and fields that can be looked up without running code;
/// - at an argument inside a call: the callee's keyword names (`epochs:`), then names;
/// - elsewhere: keywords, built-ins and bound names.
public struct CodeCompleter {
    public struct Completion: Equatable {
        /// Where the replaced word starts (UTF-8 offset into the line).
        public var start: Int
        public var candidates: [String]
        /// Typed after a single match: `(` after a function, a space after a keyword
        /// argument or command, `/` is already part of a directory, the closing quote
        /// after a file.
        public var suffix: String = ""
        /// What a candidate is, for the list a second Tab shows: a binding's type and
        /// summary (a tensor's shape), a built-in's signature, a keyword argument's doc.
        public var notes: [String: String] = [:]
    }

    public static let keywords = ["fn", "let", "if", "else", "for", "in", "while", "return", "break", "continue",
                           "true", "false", "nil", "and", "or", "not"]

    /// A front end's `:` commands, which the completer completes and whose arguments it
    /// knows: the REPL's, or none in the kernel.
    public struct Commands {
        /// Every command name, in the order offered.
        public var names: [String]
        /// The command a name or unique prefix means, nil when none.
        public var resolve: (String) -> String?
        /// The command whose argument is a name (`:help`), if any.
        public var help: String?
        /// Commands whose argument is a file path (`:load`, `:save`).
        public var paths: Set<String>
        /// Whether `?name` is help on a name.
        public var questionMark: Bool

        public init(names: [String], resolve: @escaping (String) -> String?, help: String?, paths: Set<String>,
                    questionMark: Bool) {
            self.names = names; self.resolve = resolve; self.help = help; self.paths = paths
            self.questionMark = questionMark
        }

        /// No commands: a line starting with `:` or `?` is code.
        public static var none: Commands { Commands(names: [], resolve: { _ in nil }, help: nil, paths: [], questionMark: false) }
    }

    public let interpreter: Interpreter
    public var commands: Commands
    public var currentDirectory: () -> String = { FileManager.default.currentDirectoryPath }

    public init(interpreter: Interpreter, commands: Commands = .none) {
        self.interpreter = interpreter
        self.commands = commands
    }

    /// Characters that end a word outside strings; readline is told the same through the
    /// word-break hook, so its idea of the word matches ours.
    public static let wordBreaks = " \t\n\"'`()[]{},;:+-*/%^@<>=!|&.?#~\\$"
    /// Inside a string only the quote starts the word: a path may hold `.` and `/`.
    public static let stringBreaks = "\"'"

    public func complete(_ line: String, cursor: Int) -> Completion {
        let bytes = Array(line.utf8.prefix(cursor))
        let scan = Scan(bytes)
        if scan.inComment { return Completion(start: cursor, candidates: []) }
        if let quote = scan.openQuote {
            return paths(in: bytes, from: quote + 1, closing: bytes[quote])
        }
        if let meta = metaCompletion(bytes) { return meta }
        let start = Self.wordStart(bytes)
        let word = String(decoding: bytes[start...], as: UTF8.self)
        if start > 0, bytes[start - 1] == UInt8(ascii: "."), let value = chainValue(bytes, dot: start - 1) {
            let names = fields(of: value).filter { $0.hasPrefix(word) }
            var notes: [String: String] = [:]
            for name in names {
                switch value {
                case .record(let r): if let v = r[name] { notes[name] = Self.note(for: v) }
                case .object(let o): if let v = try? o.field(name) { notes[name] = Self.note(for: v) }
                default: break
                }
            }
            // Member-call sugar: `t.soft<Tab>` offers softmax, as `t.softmax()` means `softmax(t)`.
            var methods: [String] = []
            if case .object = value, !word.isEmpty {
                methods = interpreter.builtins.map(\.name).filter { $0.hasPrefix(word) && !names.contains($0) }
            }
            return finish(start: start, names + methods, suffix: { methods.contains($0) ? "(" : "" }, notes: notes)
        }
        if start > 0, bytes[start - 1] == UInt8(ascii: ".") { return Completion(start: start, candidates: []) }
        if let call = scan.innermostCall, Self.atArgumentStart(bytes, from: call + 1, to: start) {
            let given = Self.arguments(bytes[(call + 1)..<start])
            let receiver = Self.isMemberCall(bytes, paren: call) ? 1 : 0
            let open = parameters(calleeBefore: call, in: bytes)
                .enumerated().filter { i, p in
                    !(p.positional && i < given.positional + receiver) && !given.keywords.contains(p.name)
                }
                .map(\.element).filter { $0.name.hasPrefix(word) }
            let keywords = open.map { $0.name + ":" }
            let notes = Dictionary(open.map { ($0.name + ":", $0.doc) }, uniquingKeysWith: { a, _ in a })
            // An empty word lists just the keywords: the choices a call still has.
            let others = word.isEmpty && !keywords.isEmpty ? [] : names(prefix: word)
            return finish(start: start, keywords + others, suffix: suffixForName, notes: notes)
        }
        return finish(start: start, names(prefix: word), suffix: suffixForName)
    }

    /// The word-break characters readline should use for the line before the cursor.
    public static func breakCharacters(_ line: String, cursor: Int) -> String {
        Scan(Array(line.utf8.prefix(cursor))).openQuote == nil ? wordBreaks : stringBreaks
    }

    // MARK: - Kinds of completion

    private func names(prefix: String) -> [String] {
        var seen = Set<String>()
        return (Self.keywords + interpreter.allNames).filter { $0.hasPrefix(prefix) && seen.insert($0).inserted }
    }

    private func suffixForName(_ name: String) -> String {
        if name.hasSuffix(":") { return " " }
        if case .function = interpreter.global(name) ?? .nil { return "(" }
        return ""
    }

    private func finish(start: Int, _ candidates: [String], suffix: (String) -> String,
                        notes: [String: String] = [:]) -> Completion {
        var c = Completion(start: start, candidates: candidates, notes: notes)
        if candidates.count == 1 { c.suffix = suffix(candidates[0]) }
        for name in candidates where c.notes[name] == nil {
            if let value = interpreter.global(name) { c.notes[name] = Self.note(for: value) }
        }
        return c
    }

    /// One line about a value for the completion list.
    public static func note(for value: Value) -> String {
        let text: String
        switch value {
        case .function(let f): text = f.builtin.map { "\($0.signature)  \($0.summary)" } ?? f.signatureText
        case .object(let o): text = o.summary
        case .string, .number, .bool, .nil: text = "\(value.typeName) = \(value.inlineText)"
        default: text = "\(value.typeName) \(value.inlineText)"
        }
        return text.count > 70 ? String(text.prefix(67)) + "..." : text
    }

    private func metaCompletion(_ bytes: [UInt8]) -> Completion? {
        let text = String(decoding: bytes, as: UTF8.self)
        let lead = text.prefix { $0 == " " || $0 == "\t" }
        let rest = text.dropFirst(lead.count)
        if commands.questionMark, rest.hasPrefix("?") {
            let start = lead.utf8.count + 1
            let word = String(rest.dropFirst())
            return finish(start: start, interpreter.allNames.filter { $0.hasPrefix(word) }, suffix: { _ in "" })
        }
        guard !commands.names.isEmpty, rest.hasPrefix(":") else { return nil }
        let body = rest.dropFirst()
        guard let space = body.firstIndex(of: " ") else {
            let start = lead.utf8.count + 1
            let names = commands.names.filter { $0.hasPrefix(body) }
            return finish(start: start, names, suffix: { _ in " " })
        }
        let command = commands.resolve(String(body[..<space]))
        let argStart = bytes.count - body[space...].dropFirst().utf8.count
        let arg = String(body[space...].dropFirst())
        guard let command else { return nil }
        if command == commands.help {
            let names = (commands.names.map { ":" + $0 } + interpreter.allNames)
            return finish(start: argStart, names.filter { $0.hasPrefix(arg) }, suffix: { _ in "" })
        }
        if commands.paths.contains(command) { return paths(in: bytes, from: argStart, closing: nil) }
        return nil
    }

    /// Paths for the text from `from` to the cursor. A directory keeps its `/`; a single
    /// file match gets the closing quote.
    private func paths(in bytes: [UInt8], from: Int, closing: UInt8?) -> Completion {
        let typed = String(decoding: bytes[from...], as: UTF8.self)
        let slash = typed.lastIndex(of: "/")
        let dirPart = slash.map { String(typed[...$0]) } ?? ""
        let base = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        var dir = dirPart.isEmpty ? currentDirectory() : dirPart
        if dir.hasPrefix("~/") || dir == "~" { dir = NSHomeDirectory() + dir.dropFirst() }
        if !dir.hasPrefix("/") && !dirPart.isEmpty { dir = currentDirectory() + "/" + dir }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let matches = entries.filter { $0.hasPrefix(base) && (base.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted()
        let candidates = matches.map { name -> String in
            var isDir: ObjCBool = false
            let full = (dir.hasSuffix("/") ? dir : dir + "/") + name
            let directory = FileManager.default.fileExists(atPath: full, isDirectory: &isDir) && isDir.boolValue
            return dirPart + name + (directory ? "/" : "")
        }
        var c = Completion(start: from, candidates: candidates)
        if candidates.count == 1, !candidates[0].hasSuffix("/") {
            c.suffix = closing.map { String(UnicodeScalar($0)) } ?? " "
        }
        return c
    }

    /// Field names of a value reached by `name.field.field`.
    private func fields(of value: Value) -> [String] {
        switch value {
        case .record(let r): return r.keys
        case .object(let o): return o.fieldNames
        default: return []
        }
    }

    /// The value of the name chain ending just before the `.` at `dot`, looked up without
    /// running code: globals, record keys and object fields only.
    private func chainValue(_ bytes: [UInt8], dot: Int) -> Value? {
        var parts: [String] = []
        var end = dot
        while true {
            let start = Self.identifierStart(bytes, end: end)
            guard start < end, !Self.isDigit(bytes[start]) else { return nil }
            parts.insert(String(decoding: bytes[start..<end], as: UTF8.self), at: 0)
            if start > 0, bytes[start - 1] == UInt8(ascii: ".") { end = start - 1 } else { break }
        }
        guard var value = interpreter.global(parts[0]) else { return nil }
        for name in parts.dropFirst() {
            switch value {
            case .record(let r): guard let v = r[name] else { return nil }; value = v
            case .object(let o): guard let v = try? o.field(name) else { return nil }; value = v
            default: return nil
            }
        }
        return value
    }

    /// The parameters of the function called at `paren`: a built-in's (variadic ones
    /// left out), or a user function's names, all positional.
    private func parameters(calleeBefore paren: Int, in bytes: [UInt8]) -> [(name: String, positional: Bool, doc: String)] {
        var end = paren
        while end > 0, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        let start = Self.identifierStart(bytes, end: end)
        guard start < end else { return [] }
        let name = String(decoding: bytes[start..<end], as: UTF8.self)
        guard case .function(let f) = interpreter.global(name) ?? .nil else { return [] }
        if let b = f.builtin {
            return b.parameters.filter { $0.requirement != .variadic }.map { ($0.name, $0.positional, $0.doc) }
        }
        return Self.parameters(fromSignature: f.signatureText).map { ($0, true, "") }
    }

    /// Whether the call at `paren` is member sugar, `x.f(`, whose receiver is the first argument.
    static func isMemberCall(_ bytes: [UInt8], paren: Int) -> Bool {
        var end = paren
        while end > 0, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        let start = identifierStart(bytes, end: end)
        return start > 0 && start < end && bytes[start - 1] == UInt8(ascii: ".")
    }

    /// `<fn name(a, b)>` → `["a", "b"]`.
    public static func parameters(fromSignature text: String) -> [String] {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else { return [] }
        return text[text.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "?:.")) }
            .filter { !$0.isEmpty }
    }

    // MARK: - Scanning

    static func isIdentifier(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || isDigit(b) || b == UInt8(ascii: "_")
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func identifierStart(_ bytes: [UInt8], end: Int) -> Int {
        var i = end
        while i > 0, isIdentifier(bytes[i - 1]) { i -= 1 }
        return i
    }

    /// Start of the word before the cursor, by `wordBreaks` (non-ASCII bytes are word bytes).
    static func wordStart(_ bytes: [UInt8]) -> Int {
        let breaks = Set(wordBreaks.utf8)
        var i = bytes.count
        while i > 0, !breaks.contains(bytes[i - 1]) { i -= 1 }
        return i
    }

    /// Whether only blanks lie between the last top-level `(` or `,` of the call and the word.
    static func atArgumentStart(_ bytes: [UInt8], from: Int, to: Int) -> Bool {
        var i = to
        while i > from, bytes[i - 1] == UInt8(ascii: " ") || bytes[i - 1] == UInt8(ascii: "\n") { i -= 1 }
        return i == from || bytes[i - 1] == UInt8(ascii: ",")
    }

    /// The finished arguments in a call's text: how many are positional, and the
    /// keyword names used. Commas inside brackets and strings do not split.
    static func arguments(_ bytes: ArraySlice<UInt8>) -> (positional: Int, keywords: Set<String>) {
        var pieces: [[UInt8]] = [[]]
        var depth = 0
        var quote: UInt8?
        var escaped = false
        for b in bytes {
            if let q = quote {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == q { quote = nil }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: "(") || b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
                depth += 1
            } else if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}") {
                depth -= 1
            } else if b == UInt8(ascii: ","), depth == 0 {
                pieces.append([])
                continue
            }
            pieces[pieces.count - 1].append(b)
        }
        var positional = 0
        var keywords = Set<String>()
        for piece in pieces.dropLast() {  // the last piece is the argument being typed
            let text = String(decoding: piece, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if let colon = text.firstIndex(of: ":"), !text[..<colon].isEmpty,
               text[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                keywords.insert(String(text[..<colon]))
            } else {
                positional += 1
            }
        }
        return (positional, keywords)
    }

    /// One pass over the text before the cursor: strings, comments and open brackets.
    public struct Scan {
        public var openQuote: Int?
        public var inComment = false
        public var innermostCall: Int?
        /// Brackets still open at the end (for a console's indent of the next line).
        public var openBrackets = 0

        public init(_ bytes: [UInt8]) {
            var stack: [Int] = []
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if let q = openQuote {
                    if b == UInt8(ascii: "\\") { i += 2; continue }
                    if b == bytes[q] { openQuote = nil }
                } else if inComment {
                    if b == UInt8(ascii: "\n") { inComment = false }
                } else {
                    switch b {
                    case UInt8(ascii: "\""), UInt8(ascii: "'"): openQuote = i
                    case UInt8(ascii: "#"): inComment = true
                    case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): stack.append(i)
                    case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): _ = stack.popLast()
                    default: break
                    }
                }
                i += 1
            }
            if let top = stack.last, bytes[top] == UInt8(ascii: "(") { innermostCall = top }
            openBrackets = stack.count
        }
    }
}
