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

