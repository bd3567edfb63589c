import CZeroMQ
import Foundation

/// libzmq's functions, resolved with `dlopen` when the kernel starts rather than linked
/// into the binary. Linking maps libzmq and the thirteen libraries under it (krb5, sodium,
/// pgm, norm, ...) into every ltnb process, about 1.8 ms of each `ltnb exec` start-up that
/// only `ltnb kernel` needs (docs/decisions.md, "Start-up"). The header still gives the
/// types and constants; the signatures below follow zmq.h, and a mismatch cannot hide:
/// every function is used by the kernel tests against the real Jupyter client, and
/// ZMQLibraryTests sends a message through them.
struct ZMQLibrary: @unchecked Sendable {
    let ctxNew: @convention(c) () -> UnsafeMutableRawPointer?
    let ctxTerm: @convention(c) (UnsafeMutableRawPointer?) -> Int32
    let errno: @convention(c) () -> Int32
    let strerror: @convention(c) (Int32) -> UnsafePointer<CChar>?
    let poll: @convention(c) (UnsafeMutablePointer<zmq_pollitem_t>?, Int32, Int) -> Int32
    let version: @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?,
                                 UnsafeMutablePointer<Int32>?) -> Void
    let socket: @convention(c) (UnsafeMutableRawPointer?, Int32) -> UnsafeMutableRawPointer?
    let setsockopt: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafeRawPointer?, Int) -> Int32
    let bind: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    let connect: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    let send: @convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer?, Int, Int32) -> Int32
    let close: @convention(c) (UnsafeMutableRawPointer?) -> Int32
    let msgInit: @convention(c) (UnsafeMutablePointer<zmq_msg_t>?) -> Int32
    let msgClose: @convention(c) (UnsafeMutablePointer<zmq_msg_t>?) -> Int32
    let msgRecv: @convention(c) (UnsafeMutablePointer<zmq_msg_t>?, UnsafeMutableRawPointer?, Int32) -> Int32
    let msgSize: @convention(c) (UnsafePointer<zmq_msg_t>?) -> Int
    let msgData: @convention(c) (UnsafeMutablePointer<zmq_msg_t>?) -> UnsafeMutableRawPointer?
    let msgMore: @convention(c) (UnsafePointer<zmq_msg_t>?) -> Int32

    /// The soname of Debian's libzmq5 (the runtime half of libzmq3-dev).
    static let soname = "libzmq.so.5"

    /// Loaded once, on first use; the error says which package to install.
    static let shared: Result<ZMQLibrary, KernelError> = Result { () throws(KernelError) in try ZMQLibrary() }

    private init() throws(KernelError) {
        guard let handle = dlopen(Self.soname, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw KernelError("the kernel needs ZeroMQ (\(Self.soname), Debian package libzmq5): \(reason)")
        }
        func function<F>(_ name: String) throws(KernelError) -> F {
            guard let symbol = dlsym(handle, name) else {
                throw KernelError("\(Self.soname) has no function \(name); ZeroMQ 4.x is required")
            }
            return unsafeBitCast(symbol, to: F.self)
        }
        ctxNew = try function("zmq_ctx_new")
        ctxTerm = try function("zmq_ctx_term")
        errno = try function("zmq_errno")
        strerror = try function("zmq_strerror")
        poll = try function("zmq_poll")
        version = try function("zmq_version")
        socket = try function("zmq_socket")
        setsockopt = try function("zmq_setsockopt")
        bind = try function("zmq_bind")
        connect = try function("zmq_connect")
        send = try function("zmq_send")
        close = try function("zmq_close")
        msgInit = try function("zmq_msg_init")
        msgClose = try function("zmq_msg_close")
        msgRecv = try function("zmq_msg_recv")
        msgSize = try function("zmq_msg_size")
        msgData = try function("zmq_msg_data")
        msgMore = try function("zmq_msg_more")
    }

    /// The text of the calling thread's last ZeroMQ error.
    var lastError: String { strerror(errno()).map { String(cString: $0) } ?? "error \(errno())" }
}
