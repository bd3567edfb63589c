import CZeroMQ
import Foundation

/// The little of libzmq the kernel needs: a context, sockets that bind, multipart send and
/// receive, and poll. A socket is used by one thread at a time (ZeroMQ's rule); the kernel
/// guards the one it shares (iopub) with a lock.
final class ZMQContext: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer

    init() throws(KernelError) {
        guard let ctx = zmq_ctx_new() else { throw KernelError("cannot create a ZeroMQ context: \(ZMQ.lastError)") }
        raw = ctx
    }

    /// Waits for every socket to be closed, then frees the context.
    func terminate() {
        while zmq_ctx_term(raw) != 0 && zmq_errno() == EINTR {}
    }
}

enum ZMQ {
    static var lastError: String { String(cString: zmq_strerror(zmq_errno())) }

    /// Which of `sockets` have a message waiting, after at most `timeoutMs` (-1: forever).
    /// A signal (SIGINT) ends the wait early with nothing ready.
    static func poll(_ sockets: [ZMQSocket], timeoutMs: Int) -> [Bool] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let n = zmq_poll(&items, Int32(items.count), timeoutMs)
        if n <= 0 { return Array(repeating: false, count: sockets.count) }
        return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }

    static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}

final class ZMQSocket: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    let name: String
    private var closed = false

    /// `type` is ZMQ_ROUTER, ZMQ_PUB or ZMQ_REP; `name` is for error messages.
    init(_ context: ZMQContext, type: Int32, name: String) throws(KernelError) {
        guard let s = zmq_socket(context.raw, type) else {
            throw KernelError("cannot create the \(name) socket: \(ZMQ.lastError)")
        }
        raw = s
        self.name = name
        // Pending messages get a second to leave at close, never an endless hang at exit.
        var linger: Int32 = 1000
        zmq_setsockopt(raw, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
    }

    func bind(_ endpoint: String) throws(KernelError) {
        if zmq_bind(raw, endpoint) != 0 {
            throw KernelError("cannot bind the \(name) socket to \(endpoint): \(ZMQ.lastError)")
        }
    }

    /// Sends the frames as one multipart message. False when it could not be queued.
    @discardableResult
    func send(_ frames: [Data]) -> Bool {
        for (i, frame) in frames.enumerated() {
            let flags: Int32 = i + 1 < frames.count ? Int32(ZMQ_SNDMORE) : 0
            let rc = frame.withUnsafeBytes { buf -> Int32 in
                while true {
                    let r = zmq_send(raw, buf.baseAddress, buf.count, flags)
                    if r >= 0 || zmq_errno() != EINTR { return r }
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
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            var rc: Int32
            repeat { rc = zmq_msg_recv(&msg, raw, frames.isEmpty ? Int32(ZMQ_DONTWAIT) : 0) } while rc < 0 && zmq_errno() == EINTR
            if rc < 0 { return frames.isEmpty ? nil : frames }
            let size = zmq_msg_size(&msg)
            if let data = zmq_msg_data(&msg), size > 0 {
                frames.append(Data(bytes: data, count: size))
            } else {
                frames.append(Data())
            }
            if zmq_msg_more(&msg) == 0 { return frames }
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        zmq_close(raw)
    }
}
