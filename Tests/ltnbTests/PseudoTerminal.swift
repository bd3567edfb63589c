import Foundation

/// Runs the `ltnb` binary on a pseudo-terminal, the way a user at a terminal does: the
/// test types bytes into the master side and waits for text to appear. The child gets
/// its own session with the slave as its controlling terminal, so a typed Ctrl-C
/// reaches it as SIGINT. Uses openpty + posix_spawn (no fork in the test process).
final class PseudoTerminal {
    enum Failure: Error, CustomStringConvertible {
        case setup(String)
        case timeout(waitingFor: String, transcript: String)
        var description: String {
            switch self {
            case .setup(let s): return "pty setup failed: \(s)"
            case .timeout(let w, let t): return "timed out waiting for \(w.debugDescription); screen so far:\n\(t)"
            }
        }
    }

    let pid: pid_t
    private let master: Int32
    /// Everything the program wrote, raw.
    private(set) var output: [UInt8] = []
    /// Where `waitFor` starts looking (a UTF-8 offset into the plain transcript): text seen
    /// before the last match is not matched again.
    private var searchFrom = 0
    private(set) var exitStatus: Int32?
    private var exitedOrClosed = false

    init(arguments: [String] = [], environment: [String: String], directory: String? = nil,
         columns: UInt16 = 100, rows: UInt16 = 30) throws {
        var masterFD: Int32 = -1, slaveFD: Int32 = -1
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&masterFD, &slaveFD, nil, nil, &size) == 0 else { throw Failure.setup("openpty: errno \(errno)") }
        master = masterFD
        let slavePath = String(cString: ttyname(slaveFD))
        _ = fcntl(masterFD, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // After setsid (done first by glibc), opening the slave makes it our controlling tty.
        posix_spawn_file_actions_addclose(&actions, slaveFD)
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        let setsid: Int32 = 0x80  // POSIX_SPAWN_SETSID, not exported to Swift
        posix_spawnattr_setflags(&attributes, Int16(setsid | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // A working directory through `env -C` (posix_spawn's chdir action is not exported).
        let binary = LtnbProcess.binary.path
        let path = directory == nil ? binary : "/usr/bin/env"
        let prefix = directory.map { ["/usr/bin/env", "-C", $0, binary] } ?? [binary]
        let argv = (prefix + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        close(slaveFD)
        guard rc == 0 else {
            close(masterFD)
            throw Failure.setup("posix_spawn \(path): \(String(cString: strerror(rc)))")
        }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Types text (use "\r" for Enter, "\u{1}" for Ctrl-A, `Key.up` and so on).
    func send(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Types a line slowly enough that readline sees keys one read at a time.
    func type(_ text: String) {
        for ch in text {
            send(String(ch))
            usleep(2_000)
        }
    }

    /// Waits until `text` appears in the output (escape sequences removed) after the
    /// previous match; returns the output from the previous match up to this one.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 60) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let screen = Array(Self.plain(output).utf8)
            let tail = String(decoding: screen[min(searchFrom, screen.count)...], as: UTF8.self)
            if let r = tail.range(of: text) {
                let seen = String(tail[..<r.upperBound])
                searchFrom += seen.utf8.count
                return seen
            }
            if !pump(until: deadline) {
                if Date() > deadline || exitedOrClosed {
                    throw Failure.timeout(waitingFor: text, transcript: Self.plain(output))
                }
            }
        }
    }

    /// Reads whatever arrives within `seconds`.
    func drain(for seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, pump(until: deadline) {}
    }

    /// Waits for the process to exit; its status, or nil on timeout.
    func waitForExit(timeout: Double = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            _ = pump(until: Date().addingTimeInterval(0.05))
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                exitStatus = code
                return code
            }
        }
        return nil
    }

    /// All output so far without escape sequences and carriage returns.
    var transcript: String { Self.plain(output) }

    /// Reads once (waiting until `deadline`); false when the deadline passed or the
    /// terminal closed.
    private func pump(until deadline: Date) -> Bool {
        let ms = Int32(max(0, min(200, deadline.timeIntervalSinceNow * 1000)))
        var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&fds, 1, ms)
        if ready < 0 { return errno == EINTR }
        if ready == 0 { return Date() < deadline }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if n <= 0 { exitedOrClosed = true; return false }  // EIO: the child closed the terminal
        output.append(contentsOf: buffer[..<n])
        return true
    }

    /// Removes CSI/OSC escape sequences, other ESC pairs, carriage returns and bells.
    static func plain(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B, i + 1 < bytes.count {
                let next = bytes[i + 1]
                if next == UInt8(ascii: "[") {
                    i += 2
                    while i < bytes.count, !(0x40...0x7E).contains(bytes[i]) { i += 1 }
                    i += 1
                } else if next == UInt8(ascii: "]") {
                    i += 2
                    while i < bytes.count, bytes[i] != 0x07, bytes[i] != 0x1B { i += 1 }
                    i += bytes.count > i && bytes[i] == 0x1B ? 2 : 1
                } else {
                    i += 2
                }
                continue
            }
            if b != UInt8(ascii: "\r"), b != 0x07 { out.append(b) }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Keys as a terminal sends them.
enum Key {
    static let up = "\u{1B}[A", down = "\u{1B}[B", right = "\u{1B}[C", left = "\u{1B}[D"
    static let ctrlA = "\u{1}", ctrlC = "\u{3}", ctrlD = "\u{4}", ctrlE = "\u{5}", ctrlR = "\u{12}"
    static let tab = "\t", enter = "\r"
}
