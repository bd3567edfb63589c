import Foundation
import Testing
import CZeroMQ
@testable import LTKernel

/// libzmq is opened with dlopen, not linked: every function resolves, and a message goes
/// through a real socket pair with the signatures ZMQLibrary declares.
@Suite struct ZMQLibraryTests {
    @Test func resolvesEveryFunctionAndMovesAMessage() throws {
        let context = try ZMQContext()
        defer { context.terminate() }
        #expect(context.version.hasPrefix("4."))
        let server = try ZMQSocket(context, type: ZMQ_REP, name: "server")
        let client = try ZMQSocket(context, type: ZMQ_REQ, name: "client")
        defer { client.close(); server.close() }
        let endpoint = "inproc://ltnb-zmq-library-test"
        try server.bind(endpoint)
        try client.connect(endpoint)
        #expect(client.send([Data("one".utf8), Data(), Data([0, 255])]))
        #expect(context.poll([server], timeoutMs: 5000) == [true])
        #expect(server.receive() == [Data("one".utf8), Data(), Data([0, 255])])
        #expect(throws: KernelError.self) { try server.bind("nonsense://") }
    }
}
