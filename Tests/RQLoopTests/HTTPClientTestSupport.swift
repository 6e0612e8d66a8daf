import Foundation
import RQLoop

/// A client, a server of the project's own and a loop, for the HTTP client tests.
final class ClientFixture {
    let loop: EventLoop
    let dir: TempDir
    var server: HTTPServer?
    var client: HTTPClient
    /// Requests the server saw, in order, with the peer they came from.
    var served: [(request: HTTPRequest, peer: String)] = []

    init(limits: HTTPClientLimits = HTTPClientLimits(),
         handler: @escaping (HTTPRequest, HTTPResponder) -> Void = { _, responder in responder.respond(.text(200, "ok")) }) throws {
        loop = try EventLoop()
        dir = try TempDir()
        client = HTTPClient(loop: loop, limits: limits)
        server = try HTTPServer(loop: loop, host: "127.0.0.1", port: 0,
                                settings: HTTPServerSettings(uploadDirectory: dir.path)) { [unowned self] request, responder, peer in
            served.append((request, peer))
            handler(request, responder)
        }
    }

    var baseURL: String { "http://127.0.0.1:\(server?.port ?? 0)" }

    /// Sends one request and drives the loop until it completes.
    func fetch(_ request: HTTPClientRequest, timeout: Double = 5, seconds: Double = 10) -> Result<HTTPClientResponse, HTTPClientError>? {
        var result: Result<HTTPClientResponse, HTTPClientError>?
        client.send(request, timeout: timeout) { result = $0 }
        drive(loop, seconds: seconds) { result != nil }
        return result
    }

    func finish() {
        client.close()
        server?.close()
        dir.remove()
    }
}

/// A misbehaving HTTP peer: accepts, collects what the client sends, and answers with
/// scripted bytes through `script` (write, stay silent, trickle, close…).
final class ScriptedPeer {
    let listener: Listener
    var received: [UInt8] = []
    var accepted = 0
    var connections: [Connection] = []

    init(loop: EventLoop, script: @escaping (ScriptedPeer, Connection) -> Void) throws {
        weak var weakSelf: ScriptedPeer?
        listener = try Listener.tcp(loop: loop, host: "127.0.0.1", port: 0) { connection in
            guard let self = weakSelf else { return connection.close() }
            self.accepted += 1
            self.connections.append(connection)
            connection.onReadable = { conn in
                self.received += conn.readBytes(max: 1 << 20)
                script(self, conn)
            }
        }
        weakSelf = self
    }

    var url: String { "http://127.0.0.1:\(listener.port)/x" }
    var receivedText: String { String(decoding: received, as: UTF8.self) }

    /// Whether a whole request head has arrived.
    var hasHead: Bool { receivedText.contains("\r\n\r\n") }

    func close() {
        listener.close()
        for connection in connections { connection.close() }
    }
}

extension Result where Failure == HTTPClientError {
    var error: HTTPClientError? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var value: Success? { try? get() }
}
