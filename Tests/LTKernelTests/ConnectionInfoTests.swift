import Foundation
@testable import LTKernel
import Testing

@Suite struct ConnectionInfoTests {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "ltnb-conn-\(UUID().uuidString).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    let good = """
    {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
     "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "ltnb"}
    """

    @Test func readsJupytersFile() throws {
        let info = try ConnectionInfo.load(path: try write(good))
        #expect(info.shellPort == 5001 && info.hbPort == 5005)
        #expect(info.endpoint(info.shellPort) == "tcp://127.0.0.1:5001")
        var ipc = info
        ipc.transport = "ipc"
        ipc.ip = "/tmp/kernel"
        #expect(ipc.endpoint(5001) == "ipc:///tmp/kernel-5001")
    }

    @Test func badFilesSayWhatIsWrong() throws {
        let cases: [(String, String)] = [
            ("{oops", "not JSON"),
            ("{\"ip\": \"127.0.0.1\"}", "missing field 'shell_port'"),
            (good.replacingOccurrences(of: "5001", with: "\"5001\""), "field 'shell_port' has the wrong type"),
            (good.replacingOccurrences(of: "5001", with: "0"), "shell_port 0 is not a port number"),
            (good.replacingOccurrences(of: "\"tcp\"", with: "\"udp\""), "transport 'udp' is not supported"),
            (good.replacingOccurrences(of: "hmac-sha256", with: "hmac-md5"), "signature scheme 'hmac-md5' is not supported"),
        ]
        for (text, message) in cases {
            let path = try write(text)
            #expect(throws: KernelError.self) { try ConnectionInfo.load(path: path) }
            do { _ = try ConnectionInfo.load(path: path) } catch { #expect(error.message.contains(message), "\(error.message)") }
        }
        do { _ = try ConnectionInfo.load(path: "/nonexistent/conn.json") } catch { #expect(error.message.contains("cannot read")) }
    }
}
