import Foundation
import Synchronization

/// The engine: one session of global bindings, run unit by unit (script, REPL entry,
/// notebook cell). Each unit is parsed, resolved and compiled to closures, then run.
public final class Interpreter {
    let globals = Globals()
    /// Slots of number-tier calls (see `NumberCode`); replaced only by tests, before compiling.
    var numberStack = NumberStack()
    /// Whether functions compiled from now on get a number tier. Off only to measure it or
    /// to check that it computes what the ordinary code computes.
    public var usesNumberTier = true
    /// The library's borrowed element read for its tensors; read when code is compiled.
    public var borrowedElementReader: BorrowedElementReader?
    public var sink: DisplaySink
    /// Built-ins by name, in registration order: the registry behind help and completion.
    public private(set) var builtins: [Builtin] = []
    private var builtinIndex: [String: Int] = [:]

    /// Deepest allowed nesting of user-function calls.
    public var maxCallDepth: Int {
        get { callState.pointee.limit }
        set { callState.pointee.limit = newValue }
    }
    /// The call depth and its limit, behind a pointer: every user-function call updates
    /// them, and a stored class property would cost an exclusivity check each time.
    let callState: UnsafeMutablePointer<(depth: Int, limit: Int)> = {
        let p = UnsafeMutablePointer<(depth: Int, limit: Int)>.allocate(capacity: 1)
        p.initialize(to: (0, 10_000))
        return p
    }()
    var callDepth: Int {
        get { callState.pointee.depth }
        set { callState.pointee.depth = newValue }
    }
    /// Largest list or string a single operation may build.
    public var maxCollectionSize = 100_000_000
    /// Most text one unit may print.
    public var maxOutputBytes = 64 << 20
    var outputBytes = 0
    /// Libraries (LTStdlib) keep per-session state here, e.g. the global random generator;
    /// keys starting with "host." belong to the program embedding the engine and survive `reset()`.
    public var userData: [String: AnyObject] = [:]

    deinit { callState.deallocate() }

    /// Built-ins `register` replaced, kept so that compiled code may hold any registered
    /// built-in unretained for as long as this interpreter lives (`UnaryBuiltinCall`).
    private var replacedBuiltins: [Builtin] = []

    public init(builtins: [Builtin], sink: DisplaySink = BufferSink()) {
        self.sink = sink
        // Sized once: grown one insert at a time, both tables rehashed every name
        // about twice over, the larger part of start-up's registration.
        builtinIndex.reserveCapacity(builtins.count)
        self.builtins.reserveCapacity(builtins.count)
        globals.reserveCapacity(builtins.count)
        for b in builtins { register(b) }
    }

    /// Adds a built-in, or replaces the one of its name (a host's over the library's).
    public func register(_ builtin: Builtin) {
        let next = builtins.count
        let i = claim(&builtinIndex[builtin.name, default: -1], next)
        if i == next { builtins.append(builtin) } else {
            replacedBuiltins.append(builtins[i])
            builtins[i] = builtin
        }
        bindGlobal(builtin)
    }

    /// Binds the built-in's global name to it, as a function this interpreter keeps.
    private func bindGlobal(_ builtin: Builtin) {
        if let slot = globals.slot(for: builtin.name) {
            globals.values[slot] = .function(Function(builtin: builtin, registered: true))
        }
    }

    public func builtin(named name: String) -> Builtin? { builtinIndex[name].map { builtins[$0] } }

    // MARK: - Running code

    /// Parses, compiles and runs one unit. Returns the value to display: the last
    /// top-level expression's, unless the unit ends with `;` or the value is nil.
    public func evaluate(_ file: SourceFile) throws(Diagnostic) -> Value? {
        let block = try Parser.parseUnit(file)
        return try run(block, file: file)
    }

    /// Parses without running; the error (if any) tells whether more input could complete it.
    public static func parse(_ file: SourceFile) -> Diagnostic? {
        do { _ = try Parser.parseUnit(file); return nil } catch { return error }
    }

    /// Parses and resolves names without running: unknown names are reported with their
    /// location. Names bound by earlier units of this session count as known.
    public func check(_ file: SourceFile, predeclared: [String] = []) -> [Diagnostic] {
        let block: Block
        do { block = try Parser.parseUnit(file) } catch { return [error] }
        let compiler = Compiler(file: file, interpreter: self, checking: true)
        for name in predeclared { if let s = globals.slot(for: name) { globals.markDeclared(s) } }
        do { _ = try compiler.compileUnit(block) } catch { return [error] }
        return compiler.unresolved
    }

    func run(_ block: Block, file: SourceFile) throws(Diagnostic) -> Value? {
        let compiler = Compiler(file: file, interpreter: self, checking: false)
        let (code, slots) = try compiler.compileUnit(block)
        let frame = Frame.make(parent: nil, count: slots)
        callDepth = 0
        outputBytes = 0
        interruptRequested.store(false, ordering: .relaxed)
        do {
            let value = try code(frame)
            guard block.valueIsLast else { return nil }
            if case .nil = value { return nil }
            return value
        } catch {
            switch error {
            case .error(let e): throw e.diagnostic
            case .returning:
                throw Diagnostic(.syntax, "'return' outside a function", file: file, range: block.range)
            case .breaking, .continuing:
                throw Diagnostic(.syntax, "'break' or 'continue' outside a loop", file: file, range: block.range)
            }
        }
    }

    // MARK: - Globals

    /// The value bound to a global name, if any.
    public func global(_ name: String) -> Value? {
        guard let s = globals.existingSlot(name), globals.isDefined(s) else { return nil }
        return globals.values[s]
    }

    /// Binds a global name (notebook params, REPL setup).
    public func define(_ name: String, _ value: Value) {
        guard let s = globals.slot(for: name) else { return }
        globals.values[s] = value
        globals.markDeclared(s)
    }

    /// Names bound by the user (not built-ins), in binding order.
    public var userNames: [String] {
        globals.definedNames.filter { name in
            guard let b = builtin(named: name), case .function(let f) = global(name) ?? .nil else { return true }
            return f.builtin !== b
        }
    }

    /// Every defined global name, built-ins included.
    public var allNames: [String] { globals.definedNames }

    /// Forgets user bindings and restores the built-ins (REPL `:reset`).
    public func reset() {
        globals.undefineAll(except: { _ in false })
        for b in builtins { bindGlobal(b) }
        userData = userData.filter { $0.key.hasPrefix("host.") }
    }

    // MARK: - Services for built-ins

    /// Calls a function value from a built-in (map, filter, sort keys, ...).
    public func call(_ function: Value, _ arguments: [Value]) throws -> Value {
        guard case .function(let f) = function else {
            throw LTError("\(describeForError(function)) is not a function", kind: .type)
        }
        if let code = f.code, code.parameterCount == arguments.count {
            var frame = Frame.make(parent: f.captured, count: code.slotCount)
            for i in arguments.indices { frame[i] = arguments[i] }
            let result = try enter(code, frame, site: nil)
            if !isKnownUniquelyReferenced(&frame) { _ = Function.releaseClosures(in: &frame) }
            return result
        }
        return try invoke(f, positional: arguments, keywords: [], site: nil)
    }

    /// A function value prepared for many calls from a built-in (map, filter, sort keys):
    /// `let f = try interpreter.callee(value)` once, then `try f(x)` per element, with no
    /// argument array built per call.
    public func callee(_ function: Value) throws -> Callee {
        guard case .function(let f) = function else {
            throw LTError("\(describeForError(function)) is not a function", kind: .type)
        }
        return Callee(interpreter: self, function: f)
    }

    /// Throws if the user pressed Ctrl-C; long-running built-ins poll this.
    public func checkInterrupt() throws {
        if interruptRequested.load(ordering: .relaxed) { throw LTError("interrupted", kind: .interrupt) }
    }

    /// Emits text written by `print`, enforcing the output limit.
    public func write(_ text: String) throws {
        outputBytes += text.utf8.count
        if outputBytes > maxOutputBytes {
            throw LTError("output limit of \(maxOutputBytes >> 20) MiB exceeded", kind: .limit)
        }
        sink.emit(.text(text))
    }

    /// Throws when a collection of `count` elements would pass the size limit.
    public func checkSize(_ count: Int, _ what: String = "list") throws {
        if count > maxCollectionSize {
            throw LTError("\(what) of \(count) elements exceeds the limit of \(maxCollectionSize)", kind: .limit)
        }
    }
}
