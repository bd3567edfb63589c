import Foundation
import LTLang
import Synchronization

/// Ctrl-C and window resizes, without readline's own handlers (it is told not to
/// install any). The handler is async-signal-safe: it sets `interruptRequested`, which
/// loops and long built-ins poll during evaluation, and writes one byte to a pipe that
/// the prompt polls beside stdin. The pipe wakes the prompt whichever thread the signal
/// lands on.
enum REPLSignals {
    static let interruptByte = UInt8(ascii: "i")
    static let resizeByte = UInt8(ascii: "w")
    static let suspendByte = UInt8(ascii: "z")
    static let terminateByte = UInt8(ascii: "t")

    /// Set by `ReadlineReader` while readline owns the terminal. Outside the prompt,
    /// Ctrl-Z, SIGTERM and SIGHUP act as they do by default.
    static let atPrompt = Atomic<Bool>(false)

    /// Ctrl-Cs so far. Evaluation clears `interruptRequested` when an entry starts, so a
    /// command that runs several units (`:load`, `:time`) compares this count instead.
    static let interruptCount = Atomic<Int>(0)

    /// The pipe's read end, polled by `ReadlineReader`; -1 before `install()`.
    static var wakeFD: Int32 { wakeRead.load(ordering: .relaxed) }

    private static let wakeRead = Atomic<Int32>(-1)
    private static let wakeWrite = Atomic<Int32>(-1)

    static func install() {
        guard wakeRead.load(ordering: .relaxed) < 0 else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeRead.store(fds[0], ordering: .relaxed)
        wakeWrite.store(fds[1], ordering: .relaxed)
        // The byte goes into the pipe before the flag is set. The evaluation can see the
        // flag, stop and reach the next prompt while this handler runs on another thread;
        // the prompt's first `drain()` then removes this Ctrl-C's byte. Set the flag first
        // and a late byte would cancel that new prompt, showing a second one.
        handle(SIGINT) { _ in
            REPLSignals.wake(REPLSignals.interruptByte)
            REPLSignals.interruptCount.wrappingAdd(1, ordering: .releasing)
            interruptRequested.store(true, ordering: .releasing)
        }
        handle(SIGWINCH) { _ in REPLSignals.wake(REPLSignals.resizeByte) }
        // At the prompt the terminal is in readline's raw mode: let the reader give it
        // back first (and re-take it after `fg`). Elsewhere, the default action.
        for sig in [SIGTSTP, SIGTERM, SIGHUP] {
            handle(sig) { sig in
                if REPLSignals.atPrompt.load(ordering: .relaxed) {
                    REPLSignals.wake(sig == SIGTSTP ? REPLSignals.suspendByte : REPLSignals.terminateByte)
                } else {
                    REPLSignals.raiseDefault(sig)
                }
            }
        }
    }

    /// Performs a signal's default action; for Ctrl-Z the process stops here (unless its
    /// process group is orphaned, where the kernel discards the stop) and the handler is
    /// reinstalled when it continues.
    static func raiseDefault(_ sig: Int32) {
        var action = sigaction(), old = sigaction()
        sigemptyset(&action.sa_mask)
        #if os(Linux)
        action.__sigaction_handler.sa_handler = SIG_DFL
        #else
        action.__sigaction_u.__sa_handler = SIG_DFL
        #endif
        sigaction(sig, &action, &old)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, sig)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        raise(sig)
        sigaction(sig, &old, nil)
    }

    /// Empties the pipe; tells which signals arrived since the last call.
    static func drain() -> (interrupted: Bool, resized: Bool, suspended: Bool, terminated: Bool) {
        var result = (interrupted: false, resized: false, suspended: false, terminated: false)
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(wakeFD, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            for b in buffer[..<n] {
                if b == interruptByte { result.interrupted = true }
                if b == resizeByte { result.resized = true }
                if b == suspendByte { result.suspended = true }
                if b == terminateByte { result.terminated = true }
            }
        }
        return result
    }

    private static func wake(_ byte: UInt8) {
        let saved = errno
        var b = byte
        _ = write(wakeWrite.load(ordering: .relaxed), &b, 1)
        errno = saved
    }

    /// No SA_RESTART: a blocking read returns EINTR, so nothing waits past a Ctrl-C.
    private static func handle(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        #if os(Linux)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(signal, &action, nil)
    }
}

/// The terminal's width in columns: TIOCGWINSZ on stdout, else $COLUMNS, else 80.
/// Figures could be sized with it once LTPlot takes a width from the caller.
enum TerminalSize {
    static var columns: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        return 80
    }
}
