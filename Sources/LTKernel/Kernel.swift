import CZeroMQ
import Foundation
import LTLang
import Synchronization

/// `ltnb kernel --connection-file FILE`: a Jupyter kernel (messaging protocol 5.3).
///
/// Threads: the caller's (a large stack) reads shell and stdin and runs cells, so deep
/// recursion behaves as in the REPL; one thread answers control (interrupt, shutdown,
/// kernel_info while a cell runs); one echoes heartbeats. Only iopub is shared, behind a
/// lock. A message whose signature does not verify, or that is not a Jupyter message, is
/// logged to stderr and dropped.
public final class Kernel: @unchecked Sendable {
    public struct Configuration {
        public var connectionFile: String
        /// ltnb's version, for kernel_info.
        public var version: String
        /// Where the kernel logs (stderr; Jupyter shows it in the server log).
        public var log: (String) -> Void
        public init(connectionFile: String, version: String, log: @escaping (String) -> Void) {
            self.connectionFile = connectionFile; self.version = version; self.log = log
        }
    }

    let config: Configuration
    let info: ConnectionInfo
    let codec: MessageCodec
    let context: ZMQContext
    let shell, control, stdin, iopub, heartbeat: ZMQSocket
    private let iopubLock = NSLock()
    private let signatures = SignatureHistory()
    private let stopping = Atomic<Bool>(false)
    private let executing = Atomic<Bool>(false)
    /// Set by shutdown_request: whether the front end asked for a restart.
    private let restartRequested = Atomic<Bool>(false)
    /// The language session; made on first use, on the shell thread that runs cells.
    private lazy var session = KernelSession { [unowned self] output in self.publishOutput(output) }
    private var lockFD: Int32 = -1

    /// Opens, locks and binds everything; throws a readable error (port in use, a second
    /// kernel on the same file, bad file) before any message is read.
    public init(_ config: Configuration) throws(KernelError) {
        self.config = config
        info = try ConnectionInfo.load(path: config.connectionFile)
        codec = MessageCodec(key: info.key)
        lockFD = try Self.lock(config.connectionFile)
        context = try ZMQContext()
        shell = try ZMQSocket(context, type: ZMQ_ROUTER, name: "shell")
        control = try ZMQSocket(context, type: ZMQ_ROUTER, name: "control")
        stdin = try ZMQSocket(context, type: ZMQ_ROUTER, name: "stdin")
        iopub = try ZMQSocket(context, type: ZMQ_PUB, name: "iopub")
        heartbeat = try ZMQSocket(context, type: ZMQ_REP, name: "heartbeat")
        do {
            try shell.bind(info.endpoint(info.shellPort))
            try control.bind(info.endpoint(info.controlPort))
            try stdin.bind(info.endpoint(info.stdinPort))
            try iopub.bind(info.endpoint(info.iopubPort))
            try heartbeat.bind(info.endpoint(info.hbPort))
        } catch {
            closeAll()
            throw error
        }
    }

    /// An exclusive lock on the connection file, so a second kernel started on it says so
    /// instead of fighting over (or, for ipc, stealing) the first one's sockets.
    static func lock(_ path: String) throws(KernelError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw KernelError("cannot open connection file '\(path)': \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            close(fd)
            throw KernelError(busy ? "another ltnb kernel is already running on connection file '\(path)'"
                                   : "cannot lock connection file '\(path)': \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// Serves until shutdown_request; returns the exit status.
    public func run() -> Int32 {
        _ = session
        Self.installInterruptHandler()
        let done = DispatchSemaphore(value: 0)
        let hb = Thread { [self] in serveHeartbeat(); done.signal() }
        let ctl = Thread { [self] in serveControl(); done.signal() }
        hb.start()
        ctl.start()
        config.log("ltnb kernel \(config.version) (ZeroMQ \(context.version)) on \(info.endpoint(info.shellPort)), pid \(getpid())")
        publish("status", ["execution_state": "starting"], parent: nil)
        while !stopping.load(ordering: .relaxed) {
            let ready = context.poll([shell, stdin], timeoutMs: 100)
            if ready[1], let frames = stdin.receive() { ignoreStdin(frames) }
            guard ready[0], let frames = shell.receive() else { continue }
            guard let message = accept(frames, on: "shell") else { continue }
            handleShell(message)
        }
        done.wait()
        done.wait()
        closeAll()
        context.terminate()
        if lockFD >= 0 { close(lockFD) }
        config.log("ltnb kernel stopped\(restartRequested.load(ordering: .relaxed) ? " for a restart" : "")")
        return 0
    }

    private func closeAll() {
        for s in [shell, control, stdin, iopub, heartbeat] { s.close() }
    }

    /// Decodes and verifies; logs and drops what is not a signed Jupyter message.
    func accept(_ frames: [Data], on channel: String) -> Message? {
        switch codec.decode(frames, history: signatures) {
        case .success(let m): return m
        case .failure(let why):
            config.log("dropped a message on \(channel): \(why)")
            return nil
        }
    }

    // MARK: - Shell

    func handleShell(_ request: Message) {
        publish("status", ["execution_state": "busy"], parent: request)
        defer { publish("status", ["execution_state": "idle"], parent: request) }
        let c = request.content
        switch request.type {
        case "kernel_info_request":
            reply(shell, to: request, "kernel_info_reply", kernelInfo())
        case "execute_request":
            execute(request)
        case "complete_request":
            let code = c.string("code") ?? ""
            let r = session.complete(code, cursor: c.int("cursor_pos") ?? code.unicodeScalars.count)
            let notes = r.matches.compactMap { m in r.notes[m].map { ["text": m, "type": "", "signature": $0] as JSONObject } }
            reply(shell, to: request, "complete_reply",
                  ["status": "ok", "matches": r.matches, "cursor_start": r.start, "cursor_end": r.end,
                   "metadata": ["_jupyter_types_experimental": notes]])
        case "inspect_request":
            let code = c.string("code") ?? ""
            let text = session.inspect(code, cursor: c.int("cursor_pos") ?? code.unicodeScalars.count)
            reply(shell, to: request, "inspect_reply",
                  ["status": "ok", "found": text != nil, "data": text.map { ["text/plain": $0] } ?? [:], "metadata": [:]])
        case "is_complete_request":
            let r = session.isComplete(c.string("code") ?? "")
            var content: JSONObject = ["status": r.status]
            if r.status == "incomplete" { content["indent"] = r.indent }
            reply(shell, to: request, "is_complete_reply", content)
        case "history_request":
            reply(shell, to: request, "history_reply", ["status": "ok", "history": session.history(c)])
        case "comm_info_request":
            reply(shell, to: request, "comm_info_reply", ["status": "ok", "comms": [:] as JSONObject])
        case "shutdown_request":
            shutdown(request, on: shell)
        default:
            config.log("ignored a \(request.type.isEmpty ? "message without a type" : request.type) on shell: not supported")
        }
    }

    func execute(_ request: Message) {
        let c = request.content
        guard let code = c.string("code") else {
            reply(shell, to: request, "execute_reply",
                  ["status": "error", "ename": "UsageError", "evalue": "execute_request without code",
                   "traceback": ["execute_request without code"], "execution_count": session.executionCount])
            return
        }
        let silent = c.bool("silent") ?? false
        let store = c.bool("store_history") ?? !silent
        if !silent { publish("execute_input", ["code": code, "execution_count": session.executionCount + (store ? 1 : 0)], parent: request) }
        currentParent = request
        executing.store(true, ordering: .relaxed)
        let (count, outcome) = session.execute(code, silent: silent, storeHistory: store)
        executing.store(false, ordering: .relaxed)
        currentParent = nil
        switch outcome {
        case .ok:
            reply(shell, to: request, "execute_reply", ["status": "ok", "execution_count": count, "user_expressions": [:] as JSONObject])
        case .error(let ename, let evalue, let traceback):
            // Taken before the reply goes out, so a cell sent after the client saw the
            // error is never mistaken for one queued behind it.
            let queued = (c.bool("stop_on_error") ?? true) ? takeQueued() : []
            reply(shell, to: request, "execute_reply",
                  ["status": "error", "execution_count": count, "ename": ename, "evalue": evalue, "traceback": traceback])
            abort(queued)
        }
    }

    private func takeQueued() -> [Message] {
        var queued: [Message] = []
        while context.poll([shell], timeoutMs: 0)[0], let frames = shell.receive() {
            if let m = accept(frames, on: "shell") { queued.append(m) }
        }
        return queued
    }

    /// After a failed cell, the cells already queued behind it (Run All) are answered
    /// "aborted" instead of running against a state the failure left half-made; other
    /// requests among them are answered as usual.
    private func abort(_ queued: [Message]) {
        for m in queued {
            if m.type == "execute_request" {
                config.log("aborted an execute_request queued behind a failed cell")
                publish("status", ["execution_state": "busy"], parent: m)
                reply(shell, to: m, "execute_reply", ["status": "aborted", "execution_count": session.executionCount])
                publish("status", ["execution_state": "idle"], parent: m)
            } else {
                handleShell(m)
            }
        }
    }

    /// The request whose cell is running, parent of the outputs it publishes.
    private var currentParent: Message?

    private func publishOutput(_ output: KernelSession.Output) {
        let parent = currentParent
        switch output {
        case .stream(let name, let text): publish("stream", ["name": name, "text": text], parent: parent)
        case .displayData(let data): publish("display_data", ["data": data, "metadata": [:] as JSONObject, "transient": [:] as JSONObject], parent: parent)
        case .executeResult(let data):
            publish("execute_result", ["data": data, "metadata": [:] as JSONObject, "execution_count": session.executionCount], parent: parent)
        case .error(let ename, let evalue, let traceback):
            publish("error", ["ename": ename, "evalue": evalue, "traceback": traceback], parent: parent)
        }
    }

    func kernelInfo() -> JSONObject {
        ["status": "ok", "protocol_version": MessageCodec.protocolVersion, "implementation": "ltnb",
         "implementation_version": config.version,
         "language_info": ["name": "ltnb", "version": config.version, "mimetype": "text/x-ltnb",
                           "file_extension": ".lt", "pygments_lexer": "text", "codemirror_mode": "text/plain"] as JSONObject,
         "banner": "ltnb \(config.version): long-tailed recognition with foundation models. help(\"name\") documents a built-in.",
         "help_links": [] as [Any], "debugger": false]
    }

    // MARK: - Control

    private func serveControl() {
        while !stopping.load(ordering: .relaxed) {
            guard context.poll([control], timeoutMs: 100)[0], let frames = control.receive(),
                  let request = accept(frames, on: "control") else { continue }
            publish("status", ["execution_state": "busy"], parent: request)
            switch request.type {
            case "interrupt_request":
                interruptRequested.store(true, ordering: .relaxed)
                reply(control, to: request, "interrupt_reply", ["status": "ok"])
            case "shutdown_request":
                shutdown(request, on: control)
            case "kernel_info_request":
                reply(control, to: request, "kernel_info_reply", kernelInfo())
            default:
                config.log("ignored a \(request.type) on control: not supported")
            }
            publish("status", ["execution_state": "idle"], parent: request)
        }
        control.close()
    }

    private func shutdown(_ request: Message, on socket: ZMQSocket) {
        let restart = request.content.bool("restart") ?? false
        restartRequested.store(restart, ordering: .relaxed)
        reply(socket, to: request, "shutdown_reply", ["status": "ok", "restart": restart])
        stopping.store(true, ordering: .relaxed)
        if executing.load(ordering: .relaxed) { interruptRequested.store(true, ordering: .relaxed) }
    }

    // MARK: - Heartbeat and stdin

    private func serveHeartbeat() {
        while !stopping.load(ordering: .relaxed) {
            guard context.poll([heartbeat], timeoutMs: 100)[0], let frames = heartbeat.receive() else { continue }
            heartbeat.send(frames)
        }
        heartbeat.close()
    }

    /// ltnb code never reads input, so the kernel sends no input_request; anything a
    /// front end sends here unasked is dropped.
    private func ignoreStdin(_ frames: [Data]) {
        if let m = accept(frames, on: "stdin") { config.log("ignored a \(m.type) on stdin: ltnb does not ask for input") }
    }

    // MARK: - Sending

    func reply(_ socket: ZMQSocket, to request: Message, _ type: String, _ content: JSONObject) {
        var m = codec.make(type, content: content, parent: request)
        m.identities = request.identities
        if !socket.send(codec.encode(m)) { config.log("could not send \(type): \(socket.zmq.lastError)") }
    }

    func publish(_ type: String, _ content: JSONObject, parent: Message?) {
        var m = codec.make(type, content: content, parent: parent)
        m.identities = [Data("kernel.\(codec.session).\(type)".utf8)]
        let frames = codec.encode(m)
        iopubLock.lock()
        defer { iopubLock.unlock() }
        iopub.send(frames)
    }

    /// SIGINT (interrupt_mode "signal", or Ctrl-C in a console) stops the running cell the
    /// same way interrupt_request does; between cells it is forgotten when the next starts.
    static func installInterruptHandler() {
        var action = sigaction()
        #if os(Linux)
        action.__sigaction_handler.sa_handler = { _ in interruptRequested.store(true, ordering: .relaxed) }
        #else
        action.__sigaction_u.__sa_handler = { _ in interruptRequested.store(true, ordering: .relaxed) }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
    }
}
