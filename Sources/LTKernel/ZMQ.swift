import CZeroMQ
import Foundation

/// The little of libzmq the kernel needs: a context, sockets that bind, multipart send and
/// receive, and poll. A socket is used by one thread at a time (ZeroMQ's rule); the kernel
/// guards the one it shares (iopub) with a lock.
final class ZMQContext: @unchecked Sendable {
    let zmq: ZMQLibrary
    let raw: UnsafeMutableRawPointer

    /// Loads libzmq (on the first context) and creates a context.
    init() throws(KernelError) {
        zmq = try ZMQLibrary.shared.get()
        guard let ctx = zmq.ctxNew() else { throw KernelError("cannot create a ZeroMQ context: \(zmq.lastError)") }
        raw = ctx
    }

    /// Waits for every socket to be closed, then frees the context.
    func terminate() {
        while zmq.ctxTerm(raw) != 0 && zmq.errno() == EINTR {}
    }

    /// Which of `sockets` have a message waiting, after at most `timeoutMs` (-1: forever).
    /// A signal (SIGINT) ends the wait early with nothing ready.
    func poll(_ sockets: [ZMQSocket], timeoutMs: Int) -> [Bool] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let n = zmq.poll(&items, Int32(items.count), timeoutMs)
        if n <= 0 { return Array(repeating: false, count: sockets.count) }
        return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }

    var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq.version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}

final class ZMQSocket: @unchecked Sendable {
    let zmq: ZMQLibrary
    let raw: UnsafeMutableRawPointer
    let name: String
    private var closed = false

    /// `type` is ZMQ_ROUTER, ZMQ_PUB or ZMQ_REP; `name` is for error messages.
    init(_ context: ZMQContext, type: Int32, name: String) throws(KernelError) {
        zmq = context.zmq
        guard let s = zmq.socket(context.raw, type) else {
            throw KernelError("cannot create the \(name) socket: \(zmq.lastError)")
        }
        raw = s
        self.name = name
        // Pending messages get a second to leave at close, never an endless hang at exit.
        var linger: Int32 = 1000
        _ = zmq.setsockopt(raw, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
    }

    func bind(_ endpoint: String) throws(KernelError) {
        if zmq.bind(raw, endpoint) != 0 {
            throw KernelError("cannot bind the \(name) socket to \(endpoint): \(zmq.lastError)")
        }
    }

    /// The client side of `bind` (the kernel only binds; the tests connect).
    func connect(_ endpoint: String) throws(KernelError) {
        if zmq.connect(raw, endpoint) != 0 {
            throw KernelError("cannot connect the \(name) socket to \(endpoint): \(zmq.lastError)")
        }
    }

    /// Sends the frames as one multipart message. False when it could not be queued.
    @discardableResult
    func send(_ frames: [Data]) -> Bool {
        for (i, frame) in frames.enumerated() {
            let flags: Int32 = i + 1 < frames.count ? Int32(ZMQ_SNDMORE) : 0
            let rc = frame.withUnsafeBytes { buf -> Int32 in
                while true {
                    let r = zmq.send(raw, buf.baseAddress, buf.count, flags)
                    if r >= 0 || zmq.errno() != EINTR { return r }
                }
            }
            if rc < 0 { return false }
        }
        return true
    }

    /// One whole multipart message, or nil when none is waiting (the socket is polled first).
    func receive() -> [Data]? {
        var frames: [Data] = []
        while true {
            var msg = zmq_msg_t()
            _ = zmq.msgInit(&msg)
            defer { _ = zmq.msgClose(&msg) }
            var rc: Int32
            repeat { rc = zmq.msgRecv(&msg, raw, frames.isEmpty ? Int32(ZMQ_DONTWAIT) : 0) } while rc < 0 && zmq.errno() == EINTR
            if rc < 0 { return frames.isEmpty ? nil : frames }
            let size = zmq.msgSize(&msg)
            if let data = zmq.msgData(&msg), size > 0 {
                frames.append(Data(bytes: data, count: size))
            } else {
                frames.append(Data())
            }
            if zmq.msgMore(&msg) == 0 { return frames }
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        _ = zmq.close(raw)
    }
}
