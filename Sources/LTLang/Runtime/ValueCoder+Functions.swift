/// User functions in the cache format.
///
/// A closure is stored as what rebuilds it faithfully: the text of the unit it was
/// compiled from (shared by the functions of one cell), where its `fn` lies in that text,
/// the enclosing variables it uses (name, frames up, slot), the names its assignments bound
/// to globals, and the frame chain it captured. Restoring re-lexes the unit, parses the
/// function from its original tokens and compiles it in the restoring interpreter, inside
/// scopes that name exactly the captured slots (`Compiler.restoreFunction`). So:
///
/// - globals resolve by name in the restoring session, as they would had the cell run;
/// - captured variables stay shared: frames keep their identity, so two closures over one
///   frame (a counter and its reader) still share it, and the values in captured slots
///   are written once, after every value (a closure may capture itself, or a list that
///   holds it), then filled in;
/// - diagnostics and stack traces point at the same file, line and column.
///
/// A closure that captures a value with no stored form cannot be stored; the error names
/// the variable and the function.
extension ValueCoder {
    /// Largest frame a stored closure may capture from, and most frame slots in one
    /// entry: decoding allocates every slot, so a lying size must not allocate much.
    static let maxFrameSlots = 1 << 16
    static let maxTotalFrameSlots = 1 << 20

    /// One captured variable still to write, and who captured it (for error messages).
    struct PendingCapture {
        let frame: Frame
        let slot: Int
        let context: String
    }

    struct FrameSlot: Hashable {
        let frame: ObjectIdentifier
        let slot: Int
    }
}

extension ValueCoder.Writer {
    mutating func function(_ f: Function) throws {
        guard let code = f.code else { throw PersistenceError.unsupported("a function with no code") }
        let signature = f.signatureText
        if let why = code.unrestorable { throw PersistenceError.unsupported("a user function (\(signature)) in which \(why)") }
        // The frames the captures live in, checked before anything is written.
        var chain: [Frame] = []
        var next = f.captured
        for _ in 0..<(code.captures.map(\.depth).max().map { $0 + 1 } ?? 0) {
            guard let frame = next else { throw PersistenceError.unsupported("a user function (\(signature)) whose frames are missing") }
            chain.append(frame)
            next = frame.parent
        }
        for c in code.captures where c.slot >= chain[c.depth].slotCount {
            throw PersistenceError.unsupported("a user function (\(signature)) whose variable '\(c.name)' is missing")
        }
        if shared(f) { return }
        byte(ValueCoder.Tag.function.rawValue)
        source(code.file)
        int(code.range.start)
        int(code.range.end)
        int(code.captures.count)
        for c in code.captures { string(c.name); int(c.depth); int(c.slot) }
        int(code.assignedGlobals.count)
        for name in code.assignedGlobals { string(name) }
        try frame(chain.first)
        for c in code.captures {
            let frame = chain[c.depth]
            let key = ValueCoder.FrameSlot(frame: ObjectIdentifier(frame), slot: c.slot)
            if pendingKeys.insert(key).inserted {
                pending.append(.init(frame: frame, slot: c.slot, context: "captured as '\(c.name)' by \(signature)"))
            }
        }
    }

    /// A unit's text, once per encode.
    mutating func source(_ file: SourceFile) {
        if let id = fileIDs[ObjectIdentifier(file)] { byte(1); int(id); return }
        byte(0)
        string(file.name)
        string(file.text)
        int(file.firstLine)
        fileIDs[ObjectIdentifier(file)] = fileIDs.count
    }

    /// A frame's size and parent chain, once per encode (its slots come later). Registered
    /// after its parent, as the reader creates them.
    mutating func frame(_ f: Frame?) throws {
        guard let f else { byte(0); return }
        if let id = frameIDs[ObjectIdentifier(f)] { byte(1); int(id); return }
        frameSlots += f.slotCount
        guard f.slotCount <= ValueCoder.maxFrameSlots, frameSlots <= ValueCoder.maxTotalFrameSlots else {
            throw PersistenceError.unsupported(
                "closures over \(frameSlots) variables (limits: \(ValueCoder.maxFrameSlots) per frame, \(ValueCoder.maxTotalFrameSlots) per cell)")
        }
        depth += 1
        defer { depth -= 1 }
        guard depth <= ValueCoder.maxDepth else {
            throw PersistenceError.unsupported("closures nested more than \(ValueCoder.maxDepth) levels deep")
        }
        byte(2)
        int(f.slotCount)
        try frame(f.parent)
        frameIDs[ObjectIdentifier(f)] = frameIDs.count
    }

    /// The captured variables, after every value: each is (frame, slot, value), and writing
    /// a value may queue more (a captured closure's own captures).
    mutating func finishCaptures() throws {
        var i = 0
        while i < pending.count {
            let p = pending[i]
            i += 1
            byte(1)
            int(frameIDs[ObjectIdentifier(p.frame)] ?? -1)
            int(p.slot)
            do { try value(p.frame[p.slot]) } catch PersistenceError.unsupported(let what) {
                throw PersistenceError.unsupported("\(what) (\(p.context))")
            }
        }
        byte(0)
    }
}

extension ValueCoder.Reader {
    mutating func function(at start: Int) throws -> Value {
        // The function's place in the identity table; nothing read before it is filled in
        // can refer to it (captured values come at the end).
        let index = table.count
        table.append(.nil)
        let fileIndex = try sourceIndex()
        let file = files[fileIndex]
        let rangeStart = try int(), rangeEnd = try int()
        guard 0 <= rangeStart, rangeStart < rangeEnd, rangeEnd <= file.bytes.count else {
            throw corrupt("function range \(rangeStart)..<\(rangeEnd) outside its \(file.bytes.count)-byte source", at: start)
        }
        var captures: [FunctionCode.Capture] = []
        for _ in 0..<(try count(minimumBytes: 24)) {
            let name = try string()
            let depth = try int(), slot = try int()
            guard (0..<ValueCoder.maxDepth).contains(depth), (0..<ValueCoder.maxFrameSlots).contains(slot) else {
                throw corrupt("captured variable '\(name)' at depth \(depth), slot \(slot)", at: start)
            }
            captures.append(.init(name: name, depth: depth, slot: slot))
        }
        var assigned: [String] = []
        for _ in 0..<(try count(minimumBytes: 8)) { assigned.append(try string()) }
        let captured = try frame()
        var slotCounts: [Int] = []
        var next = captured
        for _ in 0..<(captures.map(\.depth).max().map { $0 + 1 } ?? 0) {
            guard let frame = next else { throw corrupt("a closure's frames are missing", at: start) }
            slotCounts.append(frame.slotCount)
            next = frame.parent
        }
        for c in captures where c.slot >= slotCounts[c.depth] {
            throw corrupt("captured variable '\(c.name)' is outside its frame", at: start)
        }
        if tokens[fileIndex] == nil {
            do { tokens[fileIndex] = try Lexer.tokenize(file) } catch {
                throw corrupt("a stored function's source does not lex (\(error.message))", at: start)
            }
        }
        let code: FunctionCode
        do {
            code = try Compiler.restoreFunction(
                file: file, tokens: tokens[fileIndex] ?? [], range: SourceRange(rangeStart, rangeEnd),
                captures: captures, slotCounts: slotCounts, assignedGlobals: assigned, interpreter: interpreter)
        } catch {
            throw corrupt("a stored function does not compile (\(error.message))", at: start)
        }
        let v = Value.function(Function(code: code, captured: captured))
        table[index] = v
        return v
    }

    mutating func sourceIndex() throws -> Int {
        let at = offset
        switch try byte() {
        case 0:
            let name = try string()
            let text = try string()
            let firstLine = try int()
            guard abs(firstLine) <= Int(Int32.max) else { throw corrupt("source first line \(firstLine)", at: at) }
            files.append(SourceFile(name: name, text: text, firstLine: firstLine))
            return files.count - 1
        case 1:
            let id = try int()
            guard files.indices.contains(id) else { throw corrupt("reference to source \(id) of \(files.count)", at: at) }
            return id
        default:
            throw corrupt("bad source marker", at: at)
        }
    }

    mutating func frame() throws -> Frame? {
        let at = offset
        switch try byte() {
        case 0: return nil
        case 1:
            let id = try int()
            guard frames.indices.contains(id) else { throw corrupt("reference to frame \(id) of \(frames.count)", at: at) }
            return frames[id]
        case 2:
            let count = try int()
            guard (0...ValueCoder.maxFrameSlots).contains(count), frameSlots + count <= ValueCoder.maxTotalFrameSlots else {
                throw corrupt("a frame of \(count) slots (\(frameSlots) already read)", at: at)
            }
            frameSlots += count
            depth += 1
            defer { depth -= 1 }
            guard depth <= ValueCoder.maxDepth else { throw corrupt("frames nested more than \(ValueCoder.maxDepth) levels") }
            let parent = try frame()
            let f = Frame.make(parent: parent, count: count)
            frames.append(f)
            return f
        default:
            throw corrupt("bad frame marker", at: at)
        }
    }

    /// Fills captured variables into their frames (the writer's `finishCaptures`).
    mutating func readCaptures() throws {
        while true {
            let at = offset
            switch try byte() {
            case 0: return
            case 1:
                let id = try int(), slot = try int()
                guard frames.indices.contains(id), (0..<frames[id].slotCount).contains(slot) else {
                    throw corrupt("captured variable in frame \(id), slot \(slot)", at: at)
                }
                frames[id][slot] = try value()
            default:
                throw corrupt("bad captured-variable marker", at: at)
            }
        }
    }
}
