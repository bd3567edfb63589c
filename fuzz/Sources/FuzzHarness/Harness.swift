import Foundation
import LTLang
import LTStdlib
import Synchronization

/// Runs one fuzz input through lexer, parser, compiler and interpreter, the way
/// `ltnb exec` does, with small limits and a watchdog so no input hangs or eats memory.
///
/// Any error the program causes must come back as a `Diagnostic`; a trap, a crash or a
/// hang is a bug. Built-ins that touch the file system are not blocked: scripts/fuzz.sh
/// runs the fuzzer in a scratch directory.
public enum FuzzHarness {
    /// Seconds an input may run before the watchdog interrupts it.
    public static let budget = 0.5

    private static let deadline = Atomic<UInt64>(UInt64.max)
    private static let watchdogStarted = Atomic<Bool>(false)

    /// Runs `bytes` as a program with the fuzzing limits.
    public static func fuzz(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = run(text, name: "fuzz.lt", smallLimits: true)
    }

    /// Runs a program as GoldenProgramTests does: what it shows, and its diagnostic.
    public static func run(_ text: String, name: String, smallLimits: Bool) -> (out: String, err: String) {
        startWatchdog()
        return runWithLargeStack {
            let sink = BufferSink()
            let interpreter = Stdlib.makeInterpreter(sink: sink)
            if smallLimits {
                interpreter.maxCollectionSize = 100_000
                interpreter.maxOutputBytes = 1 << 20
                interpreter.maxCallDepth = 2_000
                deadline.store(now() + UInt64(budget * 1e9), ordering: .relaxed)
            }
            defer { deadline.store(UInt64.max, ordering: .relaxed) }
            var err = ""
            do {
                if let v = try interpreter.evaluate(SourceFile(name: name, text: text)) { sink.emit(.value(v)) }
            } catch let error as Diagnostic {
                err = DiagnosticRenderer.render(error)
            } catch {
                err = "\(error)"
            }
            return (sink.text, err)
        }
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// A thread that raises `interruptRequested` once the current input passes its deadline.
    private static func startWatchdog() {
        guard !watchdogStarted.exchange(true, ordering: .relaxed) else { return }
        let thread = Thread {
            while true {
                usleep(5_000)
                if now() > deadline.load(ordering: .relaxed) {
                    interruptRequested.store(true, ordering: .relaxed)
                }
            }
        }
        thread.start()
    }
}
