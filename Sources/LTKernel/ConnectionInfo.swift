import Foundation

/// The connection file Jupyter writes for a kernel: where to bind and how to sign.
public struct ConnectionInfo: Decodable, Equatable, Sendable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    public var key: String
    public var signatureScheme: String

    enum CodingKeys: String, CodingKey {
        case transport, ip, key
        case shellPort = "shell_port", iopubPort = "iopub_port", stdinPort = "stdin_port"
        case controlPort = "control_port", hbPort = "hb_port", signatureScheme = "signature_scheme"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        transport = try c.decodeIfPresent(String.self, forKey: .transport) ?? "tcp"
        ip = try c.decode(String.self, forKey: .ip)
        shellPort = try c.decode(Int.self, forKey: .shellPort)
        iopubPort = try c.decode(Int.self, forKey: .iopubPort)
        stdinPort = try c.decode(Int.self, forKey: .stdinPort)
        controlPort = try c.decode(Int.self, forKey: .controlPort)
        hbPort = try c.decode(Int.self, forKey: .hbPort)
        key = try c.decodeIfPresent(String.self, forKey: .key) ?? ""
        signatureScheme = try c.decodeIfPresent(String.self, forKey: .signatureScheme) ?? "hmac-sha256"
    }

    /// Reads and checks a connection file; the error says what is wrong with it.
    public static func load(path: String) throws(KernelError) -> ConnectionInfo {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw KernelError("cannot read connection file '\(path)': \(error.localizedDescription)")
        }
        let info: ConnectionInfo
        do { info = try JSONDecoder().decode(ConnectionInfo.self, from: data) } catch {
            throw KernelError("connection file '\(path)' is not valid: \(describe(error))")
        }
        try info.validate(path: path)
        return info
    }

    func validate(path: String) throws(KernelError) {
        guard transport == "tcp" || transport == "ipc" else {
            throw KernelError("connection file '\(path)': transport '\(transport)' is not supported (tcp or ipc)")
        }
        guard signatureScheme == "hmac-sha256" else {
            throw KernelError("connection file '\(path)': signature scheme '\(signatureScheme)' is not supported (hmac-sha256)")
        }
        for (name, port) in [("shell_port", shellPort), ("iopub_port", iopubPort), ("stdin_port", stdinPort),
                             ("control_port", controlPort), ("hb_port", hbPort)]
        where !(1...65535).contains(port) {
            throw KernelError("connection file '\(path)': \(name) \(port) is not a port number (1-65535)")
        }
        guard !ip.isEmpty, !ip.contains("/") || transport == "ipc" else {
            throw KernelError("connection file '\(path)': ip '\(ip)' is not an address")
        }
    }

    /// The ZeroMQ endpoint of one port: `tcp://IP:PORT`, or `ipc://IP-PORT` as Jupyter names them.
    public func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            let field = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            return "field '\(field)' has the wrong type"
        case DecodingError.dataCorrupted: return "not JSON"
        default: return "\(error)"
        }
    }
}

/// A kernel error a user can act on (bad connection file, port in use): printed, exit 1.
public struct KernelError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
