import Synchronization

/// A callable value: a user function (code plus the frame it closes over) or a built-in.
public final class Function {
    let code: FunctionCode?
    public let builtin: Builtin?
    /// Set for a built-in the interpreter registered and that takes one positional
    /// argument in order: what a one-argument call site needs, read without retaining
    /// this function or the built-in (see `UnaryBuiltinCall`).
    let unaryCall: UnaryBuiltinCall?

    /// The frame the function closes over. Behind a pointer (like `spareFrames`) so that
    /// `releaseClosures(in:)` can detach it without exclusivity checks on every call.
    private let capturedFrame: UnsafeMutablePointer<Frame?>
    @inline(__always) var captured: Frame? { capturedFrame.pointee }

    /// Frames of finished calls that no closure kept, cleared, for the next calls. A stack,
    /// not one frame: a recursive function nests calls of itself (fib's two calls run one
    /// level down while its own frame is live), and with one spare every other call
    /// allocated. Behind pointers to avoid exclusivity checks.
    private let spareFrames: UnsafeMutablePointer<Frame?>
    private let spareCount: UnsafeMutablePointer<Int>
    /// Deep enough for the recursion notebooks write; deeper calls allocate as before.
    static let spareCapacity = 16

    /// How many functions have been freed in this process. A cache keyed by a function's
    /// address (`NumberCallSite`) is valid only while this is unchanged: until then no
    /// address it holds can have been freed and reused by another function.
    static let frees = Atomic<Int>(0)

    init(code: FunctionCode, captured: Frame?) {
        self.code = code
        capturedFrame = .allocate(capacity: 1)
        capturedFrame.initialize(to: captured)
        self.builtin = nil
        unaryCall = nil
        (spareFrames, spareCount) = Function.makeSpares()
    }

    public convenience init(builtin: Builtin) { self.init(builtin: builtin, registered: false) }

    /// `registered`: the interpreter keeps `builtin` alive as long as itself
    /// (`Interpreter.register`), so call sites may hold it unretained.
    init(builtin: Builtin, registered: Bool) {
        self.code = nil
        capturedFrame = .allocate(capacity: 1)
        capturedFrame.initialize(to: nil)
        self.builtin = builtin
        unaryCall = registered && builtin.takesInOrder(1)
            ? UnaryBuiltinCall(builtin: Unmanaged.passUnretained(builtin), onNumber: builtin.onNumber) : nil
        (spareFrames, spareCount) = Function.makeSpares()
    }

    private static func makeSpares() -> (UnsafeMutablePointer<Frame?>, UnsafeMutablePointer<Int>) {
        let frames = UnsafeMutablePointer<Frame?>.allocate(capacity: spareCapacity)
        frames.initialize(repeating: nil, count: spareCapacity)
        let count = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        count.initialize(to: 0)
        return (frames, count)
    }

    deinit {
        Function.frees.add(1, ordering: .relaxed)
        spareFrames.deinitialize(count: Function.spareCapacity)
        spareFrames.deallocate()
        spareCount.deallocate()
        capturedFrame.deinitialize(count: 1)
        capturedFrame.deallocate()
    }

    /// A cleared frame for a call of `code` (this function's code).
    @inline(__always) func makeFrame(_ code: FunctionCode) -> Frame {
        let n = spareCount.pointee
        if n > 0, let frame = (spareFrames + (n - 1)).move() {
            (spareFrames + (n - 1)).initialize(to: nil)
            spareCount.pointee = n - 1
            return frame
        }
        return Frame.make(parent: captured, count: code.slotCount)
    }

    /// Keeps `frame` for a later call, unless a closure made during the call holds it.
    @inline(__always) func recycle(_ frame: inout Frame) {
        if isKnownUniquelyReferenced(&frame) || Function.releaseClosures(in: &frame) {
            let n = spareCount.pointee
            guard n < Function.spareCapacity else { return }
            frame.clearForReuse()
            spareFrames[n] = frame
            spareCount.pointee = n + 1
        }
    }

    /// Drops the spare frames (their parent is the captured frame being detached).
    private func dropSpares() {
        for i in 0..<spareCount.pointee { spareFrames[i] = nil }
        spareCount.pointee = 0
    }

    /// After a call returns: frees the closures it left in its own frame (`fn helper` or
    /// `f = fn(x) => ...` inside a function), which hold that frame while it holds them, a
    /// reference cycle that reference counting alone never frees. Only when nothing else
    /// holds the frame or those closures: a closure that escaped (returned, stored in a
    /// list) may still call a helper through the frame, so then everything is put back.
    /// True when `frame` is no longer referenced from anywhere else.
    @inline(never) static func releaseClosures(in frame: inout Frame) -> Bool {
        var closures: [(slot: Int, function: Function)] = []
        for i in 0..<frame.slotCount {
            if case .function(let f) = frame[i], f.code != nil, f.captured === frame { closures.append((i, f)) }
        }
        if closures.isEmpty { return false }
        for c in closures { frame[c.slot] = .nil }
        var alone = true
        for k in closures.indices where !isKnownUniquelyReferenced(&closures[k].function) { alone = false; break }
        if alone {
            // A helper's spare frame has this frame as its parent: drop it with the link.
            for c in closures { c.function.capturedFrame.pointee = nil; c.function.dropSpares() }
            if isKnownUniquelyReferenced(&frame) { return true }
            for c in closures { c.function.capturedFrame.pointee = frame }
        }
        for c in closures { frame[c.slot] = .function(c.function) }
        return false
    }

    public var name: String? { code?.name ?? builtin?.name }

    /// The variables a user function reads from enclosing functions or top-level blocks,
    /// with their current values; empty for built-ins and for functions that use only
    /// their own locals and globals. The notebook runner hashes them to see whether a
    /// cell changed a closure's state.
    public var capturedValues: [(name: String, value: Value)] {
        guard let code, let captured else { return [] }
        return code.captures.compactMap { c in
            guard let frame = captured.ancestorIfPresent(c.depth), c.slot < frame.slotCount else { return nil }
            return (c.name, frame[c.slot])
        }
    }

    /// `<fn name(a, b)>`, `<fn(v)>` for a lambda.
    public var signatureText: String {
        if let code {
            let params = code.parameterNames.joined(separator: ", ")
            return code.name.map { "<fn \($0)(\(params))>" } ?? "<fn(\(params))>"
        }
        if let builtin { return "<fn \(builtin.name)(\(builtin.parameterList))>" }
        return "<fn>"
    }
}

/// Compiled user function: parameters occupy the first slots of its frame.
final class FunctionCode {
    let name: String?
    let parameterNames: [String]
    let parameterCount: Int
    let defaults: [CodeBox?]
    let requiredCount: Int
    let slotCount: Int
    let body: Code
    let file: SourceFile
    let range: SourceRange
    /// Names the function reads or writes in enclosing functions' frames (and top-level
    /// blocks' locals), where they live relative to its captured frame: what the notebook
    /// cache stores beside the source to rebuild it.
    let captures: [Capture]
    /// Names its assignments bound to globals because the global was declared when it was
    /// compiled (LANGUAGE.md: otherwise they would be new locals), sorted.
    let assignedGlobals: [String]
    /// Why it cannot be rebuilt from its source, if it cannot.
    let unrestorable: String?
    /// Its number tier, when its body is pure arithmetic (see `NumberCode`).
    let number: NumberCode?

    /// A variable of an enclosing frame: slot `slot` of the frame `depth` levels up from `captured`, named `name`.
    struct Capture: Equatable {
        let name: String
        let depth: Int
        let slot: Int
    }

    /// How messages name it: `'train'`, or `fn(a, b)` for a lambda.
    var callName: String { name.map { "'\($0)'" } ?? "fn(\(parameterNames.joined(separator: ", ")))" }

    init(name: String?, parameterNames: [String], defaults: [CodeBox?], slotCount: Int, body: @escaping Code,
         file: SourceFile, range: SourceRange, record: FunctionRecord, number: NumberCode? = nil) {
        self.number = number
        self.captures = record.captures
        self.assignedGlobals = record.assignedGlobals.sorted()
        self.unrestorable = record.conflict
        self.name = name
        self.parameterNames = parameterNames
        self.parameterCount = parameterNames.count
        self.defaults = defaults
        self.requiredCount = defaults.firstIndex(where: { $0 != nil }) ?? defaults.count
        self.slotCount = slotCount
        self.body = body
        self.file = file
        self.range = range
    }
}

/// What compiling one function noted about its environment (see `Compiler.functionRecords`).
final class FunctionRecord {
    private(set) var captures: [FunctionCode.Capture] = []
    private var byName: [String: FunctionCode.Capture] = [:]
    var assignedGlobals: Set<String> = []
    /// Set if one name resolved to two different enclosing variables, which a rebuild by
    /// name could not reproduce.
    private(set) var conflict: String?

    func capture(_ name: String, depth: Int, slot: Int) {
        let c = FunctionCode.Capture(name: name, depth: depth, slot: slot)
        if let old = byName[name] {
            if old != c { conflict = "'\(name)' names two enclosing variables" }
            return
        }
        byName[name] = c
        captures.append(c)
    }
}

/// One parameter of a built-in.
public struct BuiltinParameter: Sendable {
    public enum Requirement: Sendable { case required, optional, variadic }
    public var name: String
    public var requirement: Requirement
    /// Whether it may be given positionally; keyword-only otherwise.
    public var positional: Bool
    public var doc: String

    /// A required positional parameter.
    public static func required(_ name: String, _ doc: String) -> Self {
        Self(name: name, requirement: .required, positional: true, doc: doc)
    }
    /// An optional parameter, positional or keyword.
    public static func optional(_ name: String, _ doc: String) -> Self {
        Self(name: name, requirement: .optional, positional: true, doc: doc)
    }
    /// An optional keyword-only parameter.
    public static func keyword(_ name: String, _ doc: String) -> Self {
        Self(name: name, requirement: .optional, positional: false, doc: doc)
    }
    /// Any number of further positional values.
    public static func variadic(_ name: String, _ doc: String) -> Self {
        Self(name: name, requirement: .variadic, positional: true, doc: doc)
    }
}

/// A built-in's result for one number when that is a function of the number alone
/// (floor, abs, exp): a C function pointer, so calling it retains no closure context.
public typealias NumberShortcut = @convention(c) (Double) -> Double

/// What a one-argument call site of a registered built-in needs, with no reference
/// counted: `floor(k / 3)` in a loop read the built-in out of its global with a retain
/// and a release per call, a fifth of the builtins benchmark. The interpreter keeps
/// every built-in it registered (replaced ones too) until it is freed, and compiled code
/// runs only while its interpreter lives, so the unretained reference stays valid even
/// if the argument's evaluation rebinds the global.
struct UnaryBuiltinCall {
    let builtin: Unmanaged<Builtin>
    let onNumber: NumberShortcut?
}

/// A built-in function and its documentation, in one record: the registry behind
/// `help`, `:help`, tab completion and `ltnb help --markdown`.
public final class Builtin: @unchecked Sendable {
    public let name: String
    public let family: String
    public let parameters: [BuiltinParameter]
    public let summary: String
    /// "It is an error if ..." sentences.
    public let errors: [String]
    /// An ltnb expression and the display text it must produce; the test suite runs it.
    public let example: String
    public let exampleResult: String
    let impl: (inout Arguments) throws -> Value
    /// The built-in's result for one number argument when that is a function of the
    /// number alone (floor, abs, exp): `f(x)` with x a number calls it directly, with no
    /// bound-argument list. It must give exactly what `impl` gives for that number.
    public let onNumber: NumberShortcut?
    /// Indices of the parameters positional arguments fill, in order, and of the variadic
    /// one: worked out once, not on every call.
    let positionalSlots: [Int]
    let variadic: Int?
    /// How many leading parameters positional arguments fill in order (`positionalSlots`
    /// starts 0, 1, ...): a call with at most this many needs no reordering.
    let positionalPrefix: Int

    /// Whether `count` positional arguments fill the first parameters in order, with no
    /// variadic rest: a call the interpreter binds without reordering.
    @inline(__always) func takesInOrder(_ count: Int) -> Bool { variadic == nil && count <= positionalPrefix }

    public init(_ name: String, family: String, _ parameters: [BuiltinParameter], summary: String,
                errors: [String] = [], example: String, result: String,
                onNumber: NumberShortcut? = nil,
                impl: @escaping (inout Arguments) throws -> Value) {
        self.name = name
        self.family = family
        self.parameters = parameters
        self.summary = summary
        self.errors = errors
        self.example = example
        self.exampleResult = result
        self.impl = impl
        self.onNumber = onNumber
        positionalSlots = parameters.indices.filter { parameters[$0].positional && parameters[$0].requirement != .variadic }
        variadic = parameters.firstIndex { $0.requirement == .variadic }
        positionalPrefix = zip(positionalSlots, 0...).prefix { $0 == $1 }.count
    }

    /// `a, b, axis:` as shown in signatures.
    public var parameterList: String {
        parameters.map { p in
            switch p.requirement {
            case .required: return p.name
            case .optional: return p.positional ? "\(p.name)?" : "\(p.name):"
            case .variadic: return "\(p.name)..."
            }
        }.joined(separator: ", ")
    }

    public var signature: String { "\(name)(\(parameterList))" }
}
