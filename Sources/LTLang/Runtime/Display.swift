import Foundation
import Synchronization

/// What evaluation shows: output is data, rendered by the REPL as text and by the
/// notebook as HTML. Nothing in the engine writes to stdout.
public enum DisplayItem {
    /// Text written by `print` (ends with a newline).
    case text(String)
    /// A value shown by `show(x)` or as the result of a unit.
    case value(Value)
    /// An error, shown in place.
    case error(Diagnostic)
}

/// Receives display items as they are produced.
public protocol DisplaySink: AnyObject {
    func emit(_ item: DisplayItem)
}

/// Collects items in memory (tests, notebook cells).
public final class BufferSink: DisplaySink {
    public private(set) var items: [DisplayItem] = []
    public init() {}
    public func emit(_ item: DisplayItem) { items.append(item) }
    public func removeAll() { items.removeAll() }
    /// Everything printed or displayed, as plain text.
    public var text: String {
        items.map { item -> String in
            switch item {
            case .text(let s): return s
            case .value(let v): return v.displayText + "\n"
            case .error(let d): return DiagnosticRenderer.render(d)
            }
        }.joined()
    }
}

/// Set from a signal handler (Ctrl-C); polled by loops and long built-ins.
public let interruptRequested = Atomic<Bool>(false)

/// Runs `body` on a thread with a large stack, so deep (but limited) recursion in user
/// code is an error message, not a crash; returns when it finishes.
public func runWithLargeStack<T>(_ body: @escaping () -> T) -> T {
    let box = LargeStackBox<T>()
    box.body = body
    let done = DispatchSemaphoreBox()
    let thread = Thread {
        box.result = box.body?()
        box.body = nil
        done.signal()
    }
    thread.stackSize = 1 << 30
    thread.start()
    done.wait()
    return box.result.unsafelyUnwrapped
}

private final class LargeStackBox<T>: @unchecked Sendable {
    var body: (() -> T)?
    var result: T?
}
