import Logging
import RQLoop

/// The TCP side of the web interface: accepts connections (up to a cap), gives each an
/// `HTTPSession`, and applies header and idle timeouts.
final class WebFrontend {
    static let maxConnections = 1024
    static let headerTimeout = 10.0
    static let idleTimeout = 60.0

    private let listener: Listener
    private var open = 0

    init(loop: EventLoop, host: String, port: Int, uploadDirectory: String, app: WebApp, logger: Logger) throws {
        weak var frontend: WebFrontend?
        listener = try Listener.tcp(loop: loop, host: host, port: port) { connection in
            frontend?.accept(connection, uploadDirectory: uploadDirectory, app: app)
        }
        frontend = self
    }

    var port: Int { listener.port }

    private func accept(_ connection: Connection, uploadDirectory: String, app: WebApp) {
        open += 1
        app.metrics.connectionOpened()
        if open >= Self.maxConnections { listener.pause() }
        let peer = connection.peer
        let session = HTTPSession(transport: connection, limits: HTTPLimits(), uploadDirectory: uploadDirectory) { request, responder in
            app.handle(request, peer: peer, responder)
        }
        connection.userData = session
        connection.setTimeouts(read: Self.headerTimeout, write: Self.idleTimeout)
        // Between requests the idle timeout applies, inside one the header timeout; both the
        // arrival of bytes and the sending of a response can cross that line.
        let applyTimeouts = { [weak connection, weak session] () -> Void in
            guard let connection, let session else { return }
            connection.setTimeouts(read: session.isIdle ? Self.idleTimeout : Self.headerTimeout, write: Self.idleTimeout)
        }
        session.onResponseSent = applyTimeouts
        connection.onReadable = { conn in
            let bytes = conn.readBytes(max: 256 * 1024)
            session.feed(bytes)
            applyTimeouts()
        }
        // A half-closed client still gets the answers to the requests it sent.
        connection.onInputEnded = { _ in session.peerClosed() }
        connection.onClose = { [weak self] conn in
            session.peerClosed()
            conn.userData = nil
            app.metrics.connectionClosed()
            guard let self else { return }
            self.open -= 1
            if self.open < Self.maxConnections { self.listener.resume() }
        }
    }

    func close() { listener.close() }
}
